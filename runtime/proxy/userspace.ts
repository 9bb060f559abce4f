/**
 * The userspace data plane: a socket listening on every address of every Service port that has
 * endpoints, each new connection (UDP: each new client flow) forwarded to the endpoint its
 * picker chooses.
 *
 * A Service port without endpoints has no listener: a connection to it is refused at once by
 * the kernel (a TCP reset; for UDP an ICMP port-unreachable, which a connected client reads as
 * ECONNREFUSED) — what kube-proxy's REJECT rule gives a client.
 *
 * Reprogramming swaps each listener's Service port and each picker's endpoints in place: an
 * established connection keeps its endpoint, a listener that stays is never closed, one no longer
 * wanted stops accepting while its connections go on. A failed bind is retried every
 * `retryMs`, and reported (failures()) for the Service's Event and condition.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { bindErrorMessage } from './bind-error.ts';
import type { BindFailures, DataPlane } from './data-plane.ts';
import { EndpointPicker } from './endpoint-picker.ts';
import type { ProxyListener, ServicePortEntry } from './service-table.ts';
import { forwardTcp, type SocketSet } from './tcp-forward.ts';
import { UdpForwarder } from './udp-forward.ts';

export interface UserspaceOptions {
  /** How often failed binds are tried again (default 5 s). */
  retryMs?: number;
  /** A UDP flow idle this long is forgotten (default 30 s, conntrack's UDP timeout). */
  udpIdleMs?: number;
  nowMs?: () => number;
}

interface Bound {
  listener: ProxyListener;
  /** The Service port it serves now (swapped on reprogramming). */
  entryKey: string;
  service: string;
  socket?: Server | UdpForwarder;
  /** Set while it could not be opened. */
  error?: string;
  opening?: Promise<void>;
}

const idOf = (l: ProxyListener) => `${l.protocol} ${l.address}:${l.port}`;

export class UserspaceDataPlane implements DataPlane {
  readonly mode = 'userspace' as const;
  onFailuresChanged?: () => void;
  private readonly pickers = new Map<string, EndpointPicker>();
  private readonly bound = new Map<string, Bound>();
  /** Listeners another Service port of the table already claims, by Service. */
  private conflicts: BindFailures = new Map();
  private readonly open: SocketSet = new Set();
  private readonly retry: NodeJS.Timeout;
  private readonly nowMs: () => number;
  private readonly udpIdleMs: number;
  private stopped = false;

  constructor(o: UserspaceOptions = {}) {
    this.nowMs = o.nowMs ?? Date.now;
    this.udpIdleMs = o.udpIdleMs ?? 30_000;
    this.retry = setInterval(() => void this.retryFailed(), o.retryMs ?? 5_000);
    this.retry.unref();
  }

  async apply(table: readonly ServicePortEntry[]): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, { listener: ProxyListener; entry: ServicePortEntry }>();
    const conflicts: BindFailures = new Map();
    const live = new Set<string>();
    for (const entry of table) {
      live.add(entry.key);
      let picker = this.pickers.get(entry.key);
      if (!picker) this.pickers.set(entry.key, (picker = new EndpointPicker(this.nowMs)));
      picker.set(entry.endpoints, entry.affinitySeconds);
      if (entry.endpoints.length === 0) continue;
      for (const l of entry.listeners) {
        const id = idOf(l);
        if (wanted.has(id)) {
          // Two Service ports on one address: the first (by key) has it, as the first bind would.
          add(conflicts, `${entry.namespace}/${entry.service}`, bindErrorMessage(l, { code: 'EADDRINUSE' } as NodeJS.ErrnoException));
          continue;
        }
        wanted.set(id, { listener: l, entry });
      }
    }
    for (const key of [...this.pickers.keys()]) if (!live.has(key)) this.pickers.delete(key);
    this.conflicts = conflicts;
    for (const [id, b] of [...this.bound]) {
      if (wanted.has(id)) continue;
      this.bound.delete(id);
      closeSocket(b);
    }
    const opening: Promise<void>[] = [];
    for (const [id, { listener, entry }] of wanted) {
      const b = this.bound.get(id);
      if (b) {
        b.entryKey = entry.key;
        b.service = `${entry.namespace}/${entry.service}`;
        if (b.opening) opening.push(b.opening);
        continue;
      }
      const nb: Bound = { listener, entryKey: entry.key, service: `${entry.namespace}/${entry.service}` };
      this.bound.set(id, nb);
      opening.push(this.openListener(nb));
    }
    await Promise.all(opening);
  }

  failures(): BindFailures {
    const out: BindFailures = new Map();
    for (const [svc, msgs] of this.conflicts) for (const m of msgs) add(out, svc, m);
    for (const b of this.bound.values()) if (b.error) add(out, b.service, b.error);
    for (const msgs of out.values()) msgs.sort();
    return out;
  }

  /** How many listeners are open (for tests and status). */
  get listening(): number {
    let n = 0;
    for (const b of this.bound.values()) if (b.socket) n++;
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.retry);
    for (const b of this.bound.values()) closeSocket(b);
    this.bound.clear();
    for (const s of this.open) s.destroy();
    this.open.clear();
  }

  private openListener(b: Bound): Promise<void> {
    const p = (b.listener.protocol === 'UDP' ? this.listenUdp(b) : this.listenTcp(b)).then(
      (socket) => {
        b.opening = undefined;
        // Unwanted or stopped meanwhile.
        if (this.stopped || this.bound.get(idOf(b.listener)) !== b) return closeSocket({ ...b, socket });
        b.socket = socket;
        delete b.error;
      },
      (e: NodeJS.ErrnoException) => {
        b.opening = undefined;
        b.error = bindErrorMessage(b.listener, e);
      },
    );
    b.opening = p;
    return p;
  }

  private listenTcp(b: Bound): Promise<Server> {
    const server = createServer({ noDelay: true, allowHalfOpen: true }, (client: Socket) => {
      const endpoint = this.pickers.get(b.entryKey)?.pick(client.remoteAddress);
      if (!endpoint) return void client.resetAndDestroy();
      forwardTcp(client, endpoint, this.open);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: b.listener.address, port: b.listener.port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => {}); // accept errors after listening are per connection
        resolve(server);
      });
    });
  }

  private listenUdp(b: Bound): Promise<UdpForwarder> {
    const socket = createSocket({ type: 'udp4' });
    return new Promise((resolve, reject) => {
      socket.once('error', (e) => {
        socket.close();
        reject(e);
      });
      socket.bind({ address: b.listener.address, port: b.listener.port, exclusive: true }, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => {});
        resolve(new UdpForwarder(socket, (ip) => this.pickers.get(b.entryKey)?.pick(ip), this.udpIdleMs, this.nowMs));
      });
    });
  }

  private async retryFailed(): Promise<void> {
    const failed = [...this.bound.values()].filter((b) => b.error && !b.opening);
    if (failed.length === 0) return;
    const before = JSON.stringify([...this.failures()]);
    await Promise.all(failed.map((b) => this.openListener(b)));
    if (JSON.stringify([...this.failures()]) !== before) this.onFailuresChanged?.();
  }
}

function add(m: BindFailures, svc: string, message: string): void {
  const list = m.get(svc);
  if (list) list.push(message);
  else m.set(svc, [message]);
}

/** Stops accepting; the connections it forwarded go on. */
function closeSocket(b: Pick<Bound, 'socket'>): void {
  const s = b.socket;
  if (!s) return;
  if (s instanceof UdpForwarder) s.close();
  else s.close();
}

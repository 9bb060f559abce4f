/**
 * Where names outside the cluster zone go, as CoreDNS's `forward . /etc/resolv.conf`: the
 * query's bytes relayed over UDP to the first nameserver that answers, with an ID of our own
 * (so answers from concurrent clients cannot be confused) and the client's ID put back.
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, isIP } from 'node:net';

export interface NameServer {
  address: string;
  port: number;
}

export interface Upstream {
  /**
   * The upstream's answer to a wire-format query (ID as the client sent it), or undefined when
   * none answered in time. `tcp`: asked over TCP (a client that got a truncated answer retries
   * over TCP, and must get the whole answer, as CoreDNS's forward `prefer_udp` off does).
   */
  forward(query: Buffer, o?: { tcp?: boolean }): Promise<Buffer | undefined>;
  close(): void;
}

/** The `nameserver` lines of a resolv.conf (IPv4 only: the socket is udp4), without `exclude` (our own address: a loop). */
export function nameServersOf(resolvConf: string, exclude: readonly string[] = []): NameServer[] {
  const out: NameServer[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && isIP(m[1]!) === 4 && !exclude.includes(m[1]!)) out.push({ address: m[1]!, port: 53 });
  }
  return out;
}

/** The host's resolvers (/etc/resolv.conf). */
export function hostNameServers(exclude: readonly string[] = [], file = '/etc/resolv.conf'): NameServer[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return nameServersOf(text, exclude);
}

interface Pending {
  clientId: number;
  query: Buffer;
  server: number;
  timer: NodeJS.Timeout;
  resolve(answer: Buffer | undefined): void;
}

/** CoreDNS forward's default read timeout is 2 s per try. */
const DEFAULT_TIMEOUT_MS = 2000;

export class UdpUpstream implements Upstream {
  private socket: Socket | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly servers: readonly NameServer[],
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  forward(query: Buffer, o: { tcp?: boolean } = {}): Promise<Buffer | undefined> {
    if (this.servers.length === 0 || query.length < 12) return Promise.resolve(undefined);
    if (o.tcp) return this.forwardTcp(query);
    return new Promise((resolve) => {
      const id = this.freeId();
      if (id === undefined) return resolve(undefined);
      const p: Pending = { clientId: query.readUInt16BE(0), query: Buffer.from(query), server: 0, timer: undefined as unknown as NodeJS.Timeout, resolve };
      p.query.writeUInt16BE(id, 0);
      this.pending.set(id, p);
      this.send(id, p);
    });
  }

  /** One connection per query, to each server in turn (rare: only answers too big for UDP come this way). */
  private async forwardTcp(query: Buffer): Promise<Buffer | undefined> {
    for (const server of this.servers) {
      const answer = await askTcp(server, query, this.timeoutMs);
      if (answer) return answer;
    }
    return undefined;
  }

  close(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve(undefined);
    }
    this.socket?.close();
    this.socket = undefined;
  }

  private send(id: number, p: Pending): void {
    const server = this.servers[p.server]!;
    p.timer = setTimeout(() => {
      // The next nameserver, as a resolver tries them in order.
      if (++p.server < this.servers.length) return this.send(id, p);
      this.pending.delete(id);
      p.resolve(undefined);
    }, this.timeoutMs);
    p.timer.unref();
    this.open().send(p.query, server.port, server.address, (err) => {
      if (err) {
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.resolve(undefined);
      }
    });
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const socket = createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      if (msg.length < 12) return;
      const id = msg.readUInt16BE(0);
      const p = this.pending.get(id);
      const server = p && this.servers[p.server];
      // Only the server asked may answer (a stray datagram must not resolve someone else's query).
      if (!p || !server || server.address !== rinfo.address || server.port !== rinfo.port) return;
      clearTimeout(p.timer);
      this.pending.delete(id);
      const answer = Buffer.from(msg);
      answer.writeUInt16BE(p.clientId, 0);
      p.resolve(answer);
    });
    socket.on('error', () => {});
    socket.unref();
    this.socket = socket;
    return socket;
  }

  private freeId(): number | undefined {
    for (let i = 0; i < 65536; i++) {
      const id = this.nextId;
      this.nextId = (this.nextId + 1) & 0xffff;
      if (!this.pending.has(id)) return id;
    }
    return undefined;
  }
}

function askTcp(server: NameServer, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const framed = Buffer.allocUnsafe(2 + query.length);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    const socket = connect({ host: server.address, port: server.port }, () => socket.write(framed));
    let buffered = Buffer.alloc(0);
    const done = (answer: Buffer | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('close', () => resolve(undefined));
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) done(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
    });
  });
}

/**
 * UDP for one listener: each client flow (source address and port) gets its own socket
 * connected to the endpoint chosen for that flow, so the endpoint's replies come back to the
 * right client from the Service address. A flow idle for `idleMs` is forgotten (as conntrack
 * forgets a UDP entry), and its next datagram picks an endpoint anew.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { ProxyEndpoint } from './service-table.ts';

interface Flow {
  upstream: Socket;
  lastMs: number;
  /** Datagrams that came before the upstream socket was connected (dgram cannot queue them). */
  pending: Buffer[] | undefined;
}

export class UdpForwarder {
  private readonly flows = new Map<string, Flow>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly listener: Socket,
    private readonly pick: (clientIP: string) => ProxyEndpoint | undefined,
    private readonly idleMs: number,
    private readonly nowMs: () => number,
  ) {
    listener.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.sweep = setInterval(() => this.expire(), Math.max(50, Math.min(idleMs, 5_000)));
    this.sweep.unref();
  }

  private onMessage(msg: Buffer, from: RemoteInfo): void {
    const id = `${from.address}:${from.port}`;
    let flow = this.flows.get(id);
    if (!flow) {
      const endpoint = this.pick(from.address);
      if (!endpoint) return;
      const upstream = createSocket('udp4');
      upstream.on('message', (reply) => {
        const f = this.flows.get(id);
        if (f) f.lastMs = this.nowMs();
        this.listener.send(reply, from.port, from.address);
      });
      upstream.on('error', () => this.forget(id));
      const created: Flow = { upstream, lastMs: this.nowMs(), pending: [] };
      // From the client's own (loopback) address, so the endpoint sees who asked, as through DNAT.
      const local = from.address.startsWith('127.') ? from.address : undefined;
      upstream.bind({ port: 0, ...(local ? { address: local } : {}) }, () => {
        if (this.flows.get(id) !== created) return; // forgotten meanwhile: its socket is closed
        upstream.connect(endpoint.port, endpoint.ip, () => {
          if (this.flows.get(id) !== created) return;
          for (const m of created.pending ?? []) this.send(id, created, m);
          created.pending = undefined;
        });
      });
      this.flows.set(id, (flow = created));
    }
    flow.lastMs = this.nowMs();
    if (flow.pending) flow.pending.push(msg);
    else this.send(id, flow, msg);
  }

  private send(id: string, flow: Flow, msg: Buffer): void {
    flow.upstream.send(msg, (err) => err && this.forget(id));
  }

  private forget(id: string): void {
    const f = this.flows.get(id);
    if (!f) return;
    this.flows.delete(id);
    f.upstream.close();
  }

  private expire(): void {
    const now = this.nowMs();
    for (const [id, f] of this.flows) if (now - f.lastMs >= this.idleMs) this.forget(id);
  }

  get flowCount(): number {
    return this.flows.size;
  }

  /** Ends every flow and the listener. */
  close(): void {
    clearInterval(this.sweep);
    for (const id of [...this.flows.keys()]) this.forget(id);
    this.listener.close();
  }
}

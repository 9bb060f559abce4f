/**
 * Chooses the endpoint of each new connection (UDP: each new client flow) of one Service port:
 * round-robin over the current endpoints, or, with `sessionAffinity: ClientIP`, the endpoint the
 * client IP last used while that was less than the timeout ago (refreshed on every new
 * connection, as iptables' `recent --rcheck --seconds` is). The endpoints are replaced on every
 * reprogramming; the affinity survives for endpoints that are still there.
 */
import type { ProxyEndpoint } from './service-table.ts';

export class EndpointPicker {
  private endpoints: readonly ProxyEndpoint[] = [];
  private next = 0;
  private affinitySeconds: number | undefined;
  private readonly affinity = new Map<string, { endpoint: ProxyEndpoint; lastMs: number }>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** New endpoints (and affinity timeout) from a rebuilt table. */
  set(endpoints: readonly ProxyEndpoint[], affinitySeconds: number | undefined): void {
    this.endpoints = endpoints;
    if (this.next >= endpoints.length) this.next = 0;
    this.affinitySeconds = affinitySeconds;
    if (affinitySeconds === undefined) this.affinity.clear();
    else {
      const present = new Set(endpoints.map(id));
      for (const [client, a] of this.affinity) if (!present.has(id(a.endpoint))) this.affinity.delete(client);
    }
  }

  get size(): number {
    return this.endpoints.length;
  }

  /** The endpoint for a new connection from `clientIP`; undefined when there is none. */
  pick(clientIP: string | undefined): ProxyEndpoint | undefined {
    if (this.endpoints.length === 0) return undefined;
    if (this.affinitySeconds === undefined || clientIP === undefined) return this.roundRobin();
    const now = this.nowMs();
    const sticky = this.affinity.get(clientIP);
    if (sticky && now - sticky.lastMs < this.affinitySeconds * 1000) {
      sticky.lastMs = now;
      return sticky.endpoint;
    }
    const endpoint = this.roundRobin();
    this.affinity.set(clientIP, { endpoint, lastMs: now });
    if (this.affinity.size > 65_536) this.expire(now);
    return endpoint;
  }

  private roundRobin(): ProxyEndpoint {
    const e = this.endpoints[this.next]!;
    this.next = (this.next + 1) % this.endpoints.length;
    return e;
  }

  private expire(now: number): void {
    for (const [client, a] of this.affinity) if (now - a.lastMs >= (this.affinitySeconds ?? 0) * 1000) this.affinity.delete(client);
  }
}

function id(e: ProxyEndpoint): string {
  return `${e.ip}:${e.port}`;
}

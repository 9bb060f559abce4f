/**
 * What kube-proxy programs, as plain data: Services and EndpointSlices in, one entry per
 * Service port out, each with the addresses it answers on and the endpoints it forwards to.
 * Pure (no I/O, no clock), so the data plane can run anywhere the table can be posted.
 *
 * Rules, after k/k pkg/proxy/util/utils.go (ShouldSkipService), pkg/proxy/serviceport.go
 * (newBaseServiceInfo), pkg/proxy/endpointslicecache.go (addEndpoints), pkg/proxy/topology.go
 * (CategorizeEndpoints) — runtime-semantics.md §16:
 *  - skipped: clusterIP empty or `None`, `ExternalName`, label `service.kubernetes.io/service-proxy-name`
 *    (any value: kube-dns carries `kite-dns`, its component binds the VIP itself); slices labelled
 *    `service.kubernetes.io/headless`;
 *  - listeners: `clusterIP:port`, `nodePortAddress:nodePort` for NodePort/LoadBalancer, every
 *    `spec.externalIPs[]` and every `status.loadBalancer.ingress[].ip` whose ipMode is unset or
 *    `VIP`, at the Service port;
 *  - endpoints: every slice labelled `kubernetes.io/service-name`, slice port matched by name
 *    (`""` when unnamed) and protocol, `addresses[0]` only, duplicates merged; the ready ones, else
 *    the serving-and-terminating ones.
 *
 * Traffic policies: every node of the local runtime is on this one host, so every endpoint is
 * node-local and the Local set equals the Cluster set: `internalTrafficPolicy: Local` and
 * `externalTrafficPolicy: Local` forward to the same endpoints as `Cluster` (and the client
 * address is always kept, as it is loopback anyway). No "has no local endpoints" DROP can arise.
 *
 * SCTP ports get no entry (Node has no SCTP sockets).
 */
import type { EndpointSlice, Service } from '../../lib/api/model.ts';

// Well-known labels (k/k staging/src/k8s.io/api/discovery/v1/well_known_labels.go, pkg/proxy/apis/well_known_labels.go);
// kept here rather than imported from the controllers, which the proxy reaches only through the API.
const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const LABEL_SERVICE_PROXY_NAME = 'service.kubernetes.io/service-proxy-name';
/** core/v1 DefaultClientIPServiceAffinitySeconds (3 h). */
export const DEFAULT_AFFINITY_SECONDS = 10_800;

export type ProxyProtocol = 'TCP' | 'UDP';

/** Where a Service port answers. */
export interface ProxyListener {
  address: string;
  port: number;
  protocol: ProxyProtocol;
  /** Which Service address this is (for messages). */
  via: 'ClusterIP' | 'NodePort' | 'ExternalIP' | 'LoadBalancer';
}

export interface ProxyEndpoint {
  ip: string;
  port: number;
}

/** One Service port (kube-proxy's ServicePortName) with everything needed to forward it. */
export interface ServicePortEntry {
  /** `ns/name:portName/protocol`, as kube-proxy names a service port; stable across rebuilds. */
  key: string;
  namespace: string;
  service: string;
  portName: string;
  protocol: ProxyProtocol;
  listeners: ProxyListener[];
  /** The endpoints traffic goes to, sorted; empty = refuse (kube-proxy's REJECT "has no endpoints"). */
  endpoints: ProxyEndpoint[];
  /** `sessionAffinity: ClientIP`: the same client IP goes to the same endpoint for this long. */
  affinitySeconds?: number;
}

export interface ServiceTableOptions {
  /** Where NodePort Services listen (kube-proxy --nodeport-addresses). */
  nodePortAddress: string;
}

/** ShouldSkipService, and the label selector kube-proxy's Service informer uses. */
export function shouldSkipService(svc: Service): boolean {
  const spec = svc.spec ?? {};
  if (svc.metadata.labels?.[LABEL_SERVICE_PROXY_NAME] !== undefined) return true;
  if (spec.type === 'ExternalName') return true;
  const ip = spec.clusterIP;
  return ip === undefined || ip === '' || ip === 'None';
}

/** The table for the given objects; entries sorted by key. */
export function buildServiceTable(services: readonly Service[], slices: readonly EndpointSlice[], o: ServiceTableOptions): ServicePortEntry[] {
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const key = proxiedSliceService(s);
    if (key === undefined) continue;
    const list = slicesByService.get(key);
    if (list) list.push(s);
    else slicesByService.set(key, [s]);
  }
  const out: ServicePortEntry[] = [];
  for (const svc of services) out.push(...serviceEntries(svc, slicesByService.get(serviceKey(svc)) ?? [], o));
  return sortByKey(out);
}

/** A Service's key in the table (`ns/name`), as its slices name it. */
export function serviceKey(svc: Service): string {
  return `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`;
}

/** The key of the Service whose endpoints a slice holds, or undefined for a slice the proxy ignores. */
export function proxiedSliceService(s: EndpointSlice): string | undefined {
  const name = s.metadata.labels?.[LABEL_SERVICE_NAME];
  if (!name || s.metadata.labels?.[LABEL_HEADLESS] !== undefined || s.metadata.labels?.[LABEL_SERVICE_PROXY_NAME] !== undefined) return undefined;
  if (s.addressType !== 'IPv4') return undefined; // this runtime is IPv4-only
  return `${s.metadata.namespace}/${name}`;
}

/** One Service's entries (one per TCP/UDP port; none for a skipped Service), given its proxied slices. */
export function serviceEntries(svc: Service, svcSlices: readonly EndpointSlice[], o: ServiceTableOptions): ServicePortEntry[] {
  if (shouldSkipService(svc)) return [];
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  const spec = svc.spec ?? {};
  const ingressIPs = (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip && (i.ipMode === undefined || i.ipMode === 'VIP')).map((i) => i.ip!);
  const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined;
  const out: ServicePortEntry[] = [];
  for (const p of spec.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') continue;
    const portName = p.name ?? '';
    const listeners: ProxyListener[] = [{ address: spec.clusterIP!, port: p.port, protocol, via: 'ClusterIP' }];
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && p.nodePort) {
      listeners.push({ address: o.nodePortAddress, port: p.nodePort, protocol, via: 'NodePort' });
    }
    for (const ip of spec.externalIPs ?? []) listeners.push({ address: ip, port: p.port, protocol, via: 'ExternalIP' });
    if (spec.type === 'LoadBalancer') for (const ip of ingressIPs) listeners.push({ address: ip, port: p.port, protocol, via: 'LoadBalancer' });
    out.push({
      key: `${ns}/${name}:${portName}/${protocol}`,
      namespace: ns,
      service: name,
      portName,
      protocol,
      listeners,
      endpoints: endpointsFor(svcSlices, portName, protocol),
      ...(affinitySeconds !== undefined ? { affinitySeconds } : {}),
    });
  }
  return out;
}

/** Sorted in place by entry key (code-unit order), and returned. */
export function sortByKey(entries: ServicePortEntry[]): ServicePortEntry[] {
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** addEndpoints + CategorizeEndpoints for one service port: ready ones, else serving-and-terminating ones. */
function endpointsFor(slices: readonly EndpointSlice[], portName: string, protocol: ProxyProtocol): ProxyEndpoint[] {
  const ready = new Map<string, ProxyEndpoint>();
  const servingTerminating = new Map<string, ProxyEndpoint>();
  for (const s of slices) {
    const port = (s.ports ?? []).find((sp) => (sp.name ?? '') === portName && (sp.protocol ?? 'TCP') === protocol);
    // A slice port without a number is ignored, as in addEndpoints.
    if (!port?.port) continue;
    for (const e of s.endpoints) {
      const ip = e.addresses[0];
      if (!ip) continue;
      const c = e.conditions ?? {};
      const isReady = c.ready ?? true;
      const isServing = c.serving ?? true;
      const isTerminating = c.terminating ?? false;
      const ep = { ip, port: port.port };
      const id = `${ip}:${port.port}`;
      if (isReady) ready.set(id, ep);
      else if (isServing && isTerminating) servingTerminating.set(id, ep);
    }
  }
  const chosen = ready.size > 0 ? ready : servingTerminating;
  return [...chosen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ep]) => ep);
}

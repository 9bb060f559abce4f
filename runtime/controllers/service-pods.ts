/**
 * Which pods a selector Service selects, as the endpoint controllers (Endpoints and
 * EndpointSlices) see them: endpointslice util's ShouldPodBeInEndpoints /
 * GetPodServiceMemberships / GetServicesToUpdateOnPodChange and podutil's FindPort / IsPodReady,
 * with an index of pods by namespace and of service selectors, fed by the controllers' informers.
 */
import { selectorFromSet } from '../../lib/api/selector.ts';
import type { Container, Pod, PodCondition, Service, ServicePort } from '../../lib/api/model.ts';
import { keyOf } from '../client/informer.ts';
import { stringMapsEqual } from './shared.ts';

/**
 * Pods by namespace and the selectors of selector Services, kept by informer handlers. Both sides
 * are indexed by label pair, so finding a pod's services or a service's pods looks only at
 * candidates sharing a pair: matching every pod against every selector is quadratic in a
 * namespace of thousands of Services (Service selectors are plain maps, so this is exact).
 */
export class ServicePodIndex {
  /** Pods by namespace and key. */
  private readonly podsByNs = new Map<string, Map<string, Pod>>();
  /** Pod keys by namespace and label pair. */
  private readonly podsByPair = new Map<string, Map<string, Set<string>>>();
  /** The selector of every service with one, by service key. */
  private readonly selectors = new Map<string, Record<string, string>>();
  /** Service keys by namespace and selector pair. */
  private readonly servicesByPair = new Map<string, Map<string, Set<string>>>();

  setService(svc: Service): void {
    this.forgetService(svc);
    const selector = selectorOf(svc);
    if (!selector) return;
    const key = keyOf(svc);
    this.selectors.set(key, selector);
    addPairs(this.servicesByPair, svc.metadata.namespace ?? '', selector, key);
  }

  forgetService(svc: Service): void {
    const key = keyOf(svc);
    const selector = this.selectors.get(key);
    if (!selector) return;
    this.selectors.delete(key);
    removePairs(this.servicesByPair, svc.metadata.namespace ?? '', selector, key);
  }

  setPod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    let m = this.podsByNs.get(ns);
    if (!m) this.podsByNs.set(ns, (m = new Map()));
    const key = keyOf(pod);
    const old = m.get(key);
    if (old) removePairs(this.podsByPair, ns, old.metadata.labels ?? {}, key);
    m.set(key, pod);
    addPairs(this.podsByPair, ns, pod.metadata.labels ?? {}, key);
  }

  forgetPod(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    const key = keyOf(pod);
    const m = this.podsByNs.get(ns);
    const old = m?.get(key);
    if (!m || !old) return;
    m.delete(key);
    removePairs(this.podsByPair, ns, old.metadata.labels ?? {}, key);
  }

  /** The pods of the service's namespace its selector matches. */
  podsOf(service: Service, selector: Record<string, string>): Pod[] {
    const ns = service.metadata.namespace ?? '';
    const pods = this.podsByNs.get(ns);
    const byPair = this.podsByPair.get(ns);
    if (!pods || !byPair) return [];
    // The rarest pair's pods are the only candidates.
    let candidates: Set<string> | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const set = byPair.get(pairKey(k, v));
      if (!set) return [];
      if (!candidates || set.size < candidates.size) candidates = set;
    }
    const sel = selectorFromSet(selector);
    const out: Pod[] = [];
    for (const key of candidates ?? []) {
      const pod = pods.get(key);
      if (pod && sel.matches(pod.metadata.labels ?? {})) out.push(pod);
    }
    return out;
  }

  /** GetPodServiceMemberships: the services whose every selector pair the pod's labels have. */
  servicesFor(pod: Pod): Set<string> {
    const out = new Set<string>();
    const byPair = this.servicesByPair.get(pod.metadata.namespace ?? '');
    if (!byPair) return out;
    const hits = new Map<string, number>();
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
      for (const key of byPair.get(pairKey(k, v)) ?? []) hits.set(key, (hits.get(key) ?? 0) + 1);
    }
    for (const [key, n] of hits) if (n === Object.keys(this.selectors.get(key) ?? {}).length) out.add(key);
    return out;
  }

  /** GetServicesToUpdateOnPodChange */
  servicesToUpdateOnPodChange(old: Pod, cur: Pod): Set<string> {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return new Set();
    const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
    if (!podChanged && !labelsChanged) return new Set();
    const services = this.servicesFor(cur);
    if (!labelsChanged) return services;
    const oldServices = this.servicesFor(old);
    if (podChanged) {
      for (const k of oldServices) services.add(k);
      return services;
    }
    // Only the services the pod joined or left.
    const out = new Set<string>();
    for (const k of services) if (!oldServices.has(k)) out.add(k);
    for (const k of oldServices) if (!services.has(k)) out.add(k);
    return out;
  }
}

const pairKey = (k: string, v: string) => `${k}=${v}`;

function addPairs(index: Map<string, Map<string, Set<string>>>, ns: string, labels: Record<string, string>, key: string): void {
  let m = index.get(ns);
  if (!m) index.set(ns, (m = new Map()));
  for (const [k, v] of Object.entries(labels)) {
    const pk = pairKey(k, v);
    let set = m.get(pk);
    if (!set) m.set(pk, (set = new Set()));
    set.add(key);
  }
}

function removePairs(index: Map<string, Map<string, Set<string>>>, ns: string, labels: Record<string, string>, key: string): void {
  const m = index.get(ns);
  if (!m) return;
  for (const [k, v] of Object.entries(labels)) {
    const pk = pairKey(k, v);
    const set = m.get(pk);
    if (set?.delete(key) && set.size === 0) m.delete(pk);
  }
  if (m.size === 0) index.delete(ns);
}

/** The service's pod selector; an empty map is stored as nil by the real API server (protobuf): selector-less. */
export function selectorOf(svc: Service): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

/** ShouldPodBeInEndpoints */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

export function podIPs(pod: Pod): string[] {
  const list = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip) => typeof ip === 'string' && ip !== '');
  if (list.length === 0 && pod.status?.podIP) list.push(pod.status.podIP);
  return list;
}

/** podToEndpointAddressForService: the pod IP of the service's (first) IP family. */
export function podIPForService(svc: Service, pod: Pod): string | undefined {
  let v6: boolean;
  const families = svc.spec?.ipFamilies;
  if (families && families.length > 0) v6 = families[0] === 'IPv6';
  else if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') v6 = isIPv6(svc.spec.clusterIP);
  else v6 = isIPv6(pod.status?.podIP ?? '');
  return podIPs(pod).find((ip) => isIPv6(ip) === v6);
}

/** podutil.FindPort: a number as is; a name resolved against the containers' (and sidecars') ports. */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  const protocol = servicePort.protocol ?? 'TCP';
  const search = (containers: Container[]) => {
    for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    return undefined;
  };
  return search(pod.spec.containers) ?? search((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'));
}

export function sameIPs(a: Pod, b: Pod): boolean {
  if (a.status?.podIP !== b.status?.podIP) return false;
  const x = a.status?.podIPs ?? [];
  const y = b.status?.podIPs ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i]?.ip !== y[i]?.ip) return false;
  return true;
}

/** podEndpointsChanged */
export function podEndpointsChanged(old: Pod, cur: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !stringMapsEqual(cur.metadata.labels, old.metadata.labels) || (cur.spec?.hostname ?? '') !== (old.spec?.hostname ?? '') || (cur.spec?.subdomain ?? '') !== (old.spec?.subdomain ?? '');
  const podChanged =
    cur.metadata.deletionTimestamp !== old.metadata.deletionTimestamp ||
    isPodReady(old) !== isPodReady(cur) ||
    // (podIP too, which is what is used without podIPs; a terminal phase drops the pod)
    !sameIPs(old, cur) ||
    (old.status?.phase === 'Succeeded' || old.status?.phase === 'Failed') !== (cur.status?.phase === 'Succeeded' || cur.status?.phase === 'Failed') ||
    (old.spec?.nodeName ?? '') !== (cur.spec?.nodeName ?? '');
  return { podChanged, labelsChanged };
}

/** The pod's Ready condition (podutil.GetPodReadyCondition), without allocating: this runs per pod per sync. */
export function readyCondition(pod: Pod): PodCondition | undefined {
  const conds = pod.status?.conditions;
  if (!Array.isArray(conds)) return undefined;
  for (const c of conds) if (c?.type === 'Ready') return c;
  return undefined;
}

/** podutil.IsPodReady */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}


/**
 * The Endpoints controller, k/k pkg/controller/endpoint/endpoints_controller.go (syncService),
 * with endpointslice util's ShouldPodBeInEndpoints / ShouldSetHostname / GetServicesToUpdateOnPodChange,
 * podutil.FindPort and pkg/api/v1/endpoints.RepackSubsets (including its md5-of-spew ordering).
 *
 * Services without a selector (and ExternalName services) are never touched: their Endpoints
 * belong to the user. The Endpoints this controller writes carry `endpoints.kubernetes.io/managed-by:
 * endpoint-controller`; only those are deleted when their Service goes (also at start-up, for
 * Services deleted while the controller was not running). Pod events are batched per service (`batchPeriodMs`, stretched to three times
 * the service's last sync time), so a burst of pod changes costs one sync of that service.
 */
import { createHash } from 'node:crypto';
import { jsonEqual } from '../../lib/api/equal.ts';
import { isAlreadyExists, isNamespaceTerminating, isNotFound } from '../../lib/api/status.ts';
import { formatRFC3339Nano } from '../../lib/api/time.ts';
import type { ObjectMeta } from '../../lib/api/meta.ts';
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import { keyOf, splitKey, type Informer } from '../client/informer.ts';
import { QueueController } from './queue-controller.ts';
import { ControllerEventRecorder } from './events.ts';
import { findPort, isPodReady, podIPForService, readyCondition, selectorOf, ServicePodIndex, shouldPodBeInEndpoints } from './service-pods.ts';
import { errorMessage, stringMapsEqual, type ControllerOptions } from './shared.ts';

/** maxCapacity: Endpoints beyond this many addresses are truncated. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
export const ANNOTATION_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** Set on the Endpoints this controller writes (since Kubernetes 1.33): only those are ever deleted. */
export const LABEL_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpoint-controller';

export interface EndpointsControllerOptions extends ControllerOptions {
  /**
   * Pod-triggered syncs of a service wait this long, collecting the burst (default 100 ms); under
   * load the wait stretches to three times the service's last sync, so syncing a large service
   * never takes more than a quarter of the time.
   */
  batchPeriodMs?: number;
}


export class EndpointsController extends QueueController {
  private readonly serviceInformer: Informer<'services'>;
  private readonly events: ControllerEventRecorder;
  private readonly clock: () => Date;
  private readonly batchPeriodMs: number;
  private readonly index = new ServicePodIndex();
  private readonly lastSyncMs = new Map<string, number>();
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(
    private readonly client: ApiClient,
    opts: EndpointsControllerOptions = {},
  ) {
    super('endpoint-controller', client, opts, 5);
    this.clock = opts.clock ?? (() => client.now());
    this.batchPeriodMs = opts.batchPeriodMs ?? 100;
    this.events = new ControllerEventRecorder(client, 'endpoint-controller', this.clock);
    this.serviceInformer = this.informers.on('services', {
      add: (svc) => this.onService(svc),
      update: (svc) => this.onService(svc),
      delete: (svc) => {
        this.index.forgetService(svc);
        this.queue.add(keyOf(svc));
      },
    });
    this.informers.on('pods', {
      add: (pod) => {
        this.index.setPod(pod);
        for (const key of this.index.servicesFor(pod)) this.enqueueBatched(key);
      },
      update: (cur, old) => {
        this.index.setPod(cur);
        for (const key of this.index.servicesToUpdateOnPodChange(old, cur)) this.enqueueBatched(key);
      },
      delete: (pod) => {
        this.index.forgetPod(pod);
        for (const key of this.index.servicesFor(pod)) this.enqueueBatched(key);
      },
    });
    this.informers.on('endpoints', {
      // checkLeftoverEndpoints: ours, without a Service (deleted while we were not running)
      add: (ep) => {
        if (ep.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME && !this.serviceInformer.get(keyOf(ep))) this.queue.add(keyOf(ep));
      },
      // Someone deleted the Endpoints of a service we manage: put it back.
      delete: (ep) => {
        const key = keyOf(ep);
        if (this.serviceInformer.get(key)) this.queue.add(key);
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // handlers

  private onService(svc: Service): void {
    this.index.setService(svc);
    this.queue.add(keyOf(svc));
  }

  private enqueueBatched(key: string): void {
    this.queue.addAfter(key, Math.max(this.batchPeriodMs, 3 * (this.lastSyncMs.get(key) ?? 0)));
  }

  // -------------------------------------------------------------------------------------------
  // sync

  /** syncService */
  async sync(key: string): Promise<void> {
    const started = performance.now();
    try {
      await this.syncService(key);
    } finally {
      this.lastSyncMs.set(key, performance.now() - started);
    }
  }

  private async syncService(key: string): Promise<void> {
    const { ns: namespace, name } = splitKey(key);
    const ns = namespace ?? '';
    const service = this.serviceInformer.get(key);
    if (!service) {
      // The Service is gone: so are its Endpoints, if we wrote them.
      this.lastSyncMs.delete(key);
      this.triggerTimes.deleteService(key);
      const ep = this.client.get('endpoints', ns, name);
      if (!ep || ep.metadata.labels?.[LABEL_MANAGED_BY] !== CONTROLLER_NAME) return;
      try {
        await this.client.delete('endpoints', ns, name, { preconditions: { uid: ep.metadata.uid } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    const spec = service.spec ?? {};
    if (spec.type === 'ExternalName') return;
    const serviceSelector = selectorOf(service);
    if (!serviceSelector) return;

    const pods = this.index.podsOf(service, serviceSelector);
    const triggerTime = this.triggerTimes.compute(key, service, pods);

    const publishNotReady = spec.publishNotReadyAddresses === true;
    const ports = spec.ports ?? [];
    const headless = spec.clusterIP === 'None';
    let subsets: EndpointSubset[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
      const ip = podIPForService(service, pod);
      if (ip === undefined) continue;
      const address: EndpointAddress = { ip };
      if (pod.spec?.hostname && pod.spec?.subdomain === service.metadata.name && pod.metadata.namespace === service.metadata.namespace) address.hostname = pod.spec.hostname;
      if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
      address.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
      const ready = publishNotReady || isPodReady(pod);
      if (ports.length === 0) {
        // A headless service may have no ports: addresses alone.
        if (headless) subsets.push(ready ? { addresses: [address] } : { notReadyAddresses: [address] });
        continue;
      }
      for (const sp of ports) {
        const portNum = findPort(pod, sp);
        if (portNum === undefined) continue;
        const epp: EndpointPort = sp.name ? { name: sp.name, port: portNum } : { port: portNum };
        epp.protocol = sp.protocol ?? 'TCP';
        if (sp.appProtocol !== undefined) epp.appProtocol = sp.appProtocol;
        subsets.push(ready ? { addresses: [address], ports: [epp] } : { notReadyAddresses: [address], ports: [epp] });
      }
    }
    subsets = repackSubsets(subsets);

    const current = this.client.get('endpoints', ns, name);
    const create = !current;
    const truncated = truncateEndpoints(subsets);
    const labels: Record<string, string> = { ...(service.metadata.labels ?? {}), [LABEL_MANAGED_BY]: CONTROLLER_NAME };
    const ipSet = spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIP !== 'None';
    if (!ipSet) labels[LABEL_HEADLESS] = '';
    const currentOverCapacity = current?.metadata.annotations?.[ANNOTATION_OVER_CAPACITY] !== undefined;
    if (current && jsonEqual(current.subsets ?? [], truncated.subsets) && stringMapsEqual(current.metadata.labels, labels) && currentOverCapacity === truncated.truncated) {
      return;
    }

    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime !== undefined) annotations[ANNOTATION_LAST_CHANGE_TRIGGER_TIME] = formatRFC3339Nano(new Date(triggerTime));
    else delete annotations[ANNOTATION_LAST_CHANGE_TRIGGER_TIME];
    if (truncated.truncated) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
    else delete annotations[ANNOTATION_OVER_CAPACITY];
    const metadata: ObjectMeta = current ? { ...current.metadata } : { name, namespace: ns };
    metadata.labels = labels;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
    const endpoints: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata };
    if (truncated.subsets.length > 0) endpoints.subsets = truncated.subsets;

    try {
      if (current) await this.client.update('endpoints', endpoints);
      else await this.client.create('endpoints', ns, endpoints);
    } catch (e) {
      // Someone else created it (e.g. the user for a service that just gained a selector): sync later.
      if (isAlreadyExists(e)) return;
      if (create && isNamespaceTerminating(e)) return;
      if (current) this.events.warning(current, 'FailedToUpdateEndpoint', `Failed to update endpoint ${ns}/${name}: ${errorMessage(e)}`);
      else this.events.warning(endpoints, 'FailedToCreateEndpoint', `Failed to create endpoint for service ${ns}/${name}: ${errorMessage(e)}`);
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// RepackSubsets

/** pkg/api/v1/endpoints.RepackSubsets: addresses grouped by the exact set of ports they serve. */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  const portToAddrReady = new Map<string, { port: EndpointPort | undefined; addrs: Map<EndpointAddress, boolean> }>();
  const mapAddress = (addr: EndpointAddress, portKey: string, port: EndpointPort | undefined, ready: boolean) => {
    const key = `${addr.ip}\u0000${addr.targetRef?.uid ?? ''}`;
    let existing = allAddrs.get(key);
    if (!existing) allAddrs.set(key, (existing = addr));
    let entry = portToAddrReady.get(portKey);
    if (!entry) portToAddrReady.set(portKey, (entry = { port, addrs: new Map() }));
    // not ready always trumps ready
    const was = entry.addrs.get(existing);
    if (was === undefined || was) entry.addrs.set(existing, ready);
  };
  for (const ss of subsets) {
    const ports: Array<EndpointPort | undefined> = ss.ports && ss.ports.length > 0 ? ss.ports : [undefined];
    for (const port of ports) {
      const portKey = port ? JSON.stringify([port.name ?? '', port.port, port.protocol ?? '', port.appProtocol ?? null]) : 'sentinel';
      for (const a of ss.addresses ?? []) mapAddress(a, portKey, port, true);
      for (const a of ss.notReadyAddresses ?? []) mapAddress(a, portKey, port, false);
    }
  }
  // Group ports by their identical (address, readiness) sets (with one port, there is one group).
  const groups = new Map<string, { addrs: Map<EndpointAddress, boolean>; ports: EndpointPort[] }>();
  for (const { port, addrs } of portToAddrReady.values()) {
    let key = '';
    if (portToAddrReady.size > 1) {
      const parts: string[] = [];
      for (const [a, r] of addrs) parts.push(`${a.ip}\u0000${a.targetRef?.uid ?? ''}\u0000${r ? 1 : 0}`);
      key = parts.sort().join('\u0001');
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: [] }));
    if (port) g.ports.push(port);
  }
  const out: Array<{ subset: EndpointSubset; hash: string }> = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [a, r] of g.addrs) (r ? ready : notReady).push(a);
    ready.sort(compareAddresses);
    notReady.sort(compareAddresses);
    const ports = g.ports.length < 2 ? g.ports : g.ports.map((p) => ({ p, h: md5(`(v1.EndpointPort)${spewPort(p)}`) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0)).map((x) => x.p);
    const subset: EndpointSubset = {};
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (ports.length > 0) subset.ports = ports;
    out.push({ subset, hash: '' });
  }
  // (hashes are only needed to order several subsets)
  if (out.length > 1) for (const x of out) x.hash = md5(spewSubset(x.subset));
  out.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  return out.map((x) => x.subset);
}

/** LessEndpointAddress: by IP (bytes), then target UID. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ub === undefined) return ua === undefined ? 0 : 1;
  if (ua === undefined) return -1;
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

// hashutil.DeepHashObject prints the Go value with spew's `%#v` (types shown, no pointer
// addresses); these reproduce that text for the two types RepackSubsets sorts by hash.

function spewPort(p: EndpointPort): string {
  return `{Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:(*string)${p.appProtocol ?? '<nil>'}}`;
}

function spewAddress(a: EndpointAddress): string {
  // The controller always sets NodeName (possibly to ""), and TargetRef.
  const ref = a.targetRef
    ? `(*v1.ObjectReference){Kind:(string)${a.targetRef.kind} Namespace:(string)${a.targetRef.namespace} Name:(string)${a.targetRef.name} UID:(types.UID)${a.targetRef.uid} APIVersion:(string) ResourceVersion:(string) FieldPath:(string)}`
    : '(*v1.ObjectReference)<nil>';
  return `{IP:(string)${a.ip} Hostname:(string)${a.hostname ?? ''} NodeName:(*string)${a.nodeName ?? ''} TargetRef:${ref}}`;
}

function spewSubset(s: EndpointSubset): string {
  const list = <T>(type: string, items: T[] | undefined, f: (x: T) => string) => `(${type})${items && items.length > 0 ? `[${items.map(f).join(' ')}]` : '<nil>'}`;
  return `(v1.EndpointSubset){Addresses:${list('[]v1.EndpointAddress', s.addresses, spewAddress)} NotReadyAddresses:${list('[]v1.EndpointAddress', s.notReadyAddresses, spewAddress)} Ports:${list('[]v1.EndpointPort', s.ports, spewPort)}}`;
}

/**
 * truncateEndpoints: at most MAX_ENDPOINTS_CAPACITY addresses, ready ones first, spread over
 * the subsets in proportion to their sizes.
 */
export function truncateEndpoints(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return { subsets, truncated: false };
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  const out = subsets.map((s) => {
    const n = (truncateReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const toBeAdded = Math.min(Math.ceil((n / numTotal) * max), canBeAdded);
    const next: EndpointSubset = { ...s };
    if (truncateReady) {
      next.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete next.notReadyAddresses;
      canBeAdded -= next.addresses.length;
      if (next.addresses.length === 0) delete next.addresses;
    } else {
      next.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= next.notReadyAddresses.length;
      if (next.notReadyAddresses.length === 0) delete next.notReadyAddresses;
    }
    // keep the field order of a subset: addresses, notReadyAddresses, ports
    const ordered: EndpointSubset = {};
    if (next.addresses) ordered.addresses = next.addresses;
    if (next.notReadyAddresses) ordered.notReadyAddresses = next.notReadyAddresses;
    if (next.ports) ordered.ports = next.ports;
    return ordered;
  });
  return { subsets: out, truncated: true };
}

/**
 * pkg/controller/util/endpoint TriggerTimeTracker: the time of the earliest change (pod Ready
 * transition or service creation) not yet reflected in the Endpoints.
 */
class TriggerTimeTracker {
  private readonly states = new Map<string, { pods: Map<string, number>; service: number | undefined }>();

  compute(key: string, service: Service, pods: Pod[]): number | undefined {
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(readyCondition(pod)?.lastTransitionTime);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name ?? '', t);
      const before = state?.pods.get(pod.metadata.name ?? '');
      if (before === undefined || t > before) min = min === undefined ? t : Math.min(min, t);
    }
    const svcTime = parseTime(service.metadata.creationTimestamp);
    if (svcTime !== undefined && (state?.service === undefined || svcTime > state.service)) min = min === undefined ? svcTime : Math.min(min, svcTime);
    this.states.set(key, { pods: podTimes, service: svcTime });
    if (!state) return svcTime;
    return min;
  }

  deleteService(key: string): void {
    this.states.delete(key);
  }
}

// Timestamps have second precision: many pods share one, so parsing is memoized.
const parsedTimes = new Map<string, number>();

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  let t = parsedTimes.get(v);
  if (t === undefined) {
    t = Date.parse(v);
    if (parsedTimes.size > 4096) parsedTimes.clear();
    parsedTimes.set(v, t);
  }
  return Number.isNaN(t) ? undefined : t;
}

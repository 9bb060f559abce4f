/**
 * The EndpointSlice controller, after k/k pkg/controller/endpointslice (endpointslice_controller.go
 * syncService) and staging/src/k8s.io/endpointslice (reconciler.go, utils.go podToEndpoint,
 * getEndpointPorts, setEndpointSliceLabels, newEndpointSlice): the slices of every Service with a
 * selector, one set per address type of the Service's IP families.
 *
 *  - endpoints: the selected pods that have an IP (terminating ones included), with conditions
 *    serving = pod Ready, terminating = being deleted, ready = publishNotReadyAddresses or (serving
 *    and not terminating); nodeName, zone (from the node's label), hostname (pod hostname with the
 *    Service as subdomain) and targetRef;
 *  - grouped by their port set (the Service's ports resolved against the pod, named as the
 *    Service's): one slice per 100 endpoints (--max-endpoints-per-slice), existing slices updated
 *    in place, emptied ones reused for new port sets before any is deleted;
 *  - no endpoints: one placeholder slice without endpoints or ports;
 *  - labelled with the Service's labels, `kubernetes.io/service-name`,
 *    `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io` (and
 *    `service.kubernetes.io/headless` for a headless Service), generateName `<service>-`, owned
 *    by the Service (controller reference): the garbage collector removes them with it.
 *
 * Services without a selector (their slices mirror their Endpoints: endpointslice-mirror.ts) and
 * ExternalName Services get nothing from this controller. Not done: topology hints, the
 * last-change-trigger-time annotation.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import type { ObjectMeta } from '../../lib/api/meta.ts';
import type { AddressType, Endpoint, EndpointSlice, EndpointSlicePort, Pod, Service } from '../../lib/api/model.ts';
import { isNamespaceTerminating, isNotFound } from '../../lib/api/status.ts';
import type { ApiClient } from '../client/client.ts';
import { keyOf, splitKey, type Informer } from '../client/informer.ts';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './endpointslice-mirror.ts';
import { LABEL_HEADLESS } from './endpoints.ts';
import { QueueController } from './queue-controller.ts';
import { findPort, isIPv6, isPodReady, podIPs, selectorOf, ServicePodIndex, shouldPodBeInEndpoints } from './service-pods.ts';
import { controllerOf, type ControllerOptions } from './shared.ts';

export const SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
const LABEL_ZONE = 'topology.kubernetes.io/zone';

export interface EndpointSliceControllerOptions extends ControllerOptions {
  /** Pod-triggered syncs of a service wait this long, collecting a burst (default 100 ms; stretched under load). */
  batchPeriodMs?: number;
}

/** The endpoints of one port set, keyed by pod. */
interface Group {
  ports: EndpointSlicePort[];
  endpoints: Map<string, Endpoint>;
}

export class EndpointSliceController extends QueueController {
  private readonly services: Informer<'services'>;
  private readonly nodes: Informer<'nodes'>;
  private readonly index = new ServicePodIndex();
  /** Our slices by the key of their Service. */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  private readonly batchPeriodMs: number;
  private readonly lastSyncMs = new Map<string, number>();

  constructor(
    private readonly client: ApiClient,
    opts: EndpointSliceControllerOptions = {},
  ) {
    super('endpointslice-controller', client, opts, 5);
    this.batchPeriodMs = opts.batchPeriodMs ?? 100;
    const onService = (svc: Service) => {
      this.index.setService(svc);
      this.queue.add(keyOf(svc));
    };
    this.services = this.informers.on('services', {
      add: onService,
      update: onService,
      delete: (svc) => {
        this.index.forgetService(svc);
        this.queue.add(keyOf(svc));
      },
    });
    this.nodes = this.informers.on('nodes', {});
    this.informers.on('pods', {
      add: (pod) => {
        this.index.setPod(pod);
        this.enqueueAll(this.index.servicesFor(pod));
      },
      update: (cur, old) => {
        this.index.setPod(cur);
        this.enqueueAll(this.index.servicesToUpdateOnPodChange(old, cur));
      },
      delete: (pod) => {
        this.index.forgetPod(pod);
        this.enqueueAll(this.index.servicesFor(pod));
      },
    });
    // A slice of ours changed or went: resync its Service, batched like pod changes (most of
    // these events are our own writes, whose resync finds nothing to do).
    this.informers.on('endpointslices', {
      add: (s) => this.onSlice(s, undefined),
      update: (s, old) => this.onSlice(s, old),
      delete: (s) => this.onSlice(undefined, s),
    });
  }

  private enqueueAll(keys: Iterable<string>): void {
    for (const key of keys) this.enqueueBatched(key);
  }

  /** Waits for the burst, and at least three times the service's last sync: a large service never takes more than a quarter of the time. */
  private enqueueBatched(key: string): void {
    this.queue.addAfter(key, Math.max(this.batchPeriodMs, 3 * (this.lastSyncMs.get(key) ?? 0)));
  }

  private onSlice(cur: EndpointSlice | undefined, old: EndpointSlice | undefined): void {
    for (const [s, present] of [
      [old, false],
      [cur, true],
    ] as const) {
      const key = s && ours(s) ? serviceKey(s) : undefined;
      if (!key) continue;
      let m = this.slices.get(key);
      if (present) {
        if (!m) this.slices.set(key, (m = new Map()));
        m.set(keyOf(s!), s!);
      } else if (m?.delete(keyOf(s!)) && m.size === 0) this.slices.delete(key);
      this.enqueueBatched(key);
    }
  }

  async sync(key: string): Promise<void> {
    const started = performance.now();
    try {
      await this.syncService(key);
    } finally {
      if (this.services.get(key)) this.lastSyncMs.set(key, performance.now() - started);
      else this.lastSyncMs.delete(key);
    }
  }

  /** syncService */
  private async syncService(key: string): Promise<void> {
    const service = this.services.get(key);
    // Gone: the garbage collector deletes its slices (they are owned by it).
    if (!service || service.spec?.type === 'ExternalName') return;
    const selector = selectorOf(service);
    if (!selector) return;
    const pods = this.index.podsOf(service, selector);
    const existing = [...(this.slices.get(key)?.values() ?? [])].filter((s) => controllerOf(s)?.uid === service.metadata.uid);
    const types = addressTypes(service);
    const plans = types.map((t) =>
      plan(
        service,
        t,
        this.desired(service, t, pods),
        existing.filter((s) => s.addressType === t),
      ),
    );
    // Slices of an address type the Service no longer has.
    const stale = existing.filter((s) => !types.includes(s.addressType));
    const ns = splitKey(key).ns ?? '';
    for (const p of plans) await this.write(ns, p.create, p.update, p.remove);
    await this.write(ns, [], [], stale);
  }

  /** The endpoints of the pods for one address type, grouped by their port set. */
  private desired(service: Service, type: AddressType, pods: Pod[]): Map<string, Group> {
    const groups = new Map<string, Group>();
    const publishNotReady = service.spec?.publishNotReadyAddresses === true;
    for (const pod of pods.sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const addresses = podIPs(pod).filter((ip) => isIPv6(ip) === (type === 'IPv6'));
      if (addresses.length === 0) continue;
      const ports = endpointPorts(service, pod);
      const key = portsKey(ports);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ports, endpoints: new Map() }));
      g.endpoints.set(pod.metadata.uid ?? keyOf(pod), this.podToEndpoint(pod, service, addresses, publishNotReady));
    }
    return groups;
  }

  /** podToEndpoint */
  private podToEndpoint(pod: Pod, service: Service, addresses: string[], publishNotReady: boolean): Endpoint {
    const serving = isPodReady(pod);
    const terminating = !!pod.metadata.deletionTimestamp;
    const ep: Endpoint = {
      addresses,
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    };
    if (pod.spec.hostname && pod.spec.subdomain === service.metadata.name && pod.metadata.namespace === service.metadata.namespace) ep.hostname = pod.spec.hostname;
    ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    if (pod.spec.nodeName) {
      ep.nodeName = pod.spec.nodeName;
      const zone = this.nodes.get(pod.spec.nodeName)?.metadata.labels?.[LABEL_ZONE];
      if (zone) ep.zone = zone;
    }
    return ep;
  }

  private async write(ns: string, create: EndpointSlice[], update: EndpointSlice[], remove: EndpointSlice[]): Promise<void> {
    for (const s of create) {
      try {
        await this.client.create('endpointslices', ns, s);
      } catch (e) {
        if (isNamespaceTerminating(e)) return;
        throw e;
      }
    }
    for (const s of update) await this.client.update('endpointslices', s);
    for (const s of remove) {
      try {
        await this.client.delete('endpointslices', ns, s.metadata.name ?? '', { preconditions: { uid: s.metadata.uid } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

interface Plan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  remove: EndpointSlice[];
}

/**
 * reconcileByAddressType: existing slices keep the endpoints they have that are still wanted
 * (updated in place), new endpoints fill their free room first, then new slices of at most 100;
 * slices left empty are reused for new ones or deleted; no endpoints at all: one placeholder.
 */
function plan(service: Service, type: AddressType, groups: Map<string, Group>, existing: EndpointSlice[]): Plan {
  const out: Plan = { create: [], update: [], remove: [] };
  const meta = sliceMeta(service);
  const kept: Array<{ slice: EndpointSlice; endpoints: Endpoint[]; group: string }> = [];
  const emptied: EndpointSlice[] = [];
  for (const s of [...existing].sort(byName)) {
    const key = portsKey(s.ports ?? []);
    const g = groups.get(key);
    const endpoints: Endpoint[] = [];
    for (const e of s.endpoints ?? []) {
      const id = e.targetRef?.uid ?? '';
      const want = g?.endpoints.get(id);
      if (!want) continue;
      endpoints.push(want);
      g!.endpoints.delete(id);
    }
    if (endpoints.length > 0) kept.push({ slice: s, endpoints, group: key });
    else emptied.push(s);
  }
  for (const k of kept) {
    const rest = groups.get(k.group)!.endpoints;
    for (const [id, e] of rest) {
      if (k.endpoints.length >= MAX_ENDPOINTS_PER_SLICE) break;
      k.endpoints.push(e);
      rest.delete(id);
    }
    const next: EndpointSlice = { ...k.slice, metadata: { ...k.slice.metadata, ...meta }, endpoints: k.endpoints };
    if (!jsonEqual(next, k.slice)) out.update.push(next);
  }
  for (const g of groups.values()) {
    const rest = [...g.endpoints.values()];
    for (let i = 0; i < rest.length; i += MAX_ENDPOINTS_PER_SLICE) out.create.push(newSlice(service, type, g.ports, rest.slice(i, i + MAX_ENDPOINTS_PER_SLICE)));
  }
  if (kept.length === 0 && out.create.length === 0) {
    // The placeholder: kept as it is if there already is one.
    const placeholder = emptied.find((s) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0);
    if (placeholder) {
      const next: EndpointSlice = { ...placeholder, metadata: { ...placeholder.metadata, ...meta } };
      if (!jsonEqual(next, placeholder)) out.update.push(next);
      out.remove.push(...emptied.filter((s) => s !== placeholder));
      return out;
    }
    out.create.push(newSlice(service, type, undefined, []));
  }
  // Rather than deleting slices and creating new ones, reuse the emptied slices' names.
  while (emptied.length > 0 && out.create.length > 0) {
    const victim = emptied.shift()!;
    const s = out.create.shift()!;
    out.update.push({ ...s, metadata: { ...victim.metadata, ...meta } });
  }
  out.remove.push(...emptied);
  return out;
}

/** The metadata this controller owns on a slice: setEndpointSliceLabels and the controller reference. */
function sliceMeta(service: Service): Pick<ObjectMeta, 'labels' | 'ownerReferences'> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata.labels ?? {})) if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY) labels[k] = v;
  const clusterIP = service.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') labels[LABEL_HEADLESS] = '';
  else delete labels[LABEL_HEADLESS];
  labels[LABEL_SERVICE_NAME] = service.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = SLICE_CONTROLLER_NAME;
  const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: service.metadata.name ?? '', uid: service.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
  return { labels, ownerReferences };
}

/** newEndpointSlice (ports absent on the placeholder: upstream's empty list is stored as null). */
function newSlice(service: Service, addressType: AddressType, ports: EndpointSlicePort[] | undefined, endpoints: Endpoint[]): EndpointSlice {
  const metadata: ObjectMeta = { generateName: slicePrefix(service.metadata.name ?? ''), namespace: service.metadata.namespace, ...sliceMeta(service) };
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType, endpoints, ...(ports ? { ports } : {}) };
}

/** getEndpointSlicePrefix: `<service>-`, unless that is no valid name prefix. */
function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return prefix.length <= 253 - 5 && /^[a-z0-9]([-a-z0-9.]*)?$/.test(prefix) ? prefix : 'endpointslice-';
}

/** getEndpointPorts: each Service port the pod resolves, named as the Service's. */
function endpointPorts(service: Service, pod: Pod): EndpointSlicePort[] {
  const out: EndpointSlicePort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: EndpointSlicePort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port };
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** getAddressTypesForService: the Service's IP families, else its clusterIP's, else IPv4. */
function addressTypes(service: Service): AddressType[] {
  const families = service.spec?.ipFamilies;
  if (families && families.length > 0) return families.filter((f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6');
  const ip = service.spec?.clusterIP;
  return [ip && ip !== 'None' && isIPv6(ip) ? 'IPv6' : 'IPv4'];
}

/** The identity of a port set (order aside): runs once per pod per sync, so plain strings. */
function portsKey(ports: readonly EndpointSlicePort[]): string {
  const keys = ports.map((p) => `${p.name ?? ''}\u0000${p.protocol ?? ''}\u0000${p.port ?? 0}\u0000${p.appProtocol ?? '\u0001'}`);
  return keys.length === 1 ? keys[0]! : keys.sort().join('\u0002');
}

function ours(s: EndpointSlice): boolean {
  return s.metadata.labels?.[LABEL_MANAGED_BY] === SLICE_CONTROLLER_NAME;
}

function serviceKey(s: EndpointSlice): string | undefined {
  const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc ? `${s.metadata.namespace}/${svc}` : undefined;
}

function byName(a: EndpointSlice, b: EndpointSlice): number {
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

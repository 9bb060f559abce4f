/**
 * EndpointSlices mirrored from Endpoints, after k/k pkg/controller/endpointslicemirroring
 * (reconciler.go, utils.go): one slice per distinct (address type, port set) of the Endpoints'
 * subsets, at most 1000 endpoints each, named `<endpoints name>-<random>` (generateName), labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, owned by the Endpoints.
 *
 * As upstream, only the Endpoints of Services without a selector are mirrored (the EndpointSlice
 * controller, endpointslice.ts, makes the slices of selector Services from their pods); a Service
 * gaining a selector loses its mirrored slices. Endpoints labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"` are not mirrored.
 */
import { createHash } from 'node:crypto';
import { jsonEqual } from '../../lib/api/equal.ts';
import { isNamespaceTerminating, isNotFound } from '../../lib/api/status.ts';
import type { KubeObject, ObjectMeta } from '../../lib/api/meta.ts';
import type { AddressType, Endpoint, EndpointAddress, Endpoints, EndpointSlice, EndpointSlicePort } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import { keyOf, splitKey, type Informer } from '../client/informer.ts';
import { QueueController } from './queue-controller.ts';
import { selectorOf } from './service-pods.ts';
import type { ControllerOptions } from './shared.ts';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
export const MIRROR_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
/** mirroringMaxEndpointsPerSubset */
export const MAX_ENDPOINTS_PER_SUBSET = 1000;
const LEADER_ELECTION_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
const ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

/** A port of a mirrored slice: name and protocol always set, as the mirroring controller writes them. */
interface SlicePort extends EndpointSlicePort {
  name: string;
  protocol: string;
  port: number;
}

export class EndpointSliceMirroringController extends QueueController {
  private readonly endpointsInformer: Informer<'endpoints'>;
  private readonly serviceInformer: Informer<'services'>;
  /** Our slices by the key of the Endpoints they mirror. */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  /** The slices a sync is writing, by Endpoints key: their own watch events need no new sync. */
  private readonly writing = new Map<string, EndpointSlice[]>();

  constructor(
    private readonly client: ApiClient,
    opts: ControllerOptions = {},
  ) {
    super('endpointslicemirroring-controller', client, opts, 5);
    const enqueue = (o: KubeObject) => this.queue.add(keyOf(o));
    this.endpointsInformer = this.informers.on('endpoints', { add: enqueue, update: enqueue, delete: enqueue });
    this.serviceInformer = this.informers.on('services', {
      add: enqueue,
      // onServiceUpdate: only a selector appearing or going changes what is mirrored.
      update: (svc, old) => {
        if (!selectorOf(svc) !== !selectorOf(old)) enqueue(svc);
      },
      delete: enqueue,
    });
    this.informers.on('endpointslices', {
      add: (s) => this.onSlice(s, undefined),
      update: (s, old) => this.onSlice(s, old),
      delete: (s) => {
        this.unindex(s);
        if (managedByUs(s)) this.queue.add(mirroredKey(s)!);
      },
    });
  }

  private onSlice(s: EndpointSlice, old: EndpointSlice | undefined): void {
    if (old) this.unindex(old);
    if (managedByUs(s)) {
      const key = mirroredKey(s);
      if (key) {
        let m = this.slices.get(key);
        if (!m) this.slices.set(key, (m = new Map()));
        m.set(keyOf(s), s);
        const own = this.writing.get(key)?.some((w) => w.addressType === s.addressType && !sliceDiffers(s, w));
        if (!own) this.queue.add(key);
      }
    }
    if (old && managedByUs(old) && !managedByUs(s)) this.queue.add(mirroredKey(old)!);
  }

  private unindex(s: EndpointSlice): void {
    const key = mirroredKey(s);
    if (!key) return;
    const m = this.slices.get(key);
    if (m?.delete(keyOf(s)) && m.size === 0) this.slices.delete(key);
  }

  async sync(key: string): Promise<void> {
    const { ns } = splitKey(key);
    const existing = [...(this.slices.get(key)?.values() ?? [])].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    const service = this.serviceInformer.get(key);
    const endpoints = this.endpointsInformer.get(key);
    if (!service || selectorOf(service) || !endpoints || endpoints.metadata.labels?.[LABEL_SKIP_MIRROR] === 'true' || endpoints.metadata.annotations?.[LEADER_ELECTION_ANNOTATION] !== undefined) {
      await this.deleteSlices(ns!, existing);
      return;
    }
    await this.reconcile(endpoints, existing);
  }

  private async deleteSlices(ns: string, slices: EndpointSlice[]): Promise<void> {
    for (const s of slices) {
      try {
        await this.client.delete('endpointslices', ns, s.metadata.name ?? '');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** reconciler.reconcile */
  private async reconcile(endpoints: Endpoints, existing: EndpointSlice[]): Promise<void> {
    // desired endpoints per (address type, ports)
    const desired = new Map<string, { addressType: AddressType; ports: SlicePort[]; endpoints: Map<string, Endpoint> }>();
    for (const subset of endpoints.subsets ?? []) {
      const ports: SlicePort[] = (subset.ports ?? []).map((p) => {
        const out: SlicePort = { name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port };
        if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
        return out;
      });
      let added = 0;
      const add = (address: EndpointAddress, ready: boolean) => {
        if (added >= MAX_ENDPOINTS_PER_SUBSET) return;
        const ip = normalizeIP(address.ip);
        if (!ip) return;
        const addressType: AddressType = ip.includes(':') ? 'IPv6' : 'IPv4';
        const key = portMapKey(addressType, ports);
        let d = desired.get(key);
        if (!d) desired.set(key, (d = { addressType, ports, endpoints: new Map() }));
        const ep: Endpoint = { addresses: [ip], conditions: { ready, serving: ready, terminating: false } };
        if (address.hostname) ep.hostname = address.hostname;
        if (address.targetRef) ep.targetRef = address.targetRef;
        if (address.nodeName) ep.nodeName = address.nodeName;
        // endpointSet: keyed by address and target
        const epKey = `${ip}\u0000${address.targetRef?.uid ?? ''}`;
        if (!d.endpoints.has(epKey)) {
          d.endpoints.set(epKey, ep);
          added++;
        }
      };
      for (const a of subset.addresses ?? []) add(a, true);
      for (const a of subset.notReadyAddresses ?? []) add(a, false);
    }

    const existingByKey = new Map<string, EndpointSlice[]>();
    for (const s of existing) {
      const k = portMapKey(s.addressType, s.ports ?? []);
      const list = existingByKey.get(k) ?? [];
      list.push(s);
      existingByKey.set(k, list);
    }

    const toCreate: EndpointSlice[] = [];
    const toUpdate: EndpointSlice[] = [];
    const toDelete: EndpointSlice[] = [];
    for (const [key, d] of desired) {
      const current = existingByKey.get(key) ?? [];
      if (d.endpoints.size === 0) {
        toDelete.push(...current);
        continue;
      }
      toDelete.push(...current.slice(1));
      const slice = this.newSlice(endpoints, d.ports, d.addressType, current[0]?.metadata.name, [...d.endpoints.values()].slice(0, MAX_ENDPOINTS_PER_SUBSET));
      if (current[0]) {
        if (!sliceDiffers(current[0], slice)) continue;
        toUpdate.push(slice);
      } else toCreate.push(slice);
    }
    for (const [key, list] of existingByKey) if (!desired.has(key)) toDelete.push(...list);

    // recycleSlices: reuse the names of slices that would be deleted for those to create.
    for (let i = 0; i < toCreate.length; ) {
      const j = toDelete.findIndex((s) => s.addressType === toCreate[i]!.addressType);
      if (j === -1) {
        i++;
        continue;
      }
      const slice = toCreate.splice(i, 1)[0]!;
      const [victim] = toDelete.splice(j, 1);
      delete slice.metadata.generateName;
      slice.metadata = { name: victim!.metadata.name, ...slice.metadata };
      toUpdate.push(slice);
    }

    const ns = endpoints.metadata.namespace ?? '';
    const key = `${ns}/${endpoints.metadata.name}`;
    this.writing.set(key, [...toCreate, ...toUpdate]);
    try {
      await this.write(endpoints, ns, toCreate, toUpdate, toDelete);
    } finally {
      this.writing.delete(key);
    }
  }

  private async write(endpoints: Endpoints, ns: string, toCreate: EndpointSlice[], toUpdate: EndpointSlice[], toDelete: EndpointSlice[]): Promise<void> {
    if (!endpoints.metadata.deletionTimestamp) {
      for (const s of toCreate) {
        try {
          await this.client.create('endpointslices', ns, s);
        } catch (e) {
          if (isNamespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Endpoints ${ns}/${endpoints.metadata.name}: ${(e as Error).message}`);
        }
      }
    }
    for (const s of toUpdate) {
      const cur = this.client.get('endpointslices', ns, s.metadata.name ?? '');
      if (!cur) throw new Error(`EndpointSlice ${ns}/${s.metadata.name} disappeared; will retry`);
      const next = { ...s, metadata: { ...cur.metadata, labels: s.metadata.labels, annotations: s.metadata.annotations, ownerReferences: s.metadata.ownerReferences } };
      if (!s.metadata.annotations) delete next.metadata.annotations;
      await this.client.update('endpointslices', next);
    }
    await this.deleteSlices(ns, toDelete);
  }

  /** newEndpointSlice */
  private newSlice(endpoints: Endpoints, ports: SlicePort[], addressType: AddressType, name: string | undefined, eps: Endpoint[]): EndpointSlice {
    const labels: Record<string, string> = { ...(endpoints.metadata.labels ?? {}) };
    // (the endpoints controller's own marker says nothing about the slice)
    delete labels[ENDPOINTS_MANAGED_BY];
    labels[LABEL_SERVICE_NAME] = endpoints.metadata.name ?? '';
    labels[LABEL_MANAGED_BY] = MIRROR_CONTROLLER_NAME;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(endpoints.metadata.annotations ?? {})) {
      if (k !== TRIGGER_TIME && k !== LAST_APPLIED) annotations[k] = v;
    }
    const metadata: ObjectMeta = name ? { name } : { generateName: `${endpoints.metadata.name}-` };
    metadata.namespace = endpoints.metadata.namespace;
    metadata.labels = labels;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Endpoints', name: endpoints.metadata.name ?? '', uid: endpoints.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }];
    return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType, endpoints: eps, ports };
  }
}

function managedByUs(s: EndpointSlice): boolean {
  return s.metadata.labels?.[LABEL_MANAGED_BY] === MIRROR_CONTROLLER_NAME;
}

function mirroredKey(s: EndpointSlice): string | undefined {
  const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc ? `${s.metadata.namespace}/${svc}` : undefined;
}

/** newAddrTypePortMapKey: the address type and a hash of the sorted ports. */
function portMapKey(addressType: AddressType, ports: readonly EndpointSlicePort[]): string {
  const canonical = ports
    .map((p) => JSON.stringify([p.name ?? '', p.protocol ?? '', p.port, p.appProtocol ?? null]))
    .sort()
    .join(',');
  return `${addressType}-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

function sliceDiffers(current: EndpointSlice, desired: EndpointSlice): boolean {
  return (
    !jsonEqual(current.endpoints ?? [], desired.endpoints) ||
    !jsonEqual(current.ports ?? [], desired.ports) ||
    !jsonEqual(current.metadata.labels ?? {}, desired.metadata.labels ?? {}) ||
    !jsonEqual(current.metadata.annotations ?? {}, desired.metadata.annotations ?? {}) ||
    !jsonEqual(current.metadata.ownerReferences ?? [], desired.metadata.ownerReferences ?? [])
  );
}

/** netutils.ParseIPSloppy + String(): the canonical text of an IP, or undefined. */
function normalizeIP(ip: unknown): string | undefined {
  if (typeof ip !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (m) {
    const parts = m.slice(1).map((x) => Number.parseInt(x, 10));
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  if (ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip)) return ip.toLowerCase();
  return undefined;
}

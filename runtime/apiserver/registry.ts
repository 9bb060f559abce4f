import { randomUUID } from 'node:crypto';
import { canonicalKeyOrder } from '../../lib/api/defaults.ts';
import type { KubeObject, ObjectMeta } from '../../lib/api/meta.ts';
import { isKind } from '../../lib/api/resource-types.ts';
import { parseSelector, SelectorError, type Selector } from '../../lib/api/selector.ts';
import { StoreError, StoreUnavailableError, type Store, type StoreEvent } from '../store/types.ts';
import { admit, admitStatusWrite, type FieldValidation } from './admission.ts';
import { IpAllocator, PortAllocator } from './allocators.ts';
import { fieldsFor, parseFieldSelector, type FieldSelector } from './field-selector.ts';
import { applyPatch, trackManager, type PatchType } from './patching.ts';
import { RESOURCES, resourceByName, storeKey, storePrefix, type ResourceDef } from './resources.ts';
import { allocateServiceAddresses, releaseServiceAddresses, reserveServiceAddresses, type ServiceAllocators } from './services.ts';
import { ApiError, errors } from './status.ts';
import { allowsUnconditionalUpdate, prepareForCreate, prepareForUpdate, validateStatusUpdate, validateUpdate } from './strategies.ts';
import { admitCreatedPod, admitUpdatedPod, type PodAdmissionOptions } from './pod-admission.ts';
import { jsonEqual } from '../../lib/api/equal.ts';
import { asObj, asStr } from '../../lib/api/kinds/fields.ts';
import type { Namespace, Pod, Service } from '../../lib/api/model.ts';
import { formatTime } from '../../lib/api/time.ts';
import { IMMORTAL_NAMESPACES, NAMESPACE_MAY_NOT_BE_DELETED } from '../../lib/api/namespace-lifecycle.ts';
import { fieldError } from '../../lib/api/diagnostics.ts';
import { goLiteral } from '../../lib/api/go-value.ts';

/**
 * A change to a watched collection. The registry sends ADDED, MODIFIED and DELETED; a watch over
 * HTTP adds BOOKMARKs (progress marks) and an ERROR carrying a Status, as client-go's watch.Event.
 */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | ObjectEvent<T>
  | { type: 'BOOKMARK'; object: KubeObject }
  | { type: 'ERROR'; object: Record<string, unknown> };

/** A watch event that carries an object of the collection. */
export interface ObjectEvent<T extends KubeObject = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** The request's User-Agent (HTTP only): names the field manager of a write that names none. */
  userAgent?: string;
  fieldValidation?: FieldValidation;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WriteResult {
  object: KubeObject;
  /** `Warning` headers to return. */
  warnings: string[];
  /** 201 for a create (including create-on-apply), 200 otherwise. */
  created?: boolean;
}

export interface RegistryOptions {
  serviceCIDR?: string;
  nodePortRange?: [number, number];
  clock?: () => Date;
  uid?: () => string;
  random?: () => number;
  /** The ServiceAccount admission plugin (kube-apiserver's default; the runtime enables it, a bare registry runs without). */
  serviceAccountAdmission?: boolean;
}

/**
 * The generic REST semantics of the Kubernetes API server over the store: admission, metadata,
 * optimistic concurrency, status and scale subresources, graceful deletion, finalizers,
 * propagation, namespaces, selectors, pagination and filtered watches. The HTTP layer and the
 * in-process client both call it, so controllers see exactly what kubectl sees.
 */
export class Registry {
  readonly clock: () => Date;
  private readonly uid: () => string;
  private readonly random: () => number;
  private readonly allocators: ServiceAllocators;
  private readonly podAdmission: PodAdmissionOptions;
  /** The store holds only what this registry admitted: its values are KubeObjects. */
  private readonly store: Store<KubeObject>;

  constructor(store: Store, opts: RegistryOptions = {}) {
    this.store = store as Store<KubeObject>;
    this.clock = opts.clock ?? (() => new Date());
    this.uid = opts.uid ?? randomUUID;
    this.podAdmission = { serviceAccounts: opts.serviceAccountAdmission ?? false };
    const random = (this.random = opts.random ?? Math.random);
    const [lo, hi] = opts.nodePortRange ?? [30000, 32767];
    this.allocators = { ips: new IpAllocator(opts.serviceCIDR ?? '127.96.0.0/12', random), nodePorts: new PortAllocator(lo, hi, random) };
    for (const svc of this.store.list('/registry/services/').items) if (isKind(svc, 'Service')) reserveServiceAddresses(svc, this.allocators);
  }

  get revision(): number {
    return this.store.revision;
  }

  // ---------------------------------------------------------------------------------------------
  // reads

  get(r: ResourceDef, ns: string | undefined, name: string): KubeObject {
    const obj = this.store.get(storeKey(r, ns, name));
    if (!obj) throw errors.notFound(r, name);
    return obj;
  }

  tryGet(r: ResourceDef, ns: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(storeKey(r, ns, name));
  }

  list(r: ResourceDef, ns: string | undefined, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string; continue?: string; remainingItemCount?: number } {
    const match = this.matcher(r, opts);
    const { items, revision } = this.store.list(storePrefix(r, ns));
    let filtered = items.filter(match);
    let start = 0;
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      start = filtered.findIndex((o) => keyOf(r, o) > token.key);
      if (start === -1) start = filtered.length;
    }
    filtered = filtered.slice(start);
    if (opts.limit && opts.limit > 0 && filtered.length > opts.limit) {
      const page = filtered.slice(0, opts.limit);
      return {
        items: page,
        resourceVersion: String(revision),
        continue: encodeContinue(keyOf(r, page[page.length - 1]!)),
        remainingItemCount: filtered.length - page.length,
      };
    }
    return { items: filtered, resourceVersion: String(revision) };
  }

  /**
   * Watches a collection. `resourceVersion` unset or "0": ADDED for every current object first;
   * otherwise only changes after it (410 Expired if too old). Objects that start or stop
   * matching the selectors arrive as ADDED / DELETED, as the real watch cache does.
   */
  watch(r: ResourceDef, ns: string | undefined, opts: ListOptions & { resourceVersion?: string }, send: (e: ObjectEvent) => void): () => void {
    const match = this.matcher(r, opts);
    const prefix = storePrefix(r, ns);
    let after: number;
    if (opts.resourceVersion === undefined || opts.resourceVersion === '' || opts.resourceVersion === '0') {
      const { items, revision } = this.store.list(prefix);
      for (const o of items) if (match(o)) send({ type: 'ADDED', object: o });
      after = revision;
    } else {
      after = Number(opts.resourceVersion);
      if (!Number.isInteger(after) || after < 0) throw errors.badRequest(`invalid resource version: ${opts.resourceVersion}`);
    }
    try {
      return this.store.watch(prefix, after, (e: StoreEvent<KubeObject>) => {
        const now = match(e.object);
        if (e.type === 'MODIFIED') {
          const before = e.prev ? match(e.prev) : false;
          if (now && before) send({ type: 'MODIFIED', object: e.object });
          else if (now) send({ type: 'ADDED', object: e.object });
          else if (before) send({ type: 'DELETED', object: e.object });
        } else if (now) send({ type: e.type, object: e.object });
      });
    } catch (e) {
      if (e instanceof StoreError && e.reason === 'Expired') {
        throw errors.expired(`too old resource version: ${after} (${this.store.oldestWatchableRevision - 1})`);
      }
      throw e;
    }
  }

  private matcher(r: ResourceDef, opts: ListOptions): (o: KubeObject) => boolean {
    let labels: Selector | undefined;
    let fields: FieldSelector | undefined;
    try {
      labels = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
    } catch (e) {
      if (e instanceof SelectorError) throw errors.badRequest(`unable to parse requirement: ${e.message}`.replace('unable to parse requirement: unable to parse requirement: ', 'unable to parse requirement: '));
      throw e;
    }
    if (opts.fieldSelector) {
      const parsed = parseFieldSelector(opts.fieldSelector, r.resource);
      if ('error' in parsed) throw errors.badRequest(parsed.error);
      fields = parsed.selector;
    }
    if (!labels && !fields) return () => true;
    return (o) => (!labels || labels.matches(o.metadata?.labels ?? {})) && (!fields || fields.matches(fieldsFor(r.resource, o)));
  }

  // ---------------------------------------------------------------------------------------------
  // writes

  async create(r: ResourceDef, ns: string | undefined, body: unknown, opts: WriteOptions & { applied?: boolean; generateAttempt?: number } = {}): Promise<WriteResult> {
    const input = this.typed(r, body);
    const meta = (input.metadata = { ...input.metadata });
    if (r.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== ns) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = ns;
      this.checkNamespaceAccepts(ns!, r, meta.name ?? '');
    } else delete meta.namespace;
    const generated = !meta.name && !!meta.generateName;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName, this.random);
    const name = meta.name;
    if (!name) throw errors.invalid(r, '', [fieldError('required', 'metadata.name', undefined, 'name or generateName is required')]);
    for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) delete meta[f];

    const { object, warnings } = admit(r, input, opts.fieldValidation ?? 'Warn', 'create');
    prepareForCreate(r, object);
    let obj = object;
    if (!opts.applied) obj = trackManager(undefined, obj, opts, { kind: r.kind, apiVersion: r.apiVersion, now: this.clock() });
    // Mutating admission runs after the field manager recorded the request (create.go): what it adds is nobody's field.
    obj = await admitCreatedPod(this.store, r, obj, this.podAdmission);
    obj.metadata = { ...obj.metadata, uid: this.uid(), creationTimestamp: formatTime(this.clock()) };
    if (r.tracksGeneration) obj.metadata.generation = 1;
    const key = storeKey(r, ns, name);
    if (this.store.get(key)) {
      if (generated && (opts.generateAttempt ?? 0) < 7) return this.create(r, ns, body, { ...opts, generateAttempt: (opts.generateAttempt ?? 0) + 1 });
      throw errors.alreadyExists(r, name);
    }
    const undo = isKind(obj, 'Service') ? this.allocate(r, obj, undefined) : () => {};
    if (opts.dryRun) {
      undo();
      return { object: obj, warnings, created: true };
    }
    try {
      return { object: await this.store.create(key, obj), warnings, created: true };
    } catch (e) {
      undo();
      // A generated name that collided: try another one, as the real API server does.
      if (generated && e instanceof StoreError && e.reason === 'AlreadyExists' && (opts.generateAttempt ?? 0) < 7) {
        return this.create(r, ns, body, { ...opts, generateAttempt: (opts.generateAttempt ?? 0) + 1 });
      }
      throw this.storeError(e, r, name);
    }
  }

  /** PUT: the whole object (or its status). A resourceVersion in the body is a precondition. */
  async update(r: ResourceDef, ns: string | undefined, name: string, body: unknown, opts: WriteOptions & { subresource?: 'status' } = {}): Promise<WriteResult> {
    const input = this.typed(r, body);
    if (input.metadata?.name !== undefined && input.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    const rv = input.metadata?.resourceVersion;
    // rest.Update: a zero resourceVersion ("", "0" or none) is an unconditional update where the
    // kind's strategy allows it (AllowUnconditionalUpdate), else refused as Invalid.
    const conditional = rv !== undefined && rv !== '' && rv !== '0';
    if (!conditional && !allowsUnconditionalUpdate(r)) throw resourceVersionRequired(r, name);
    return this.retryUnconditional(conditional, () => {
      const old = this.get(r, ns, name);
      if (conditional && rv !== old.metadata.resourceVersion) throw errors.conflict(r, name);
      return this.writeUpdate(r, ns, old, { ...input, metadata: { ...input.metadata, name, ...(r.namespaced ? { namespace: ns } : {}) } }, opts);
    });
  }

  /**
   * A write without a resourceVersion precondition is re-read and retried when a concurrent
   * writer got in between (the store compares with the version this request read), as the real
   * registry's GuaranteedUpdate does. A conditional write reports the conflict.
   */
  private async retryUnconditional<T>(conditional: boolean, attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (e) {
        if (conditional || i >= 5 || !(e instanceof ApiError && e.reason === 'Conflict' && e.code === 409)) throw e;
      }
    }
  }

  async patch(
    r: ResourceDef,
    ns: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions & { subresource?: 'status'; force?: boolean } = {},
  ): Promise<WriteResult> {
    // Like the real server, retry a patch on a conflict with a concurrent writer (the patch is
    // re-applied to the newer object) unless the patch itself carries a resourceVersion.
    const ctx = { kind: r.kind, apiVersion: r.apiVersion, manager: opts.fieldManager ?? '', force: !!opts.force, now: this.clock(), ...(opts.subresource ? { subresource: opts.subresource } : {}) };
    for (let attempt = 0; ; attempt++) {
      const old = this.tryGet(r, ns, name);
      if (!old) {
        if (type !== 'apply') throw errors.notFound(r, name);
        const { object } = applyPatch(type, undefined, patch, ctx);
        return this.create(r, ns, { ...object, metadata: { ...object.metadata, name } }, { ...opts, applied: true });
      }
      const { object: next, unchanged } = applyPatch(type, old, patch, ctx);
      if (unchanged) return { object: old, warnings: [] };
      const rv = next.metadata?.resourceVersion;
      if (rv !== undefined && rv !== old.metadata.resourceVersion) throw errors.conflict(r, name);
      try {
        const body = { ...next, metadata: { ...next.metadata, name, ...(r.namespaced ? { namespace: ns } : {}) } };
        return await this.writeUpdate(r, ns, old, body, { ...opts, applied: type === 'apply' });
      } catch (e) {
        const patchHasRv = asObj(asObj(patch)?.metadata)?.resourceVersion !== undefined;
        if (e instanceof ApiError && e.reason === 'Conflict' && !patchHasRv && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async writeUpdate(r: ResourceDef, ns: string | undefined, old: KubeObject, input: KubeObject, opts: WriteOptions & { subresource?: 'status'; applied?: boolean }): Promise<WriteResult> {
    const name = old.metadata.name ?? '';
    const merged = prepareForUpdate(r, input, old, opts.subresource);
    const fieldValidation = opts.fieldValidation ?? 'Warn';
    const { object, warnings } = opts.subresource === 'status' ? admitStatusWrite(r, merged, old, fieldValidation) : admit(r, merged, fieldValidation, 'update');
    let obj = object;
    if (!opts.applied) {
      obj = trackManager(old, obj, opts, { kind: r.kind, apiVersion: r.apiVersion, now: this.clock(), ...(opts.subresource ? { subresource: opts.subresource } : {}) });
    }
    if (opts.subresource !== 'status') obj = admitUpdatedPod(obj, old);
    if (opts.subresource !== 'status') validateUpdate(r, obj, old);
    else validateStatusUpdate(r, obj, old);
    // A write that changes nothing is not a write (no new resourceVersion, no watch event).
    if (sameExceptBookkeeping(obj, old)) return { object: old, warnings };
    const undo = isKind(obj, 'Service') ? this.allocate(r, obj, isKind(old, 'Service') ? old : undefined) : () => {};
    if (opts.dryRun) {
      undo();
      return { object: obj, warnings };
    }
    const key = storeKey(r, ns, name);
    try {
      // The last finalizer gone from an object being deleted: it goes now.
      if (obj.metadata.deletionTimestamp && !hasFinalizers(obj.metadata) && !this.awaitsKubelet(obj) && !this.namespaceAwaitsFinalize(obj)) {
        const deleted = await this.store.delete(key, Number(old.metadata.resourceVersion));
        this.released(deleted);
        return { object: deleted, warnings };
      }
      const stored = await this.store.update(key, obj, Number(old.metadata.resourceVersion));
      if (isKind(old, 'Service') && isKind(stored, 'Service')) releaseServiceAddresses(old, this.allocators, stored);
      return { object: stored, warnings };
    } catch (e) {
      undo();
      throw this.storeError(e, r, name);
    }
  }

  /**
   * DELETE: immediate, or graceful for a pod on a node (the kubelet finishes it), or pending
   * while finalizers remain (propagation Foreground/Orphan adds the GC's finalizers).
   */
  async delete(r: ResourceDef, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<WriteResult> {
    return this.retryUnconditional(!!opts.preconditions?.resourceVersion, () => this.deleteOnce(r, ns, name, opts));
  }

  private async deleteOnce(r: ResourceDef, ns: string | undefined, name: string, opts: DeleteOptions): Promise<WriteResult> {
    const key = storeKey(r, ns, name);
    const old = this.get(r, ns, name);
    if (r.kind === 'Namespace' && IMMORTAL_NAMESPACES.has(name)) {
      throw errors.forbidden(NAMESPACE_MAY_NOT_BE_DELETED, r, name);
    }
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`, { name, kind: r.resource });
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`, { name, kind: r.resource });
    }
    const propagation = opts.propagationPolicy ?? r.defaultPropagation;
    const finalizers = new Set<string>(old.metadata.finalizers ?? []);
    if (propagation === 'Orphan') finalizers.add('orphan');
    if (propagation === 'Foreground') finalizers.add('foregroundDeletion');
    const grace = this.gracePeriod(old, opts);
    const pending = finalizers.size > 0 || grace > 0 || r.kind === 'Namespace';
    if (!pending) {
      if (opts.dryRun) return { object: old, warnings: [] };
      try {
        const deleted = await this.store.delete(key, Number(old.metadata.resourceVersion));
        this.released(deleted);
        return { object: deleted, warnings: [] };
      } catch (e) {
        throw this.storeError(e, r, name);
      }
    }
    if (old.metadata.deletionTimestamp && grace === 0 && r.kind === 'Pod' && finalizers.size === 0) {
      // A second delete with grace 0 (the kubelet, or --force) finishes a graceful deletion.
      if (opts.dryRun) return { object: old, warnings: [] };
      const deleted = await this.store.delete(key, Number(old.metadata.resourceVersion)).catch((e) => {
        throw this.storeError(e, r, name);
      });
      return { object: deleted, warnings: [] };
    }
    const now = this.clock();
    const next: KubeObject = { ...old, metadata: { ...old.metadata } };
    next.metadata.deletionTimestamp ??= formatTime(new Date(now.getTime() + grace * 1000));
    next.metadata.deletionGracePeriodSeconds = grace;
    if (finalizers.size > 0) next.metadata.finalizers = [...finalizers];
    if (isKind(next, 'Namespace')) next.status = { ...next.status, phase: 'Terminating' };
    if (opts.dryRun) return { object: next, warnings: [] };
    try {
      return { object: await this.store.update(key, next, Number(old.metadata.resourceVersion)), warnings: [] };
    } catch (e) {
      throw this.storeError(e, r, name);
    }
  }

  /** PUT namespaces/{name}/finalize: the namespace controller's last step. */
  async finalizeNamespace(name: string, body: unknown): Promise<WriteResult> {
    // The body's spec.finalizers replace the namespace's; it is written without admission, so
    // anything but a list of names is refused (as decoding into NamespaceSpec would be).
    const raw = asObj(asObj(body)?.spec)?.finalizers;
    if (raw !== undefined && raw !== null && !(Array.isArray(raw) && raw.every((f) => typeof f === 'string'))) {
      throw errors.badRequest('Namespace in version "v1" cannot be handled as a Namespace: spec.finalizers must be a list of strings');
    }
    const finalizers: string[] = Array.isArray(raw) ? raw : [];
    return this.retryUnconditional(false, () => this.finalizeNamespaceOnce(name, finalizers));
  }

  private async finalizeNamespaceOnce(name: string, finalizers: string[]): Promise<WriteResult> {
    const r = resourceByName('namespaces')!;
    const old = this.get(r, undefined, name);
    if (!isKind(old, 'Namespace')) throw errors.notFound(r, name);
    const next: Namespace = { ...old, spec: { ...old.spec, finalizers } };
    const key = storeKey(r, undefined, name);
    try {
      if (old.metadata.deletionTimestamp && finalizers.length === 0 && !hasFinalizers(old.metadata)) {
        return { object: await this.store.delete(key, Number(old.metadata.resourceVersion)), warnings: [] };
      }
      return { object: await this.store.update(key, next, Number(old.metadata.resourceVersion)), warnings: [] };
    } catch (e) {
      throw this.storeError(e, r, name);
    }
  }

  /** POST pods/{name}/binding: the scheduler's decision. */
  async bind(ns: string, name: string, binding: unknown): Promise<WriteResult> {
    const r = resourceByName('pods')!;
    const node = asStr(asObj(asObj(binding)?.target)?.name);
    if (!node) throw errors.badRequest('binding target name is required');
    for (let attempt = 0; ; attempt++) {
      const old = this.get(r, ns, name);
      if (!isKind(old, 'Pod')) throw errors.notFound(r, name);
      if (old.spec.nodeName) {
        throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${old.spec.nodeName}"`, { name, kind: 'pods/binding' });
      }
      if (old.metadata.deletionTimestamp) throw errors.forbidden(`pod ${name} is being deleted, cannot be assigned to a host`, r, name);
      const now = formatTime(this.clock());
      const conditions = (old.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
      const next: Pod = { ...old, spec: { ...old.spec, nodeName: node }, status: { ...old.status, conditions } };
      try {
        await this.store.update(storeKey(r, ns, name), next, Number(old.metadata.resourceVersion));
        return { object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, warnings: [], created: true };
      } catch (e) {
        if (e instanceof StoreError && e.reason === 'Conflict' && attempt < 5) continue;
        throw this.storeError(e, r, name);
      }
    }
  }

  private gracePeriod(obj: KubeObject, opts: DeleteOptions): number {
    if (!isKind(obj, 'Pod')) return 0;
    // Unbound or finished pods have nobody to wait for.
    if (!obj.spec?.nodeName || obj.status?.phase === 'Failed' || obj.status?.phase === 'Succeeded') return 0;
    const g = opts.gracePeriodSeconds ?? obj.spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }

  /** A graceful pod deletion is finished by its kubelet (a delete with grace 0), not by an update. */
  private awaitsKubelet(obj: KubeObject): boolean {
    return isKind(obj, 'Pod') && !!obj.spec?.nodeName && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  private namespaceAwaitsFinalize(obj: KubeObject): boolean {
    return isKind(obj, 'Namespace') && (obj.spec?.finalizers?.length ?? 0) > 0;
  }

  /** Service addresses, then the keys put back in canonical order (allocation appends them). */
  private allocate(r: ResourceDef, svc: Service, old: Service | undefined): () => void {
    const undo = allocateServiceAddresses(r, svc, old, this.allocators);
    const ordered = canonicalKeyOrder(svc);
    if (isKind(ordered, 'Service')) svc.spec = ordered.spec;
    return undo;
  }

  private released(deleted: KubeObject): void {
    if (isKind(deleted, 'Service')) releaseServiceAddresses(deleted, this.allocators);
  }

  /** NamespaceLifecycle admission: `pods "web" is forbidden: unable to create new content in namespace ns because it is being terminated`. */
  private checkNamespaceAccepts(ns: string, r: ResourceDef, name: string): void {
    const nsObj = this.store.get(`/registry/namespaces/${ns}`);
    if (!nsObj) throw errors.notFound(resourceByName('namespaces')!, ns);
    if (nsObj.metadata?.deletionTimestamp) {
      const refused = errors.forbidden(`unable to create new content in namespace ${ns} because it is being terminated`, r, name);
      refused.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }];
      throw refused;
    }
  }


  /**
   * The body with apiVersion/kind of the endpoint (a body of another kind is refused) and its
   * metadata an object; admission validates the rest.
   */
  private typed(r: ResourceDef, body: unknown): KubeObject {
    const o = asObj(body);
    if (!o) throw errors.badRequest('the request body must be a JSON object');
    const kind = o.kind ?? r.kind;
    if (kind !== r.kind) throw errors.badRequest(`the kind in the data (${kind}) does not match the expected kind (${r.kind})`);
    const apiVersion = o.apiVersion ?? r.apiVersion;
    // Deprecated ReplicaSet versions are accepted and converted by admission.
    const served = apiVersion === r.apiVersion || (r.kind === 'ReplicaSet' && (apiVersion === 'extensions/v1beta1' || apiVersion === 'apps/v1beta2'));
    if (!served || typeof apiVersion !== 'string') throw errors.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${r.apiVersion})`);
    const metadata = (asObj(o.metadata) ?? {}) as ObjectMeta;
    return { ...o, apiVersion, kind: r.kind, metadata };
  }

  private storeError(e: unknown, r: ResourceDef, name: string): unknown {
    if (e instanceof StoreUnavailableError) return new ApiError(503, 'ServiceUnavailable', `storage is unavailable: ${e.message}`);
    if (!(e instanceof StoreError)) return e;
    switch (e.reason) {
      case 'AlreadyExists':
        return errors.alreadyExists(r, name);
      case 'NotFound':
        return errors.notFound(r, name);
      case 'Conflict':
        return errors.conflict(r, name);
      default:
        return errors.expired(e.message);
    }
  }

  /** Every resource served (for the HTTP layer's routing). */
  static resources(): readonly ResourceDef[] {
    return RESOURCES;
  }
}

/**
 * The store's refusal of an update without a resourceVersion (registry/generic Store.Update):
 * Invalid, qualified by the resource rather than the kind, the uint64 printed as Go's %#v.
 */
function resourceVersionRequired(r: ResourceDef, name: string): ApiError {
  return errors.invalid(r, name, [fieldError('invalid', 'metadata.resourceVersion', goLiteral('0x0'), 'must be specified for an update')], r.resource);
}

/** managedFields count: a write of them alone (kubectl's client-side-apply upgrade) is a write. */
function sameExceptBookkeeping(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return jsonEqual(strip(a), strip(b));
}

function keyOf(r: ResourceDef, o: KubeObject): string {
  return storeKey(r, o.metadata.namespace, o.metadata.name ?? '');
}

/** Whether an object still has finalizers to wait for. */
function hasFinalizers(meta: ObjectMeta): boolean {
  return (meta.finalizers?.length ?? 0) > 0;
}

function encodeContinue(key: string): string {
  return Buffer.from(JSON.stringify({ key })).toString('base64url');
}

function decodeContinue(token: string): { key: string } {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { key?: unknown };
    if (typeof v.key === 'string') return { key: v.key };
  } catch {
    /* fall through */
  }
  throw errors.badRequest('continue key is not valid');
}


const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName: prefix (at most 58 chars) + 5 random characters, as apiserver's names.SimpleNameGenerator. */
export function generateName(prefix: string, random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(random() * NAME_CHARS.length)];
  return prefix.slice(0, 58) + suffix;
}

export type { PatchType };

/**
 * The garbage collector, k/k pkg/controller/garbagecollector (graph_builder.go processGraphChanges,
 * garbagecollector.go attemptToDeleteItem / processDeletingDependentsItem / attemptToOrphanWorker),
 * generic over every resource the API's discovery reports as deletable, listable and watchable.
 *
 * The dependency graph is kept from informer events (synchronously, in the handlers); two queues
 * of node UIDs drive the work: attemptToDelete (dependents whose owners may be gone, owners
 * waiting for their dependents in foreground deletion, unverified "virtual" owners) and
 * attemptToOrphan (owners deleted with propagationPolicy Orphan).
 *
 * Memory: unlike upstream (a node for every object), a node exists only for objects that have
 * owner references, are referenced as an owner, or are being deleted with a GC finalizer — at
 * 10,000 pods that is one small node per owned pod; events and owner-less objects cost nothing.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import { isConflict, isNotFound } from '../../lib/api/status.ts';
import type { ApiClient } from '../client/client.ts';
import { resourcesSupporting, type ApiResource } from '../client/discovery.ts';
import { hasStatusCode, notFoundError } from '../client/errors.ts';
import { InformerFactory } from '../client/informer-factory.ts';
import { Lru } from '../client/lru.ts';
import { WorkQueue } from '../client/workqueue.ts';
import type { Component } from '../component.ts';
import type { KubeObject, OwnerReference } from '../../lib/api/meta.ts';
import { hasFinalizer, isBeingDeleted, ownerRefsOf, type ControllerOptions } from './shared.ts';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

interface Identity {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  name: string;
  uid: string;
}

class GraphNode {
  readonly dependents = new Set<GraphNode>();
  constructor(
    public identity: Identity,
    public owners: readonly OwnerReference[],
    public virtual: boolean,
    public beingDeleted = false,
    public deletingDependents = false,
  ) {}

  /** blockingDependents: dependents whose reference to this node blocks its deletion. */
  blockingDependents(): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents) {
      if (dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true)) out.push(dep);
    }
    return out;
  }
}

export interface GarbageCollectorOptions extends ControllerOptions {
  /** Resources whose objects are tracked (default: every resource discovery reports with delete, list and watch). */
  resources?: readonly string[];
  /** Dependents patched or deleted at once when orphaning (default 256). */
  concurrency?: number;
}

export class GarbageCollector implements Component {
  readonly name = 'garbage-collector';
  private readonly informers: InformerFactory;
  private readonly ownsInformers: boolean;
  private readonly nodes = new Map<string, GraphNode>();
  private readonly absentOwners = new Lru<true>(500);
  private readonly attemptToDelete: WorkQueue;
  private readonly attemptToOrphan: WorkQueue;
  private readonly concurrency: number;
  /** Discovered resources by `apiVersion|kind` (a RESTMapper), to resolve owner references. */
  private readonly byKind: Map<string, ApiResource>;

  constructor(
    private readonly client: ApiClient,
    opts: GarbageCollectorOptions = {},
  ) {
    this.ownsInformers = !opts.informers;
    this.informers = opts.informers ?? new InformerFactory(client);
    this.concurrency = opts.concurrency ?? 256;
    const workers = opts.workers ?? 50;
    this.attemptToDelete = new WorkQueue('garbage-collector-delete', (uid) => this.attemptToDeleteWorker(uid), { workers, onError: opts.onError });
    this.attemptToOrphan = new WorkQueue('garbage-collector-orphan', (uid) => this.attemptToOrphanWorker(uid), { workers, onError: opts.onError });
    // GetDeletableResources: what the GC can watch and delete, as discovery reports it.
    const discovered = client.discover();
    this.byKind = new Map(discovered.map((r) => [`${r.apiVersion}|${r.kind}`, r]));
    const deletable = resourcesSupporting(discovered, ['delete', 'list', 'watch']);
    for (const name of opts.resources ?? deletable.map((r) => r.resource)) {
      const r = deletable.find((x) => x.resource === name);
      if (!r) throw new Error(`unknown resource ${name}`);
      this.informers.on(r.resource, {
        add: (o) => this.onObserved(r, o, undefined),
        update: (o, old) => this.onObserved(r, o, old),
        delete: (o) => this.onDeleted(o),
      });
    }
  }

  start(): this {
    this.informers.start();
    this.attemptToDelete.start();
    this.attemptToOrphan.start();
    return this;
  }

  async stop(): Promise<void> {
    if (this.ownsInformers) this.informers.stop();
    await Promise.all([this.attemptToDelete.stop(), this.attemptToOrphan.stop()]);
  }

  /** Number of nodes in the dependency graph (for tests and memory checks). */
  get graphSize(): number {
    return this.nodes.size;
  }

  // -------------------------------------------------------------------------------------------
  // graph builder

  private onObserved(r: ApiResource, obj: KubeObject, old: KubeObject | undefined): void {
    // (objects read from the API always have a name and a uid)
    const { namespace, name = '', uid = '' } = obj.metadata;
    const identity: Identity = { apiVersion: r.apiVersion, kind: r.kind, namespace, name, uid };
    const owners = ownerRefsOf(obj);
    const deleting = isBeingDeleted(obj);
    let node = this.nodes.get(uid);
    if (!node) {
      const gcFinalizer = deleting && (hasFinalizer(obj, FINALIZER_ORPHAN) || hasFinalizer(obj, FINALIZER_FOREGROUND));
      if (owners.length === 0 && !gcFinalizer) return;
      node = new GraphNode(identity, owners, false, deleting, deleting && hasFinalizer(obj, FINALIZER_FOREGROUND));
      this.nodes.set(uid, node);
      this.addDependentToOwners(node, owners);
      this.processTransitions(old, obj, node);
      return;
    }
    if (node.virtual) {
      node.virtual = false;
      node.identity = identity;
    }
    const { added, removed, changed } = referencesDiffs(node.owners, owners);
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      node.owners = owners;
      this.addDependentToOwners(node, added);
      this.removeDependentFromOwners(node, removed);
    }
    if (deleting) node.beingDeleted = true;
    this.processTransitions(old, obj, node);
  }

  private onDeleted(obj: KubeObject): void {
    const node = this.nodes.get(obj.metadata.uid ?? '');
    if (!node) return;
    this.removeNode(node);
  }

  private removeNode(node: GraphNode): void {
    this.nodes.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size > 0) this.absentOwners.set(absentKey(node.identity), true);
    for (const dep of node.dependents) this.attemptToDelete.add(dep.identity.uid);
    for (const ref of node.owners) {
      const owner = this.nodes.get(ref.uid);
      if (owner?.deletingDependents) this.attemptToDelete.add(owner.identity.uid);
    }
  }

  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        // A "virtual" owner until observed; attemptToDelete checks whether it exists.
        const r = this.resourceForKind(ref.apiVersion, ref.kind);
        const namespace = r && !r.namespaced ? undefined : node.identity.namespace;
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, uid: ref.uid }, [], true);
        this.nodes.set(ref.uid, owner);
        owner.dependents.add(node);
        this.attemptToDelete.add(ref.uid);
      } else owner.dependents.add(node);
    }
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) {
      const owner = this.nodes.get(ref.uid);
      if (!owner) continue;
      owner.dependents.delete(node);
      // A virtual owner nobody refers to any more is forgotten.
      if (owner.virtual && owner.dependents.size === 0) this.nodes.delete(ref.uid);
    }
  }

  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: Array<{ old: OwnerReference; cur: OwnerReference }>): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      if (this.nodes.has(ref.uid)) this.attemptToDelete.add(ref.uid);
    }
    for (const { old, cur } of changed) {
      if (old.blockOwnerDeletion === true && cur.blockOwnerDeletion !== true && this.nodes.has(cur.uid)) this.attemptToDelete.add(cur.uid);
    }
  }

  private processTransitions(old: KubeObject | undefined, obj: KubeObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(old, obj, FINALIZER_ORPHAN)) {
      this.attemptToOrphan.add(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(old, obj, FINALIZER_FOREGROUND)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.attemptToDelete.add(dep.identity.uid);
      this.attemptToDelete.add(node.identity.uid);
    }
  }

  // -------------------------------------------------------------------------------------------
  // attemptToDelete

  private async attemptToDeleteWorker(uid: string): Promise<void> {
    const node = this.nodes.get(uid);
    if (!node) return;
    await this.attemptToDeleteItem(node);
  }

  /** attemptToDeleteItem */
  private async attemptToDeleteItem(item: GraphNode): Promise<void> {
    // Being deleted is a one-way trip: wait for the deletion, then process the dependents.
    if (item.beingDeleted && !item.deletingDependents) return;
    const r = this.resourceForKind(item.identity.apiVersion, item.identity.kind);
    if (!r) return; // a kind not served here: never judged absent
    const latest = this.getObject(r, item.identity);
    if (!latest || latest.metadata.uid !== item.identity.uid) {
      if (item.virtual) this.virtualDelete(item);
      // (an observed node's deletion arrives through its informer)
      return;
    }
    if (item.virtual) {
      // The owner exists: from now on its informer keeps the node current.
      item.virtual = false;
      item.owners = ownerRefsOf(latest);
      item.beingDeleted = isBeingDeleted(latest);
      item.deletingDependents = item.beingDeleted && hasFinalizer(latest, FINALIZER_FOREGROUND);
      this.addDependentToOwners(item, item.owners);
      if (item.beingDeleted && !item.deletingDependents) return;
    }
    if (item.deletingDependents) return this.processDeletingDependentsItem(item);

    const refs = ownerRefsOf(latest);
    if (refs.length === 0) return;
    const { solid, dangling, waiting } = this.classifyReferences(item, refs);
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Drop the references to absent owners and to owners waiting for their dependents.
      await this.removeOwnerRefs(r, item.identity, [...dangling, ...waiting].map((o) => o.uid));
      return;
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      for (const dep of item.dependents) {
        if (dep.deletingDependents) {
          // A cycle is possible: stop blocking our owners' deletion.
          const unblocked = item.owners.filter((o) => o.blockOwnerDeletion === true).map((o) => ({ ...o, blockOwnerDeletion: false }));
          await this.patchOwnerRefs(r, item.identity, unblocked, (cur) => cur.map((o) => (o.blockOwnerDeletion === true ? { ...o, blockOwnerDeletion: false } : o)));
          break;
        }
      }
      // Delete in the foreground: our dependents go first, then our owners may go.
      return this.deleteObject(r, item.identity, latest, 'Foreground');
    }
    // No solid owner: collect it, honouring a propagation the object was already given.
    const policy = hasFinalizer(latest, FINALIZER_ORPHAN) ? 'Orphan' : hasFinalizer(latest, FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    return this.deleteObject(r, item.identity, latest, policy);
  }

  /** A virtual owner that does not exist: its dependents learn their owner is gone. */
  private virtualDelete(item: GraphNode): void {
    if (this.nodes.get(item.identity.uid) !== item || !item.virtual) return;
    this.removeNode(item);
  }

  /** classifyReferences (with isDangling) */
  private classifyReferences(item: GraphNode, refs: readonly OwnerReference[]): { solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] } {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const r = this.resourceForKind(ref.apiVersion, ref.kind);
      // An owner of a kind not served, or a namespaced owner of a cluster-scoped object: never collected for it.
      if (!r || (r.namespaced && !item.identity.namespace)) {
        solid.push(ref);
        continue;
      }
      const namespace = r.namespaced ? item.identity.namespace : undefined;
      const key = absentKey({ apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, uid: ref.uid });
      if (this.absentOwners.has(key)) {
        dangling.push(ref);
        continue;
      }
      const owner = this.client.get(r.resource, namespace, ref.name);
      if (!owner || owner.metadata.uid !== ref.uid) {
        this.absentOwners.set(key, true);
        dangling.push(ref);
        continue;
      }
      if (isBeingDeleted(owner) && hasFinalizer(owner, FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** processDeletingDependentsItem: the owner goes once no dependent blocks it. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(item, FINALIZER_FOREGROUND);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep.identity.uid);
  }

  // -------------------------------------------------------------------------------------------
  // attemptToOrphan

  private async attemptToOrphanWorker(uid: string): Promise<void> {
    const owner = this.nodes.get(uid);
    if (!owner) return;
    const dependents = [...owner.dependents];
    const errors: unknown[] = [];
    await forEachLimit(dependents, this.concurrency, async (dep) => {
      const r = this.resourceForKind(dep.identity.apiVersion, dep.identity.kind);
      if (!r) return;
      try {
        await this.removeOwnerRefs(r, dep.identity, [uid]);
      } catch (e) {
        if (!isNotFound(e)) errors.push(new Error(`orphaning ${describe(dep.identity)} failed, ${(e as Error).message}`));
      }
    });
    if (errors.length > 0) throw errors[0];
    await this.removeFinalizer(owner, FINALIZER_ORPHAN);
  }

  // -------------------------------------------------------------------------------------------
  // API operations

  private resourceForKind(apiVersion: string, kind: string): ApiResource | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }

  private getObject(r: ApiResource, id: Identity): KubeObject | undefined {
    return this.client.get(r.resource, r.namespaced ? id.namespace : undefined, id.name);
  }

  /**
   * gc.patch: a strategic merge patch of metadata.ownerReferences with the object's UID as
   * precondition; for kinds without strategic merge support (415), a JSON merge patch of the
   * whole list computed by `fallback` from the live object, guarded by its resourceVersion.
   */
  private async patchOwnerRefs(r: ApiResource, id: Identity, refs: unknown[], fallback: (current: readonly OwnerReference[]) => OwnerReference[]): Promise<void> {
    const ns = r.namespaced ? id.namespace : undefined;
    try {
      await this.client.patch(r.resource, ns, id.name, 'strategic', { metadata: { ownerReferences: refs, uid: id.uid } });
      return;
    } catch (e) {
      if (!hasStatusCode(e, 415)) throw e;
    }
    const live = this.client.get(r.resource, ns, id.name);
    if (!live || live.metadata.uid !== id.uid) throw notFoundError(r, id.name);
    const next = fallback(ownerRefsOf(live));
    await this.client.patch(r.resource, ns, id.name, 'merge', { metadata: { resourceVersion: live.metadata.resourceVersion, ownerReferences: next.length > 0 ? next : null } });
  }

  /** Removes the references to `uids` (GenerateDeleteOwnerRefStrategicMergeBytes / deleteOwnerRefJSONMergePatch). */
  private removeOwnerRefs(r: ApiResource, id: Identity, uids: string[]): Promise<void> {
    return this.patchOwnerRefs(
      r,
      id,
      uids.map((uid) => ({ $patch: 'delete', uid })),
      (cur) => cur.filter((o) => !uids.includes(o.uid)),
    );
  }

  /** deleteObject: UID and resourceVersion preconditions; retried without the latter if only unrelated fields changed. */
  private async deleteObject(r: ApiResource, id: Identity, latest: KubeObject, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    const ns = r.namespaced ? id.namespace : undefined;
    try {
      await this.client.delete(r.resource, ns, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid, resourceVersion: latest.metadata.resourceVersion } });
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e)) throw e;
      const live = this.client.get(r.resource, ns, id.name);
      if (!live || live.metadata.uid !== id.uid) return;
      if (!jsonEqual(ownerRefsOf(live), ownerRefsOf(latest))) throw e; // owners changed: judge again
      try {
        await this.client.delete(r.resource, ns, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
      } catch (e2) {
        if (!isNotFound(e2)) throw e2;
      }
    }
  }

  /** removeFinalizer: a JSON merge patch of the finalizers with a resourceVersion precondition, retried on conflict. */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const r = this.resourceForKind(node.identity.apiVersion, node.identity.kind);
    if (!r) return;
    for (let attempt = 0; ; attempt++) {
      const obj = this.getObject(r, node.identity);
      if (!obj || obj.metadata.uid !== node.identity.uid) return;
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      const next = finalizers.filter((f) => f !== finalizer);
      try {
        await this.client.patch(r.resource, r.namespaced ? node.identity.namespace : undefined, node.identity.name, 'merge', {
          metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: next.length > 0 ? next : null },
        });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e) && attempt < 4) continue;
        throw e;
      }
    }
  }
}

function absentKey(id: Identity): string {
  return `${id.apiVersion}|${id.kind}|${id.namespace ?? ''}|${id.name}|${id.uid}`;
}

function describe(id: Identity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace ?? ''}, name: ${id.name}, uid: ${id.uid}]`;
}

/** deletionStartsWithFinalizer */
function deletionStartsWithFinalizer(old: KubeObject | undefined, obj: KubeObject, finalizer: string): boolean {
  if (!isBeingDeleted(obj) || !hasFinalizer(obj, finalizer)) return false;
  if (!old) return true;
  return !isBeingDeleted(old) || !hasFinalizer(old, finalizer);
}

/** referencesDiffs: by UID. */
function referencesDiffs(old: readonly OwnerReference[], cur: readonly OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: Array<{ old: OwnerReference; cur: OwnerReference }> } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: Array<{ old: OwnerReference; cur: OwnerReference }> = [];
  for (const r of cur) {
    const o = oldByUid.get(r.uid);
    if (!o) added.push(r);
    else {
      oldByUid.delete(r.uid);
      if (!jsonEqual(o, r)) changed.push({ old: o, cur: r });
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

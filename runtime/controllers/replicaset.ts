/**
 * The ReplicaSet controller, k/k pkg/controller/replicaset/replica_set.go, serving ReplicaSets
 * (apps/v1) and — through a small adapter, as pkg/controller/replication does with its
 * conversion shim — ReplicationControllers (v1).
 *
 * Informer handlers only enqueue keys and account for expectations; `sync(key)` lists the
 * owner's pods from the cache (an index by controller UID plus the namespace's orphans: exactly
 * the pods upstream's claim would consider), claims them (adopt/release), creates or deletes
 * pods in slow-start batches bounded by `burstReplicas`, and writes the status.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import { isPodAvailable, isPodReady, podReadyCondition } from '../../lib/api/pod-status.ts';
import { labelSelectorAsSelector, selectorFromSet, type Selector } from '../../lib/api/selector.ts';
import { isNamespaceTerminating, isNotFound } from '../../lib/api/status.ts';
import { formatTime } from '../../lib/api/time.ts';
import type { ObjectMeta, OwnerReference } from '../../lib/api/meta.ts';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus, ReplicationController } from '../../lib/api/model.ts';
import type { ObjectOf } from '../../lib/api/resource-types.ts';
import type { ApiClient } from '../client/client.ts';
import { keyOf, type Informer } from '../client/informer.ts';
import { QueueController } from './queue-controller.ts';
import { ControllerEventRecorder } from './events.ts';
import { ControllerExpectations } from './expectations.ts';
import { controllerOf, errorMessage, isPodActive, stringMapsEqual, type ControllerOptions } from './shared.ts';

/** BurstReplicas: the most pods created or deleted by one sync. */
export const BURST_REPLICAS = 500;
/** controller.SlowStartInitialBatchSize */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** statusUpdateRetries */
const STATUS_UPDATE_RETRIES = 1;
/** The annotation ranking pods for scale-down (PodDeletionCost). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

type ReplicaSetResource = 'replicasets' | 'replicationcontrollers';

/** The objects this controller serves: ReplicaSets or ReplicationControllers. */
export type ReplicaSetLike = ReplicaSet | ReplicationController;

/** What differs between a ReplicaSet and a ReplicationController. */
export interface ReplicaSetKind<R extends ReplicaSetResource = ReplicaSetResource> {
  resource: R;
  apiVersion: string;
  kind: 'ReplicaSet' | 'ReplicationController';
  /** Event source component. */
  component: string;
  /** The pod selector (throws SelectorError for an invalid one). */
  selector(obj: ObjectOf<R>): Selector;
}

export const REPLICA_SET: ReplicaSetKind<'replicasets'> = {
  resource: 'replicasets',
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (rs) => labelSelectorAsSelector(rs.spec.selector),
};

export const REPLICATION_CONTROLLER: ReplicaSetKind<'replicationcontrollers'> = {
  resource: 'replicationcontrollers',
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  // The map selector; empty or absent defaults to the template labels (SetDefaults_ReplicationController).
  selector: (rc) => {
    const sel = rc.spec.selector;
    if (sel && Object.keys(sel).length > 0) return selectorFromSet(sel);
    return selectorFromSet(rc.spec.template.metadata?.labels ?? {});
  },
};

export interface ReplicaSetControllerOptions extends ControllerOptions {
  kind?: ReplicaSetKind;
  burstReplicas?: number;
}

export class ReplicaSetController extends QueueController {
  readonly kind: ReplicaSetKind;
  readonly expectations: ControllerExpectations;
  private readonly rsInformer: Informer<ReplicaSetResource>;
  private readonly podInformer: Informer<'pods'>;
  private readonly events: ControllerEventRecorder;
  private readonly clock: () => Date;
  private readonly burstReplicas: number;
  /** Pods controlled by an object of this kind, by controller UID. */
  private readonly owned = new Map<string, Map<string, Pod>>();
  /** Pods without a controller, by namespace. */
  private readonly orphans = new Map<string, Map<string, Pod>>();

  constructor(
    private readonly client: ApiClient,
    opts: ReplicaSetControllerOptions = {},
  ) {
    const kind = opts.kind ?? REPLICA_SET;
    super(kind.component, client, opts, 5);
    this.kind = kind;
    this.clock = opts.clock ?? (() => client.now());
    this.burstReplicas = opts.burstReplicas ?? BURST_REPLICAS;
    this.expectations = new ControllerExpectations(() => this.clock().getTime());
    this.events = new ControllerEventRecorder(client, this.kind.component, this.clock);
    this.rsInformer = this.informers.on(this.kind.resource, {
      add: (rs) => this.queue.add(keyOf(rs)),
      update: (cur, old) => {
        if (cur.metadata.uid !== old.metadata.uid) this.onDeleteRS(old);
        this.queue.add(keyOf(cur));
      },
      delete: (rs) => this.onDeleteRS(rs),
    });
    this.podInformer = this.informers.on('pods', {
      add: (pod) => this.onAddPod(pod),
      update: (cur, old) => this.onUpdatePod(cur, old),
      delete: (pod) => this.onDeletePod(pod),
    });
  }

  /** Resolves when no sync is queued or running (for tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  // -------------------------------------------------------------------------------------------
  // event handlers

  private onDeleteRS(rs: ReplicaSetLike): void {
    const key = keyOf(rs);
    this.expectations.delete(key);
    this.queue.add(key);
  }

  private onAddPod(pod: Pod): void {
    this.index(pod);
    if (pod.metadata.deletionTimestamp) {
      // A pod already being deleted is not a creation observation.
      this.onPodGone(pod);
      return;
    }
    const ref = controllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace, ref);
      if (!rs) return;
      const key = keyOf(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const rs of this.podReplicaSets(pod)) this.queue.add(keyOf(rs));
  }

  private onUpdatePod(cur: Pod, old: Pod): void {
    this.unindex(old);
    this.index(cur);
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelChanged = !stringMapsEqual(cur.metadata.labels, old.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      // A graceful deletion: replace the pod now, not when the kubelet is done with it.
      this.onPodGone(cur);
      if (labelChanged) this.onPodGone(old);
      return;
    }
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = !jsonEqual(curRef ?? null, oldRef ?? null);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata.namespace, oldRef);
      if (rs) this.queue.add(keyOf(rs));
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata.namespace, curRef);
      if (!rs) return;
      this.queue.add(keyOf(rs));
      const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) {
        // Sync again once the pod may have become available (plus a second of skew).
        this.queue.addAfter(keyOf(rs), (minReadySeconds + 1) * 1000);
      }
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.podReplicaSets(cur)) this.queue.add(keyOf(rs));
  }

  private onDeletePod(pod: Pod): void {
    this.unindex(pod);
    this.onPodGone(pod);
  }

  /** deletePod: a deletion (or the start of a graceful one) observed. */
  private onPodGone(pod: Pod): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata.namespace, ref);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObserved(key, keyOf(pod));
    this.queue.add(key);
  }

  private resolveControllerRef(ns: string | undefined, ref: OwnerReference): ReplicaSetLike | undefined {
    if (ref.kind !== this.kind.kind) return undefined;
    const rs = this.rsInformer.get(`${ns}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** GetPodReplicaSets: the objects of this kind whose (non-empty) selector matches an orphan. */
  private podReplicaSets(pod: Pod): ReplicaSetLike[] {
    const out: ReplicaSetLike[] = [];
    for (const rs of this.rsInformer.list()) {
      if (rs.metadata.namespace !== pod.metadata.namespace) continue;
      let sel: Selector;
      try {
        sel = this.kind.selector(rs);
      } catch {
        continue;
      }
      if (sel.isEmpty() || !sel.matches(pod.metadata.labels ?? {})) continue;
      out.push(rs);
    }
    return out;
  }

  private index(pod: Pod): void {
    const ref = controllerOf(pod);
    const key = keyOf(pod);
    if (ref) {
      if (ref.kind !== this.kind.kind) return;
      let m = this.owned.get(ref.uid);
      if (!m) this.owned.set(ref.uid, (m = new Map()));
      m.set(key, pod);
    } else {
      const ns = pod.metadata.namespace ?? '';
      let m = this.orphans.get(ns);
      if (!m) this.orphans.set(ns, (m = new Map()));
      m.set(key, pod);
    }
  }

  private unindex(pod: Pod): void {
    const ref = controllerOf(pod);
    const key = keyOf(pod);
    if (ref) {
      const m = this.owned.get(ref.uid);
      if (m?.delete(key) && m.size === 0) this.owned.delete(ref.uid);
    } else {
      const ns = pod.metadata.namespace ?? '';
      const m = this.orphans.get(ns);
      if (m?.delete(key) && m.size === 0) this.orphans.delete(ns);
    }
  }

  // -------------------------------------------------------------------------------------------
  // sync

  /** syncReplicaSet */
  async sync(key: string): Promise<void> {
    const rs = this.rsInformer.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector: Selector;
    try {
      selector = this.kind.selector(rs);
    } catch {
      return; // an invalid selector matches nothing; nothing to do until it is fixed
    }

    // The active pods claim could consider: controlled by this object, or orphans of its namespace.
    const ns = rs.metadata.namespace ?? '';
    const candidates: Pod[] = [];
    for (const pod of this.owned.get(rs.metadata.uid ?? '')?.values() ?? []) if (pod.metadata.namespace === ns && isPodActive(pod)) candidates.push(pod);
    for (const pod of this.orphans.get(ns)?.values() ?? []) if (isPodActive(pod)) candidates.push(pod);

    const active = await this.claimPods(rs, selector, candidates);

    let manageErr: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(active, rs);
      } catch (e) {
        manageErr = e;
      }
    }
    const status = this.calculateStatus(rs, active, manageErr);
    const updated = await this.updateStatus(rs, status);
    const replicas = rs.spec?.replicas ?? 1;
    const minReadySeconds = updated.spec?.minReadySeconds ?? 0;
    if (manageErr === undefined && minReadySeconds > 0 && (updated.status?.readyReplicas ?? 0) === replicas && (updated.status?.availableReplicas ?? 0) !== replicas) {
      this.queue.addAfter(key, minReadySeconds * 1000);
    }
    if (manageErr !== undefined) throw manageErr;
  }

  /** ClaimPods (PodControllerRefManager.ClaimObject for each candidate): adopt and release. */
  private async claimPods(rs: ReplicaSetLike, selector: Selector, pods: Pod[]): Promise<Pod[]> {
    const claimed: Pod[] = [];
    const errs: unknown[] = [];
    const deleting = !!rs.metadata.deletionTimestamp;
    let canAdopt: Promise<void> | undefined;
    for (const pod of pods) {
      const ref = controllerOf(pod);
      const matches = selector.matches(pod.metadata.labels ?? {});
      if (ref) {
        if (ref.uid !== rs.metadata.uid) continue;
        if (matches) {
          claimed.push(pod);
          continue;
        }
        if (deleting) continue;
        try {
          await this.releasePod(rs, pod);
        } catch (e) {
          if (!isNotFound(e)) errs.push(e);
        }
        continue;
      }
      if (deleting || !matches || pod.metadata.deletionTimestamp || pod.metadata.namespace !== rs.metadata.namespace) continue;
      try {
        // RecheckDeletionTimestamp: one uncached read of the owner before the first adoption.
        canAdopt ??= this.recheckOwner(rs);
        try {
          await canAdopt;
        } catch (e) {
          throw new Error(`can't adopt Pod ${pod.metadata.namespace}/${pod.metadata.name} (${pod.metadata.uid}): ${errorMessage(e)}`);
        }
        await this.client.patch('pods', pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', {
          metadata: { ownerReferences: [this.controllerRef(rs)], uid: pod.metadata.uid },
        });
        claimed.push(pod);
      } catch (e) {
        if (!isNotFound(e)) errs.push(e);
      }
    }
    if (errs.length === 1) throw errs[0];
    if (errs.length > 1) throw new Error(`[${errs.map(errorMessage).join(', ')}]`);
    return claimed;
  }

  private async recheckOwner(rs: ReplicaSetLike): Promise<void> {
    const fresh = this.client.get(this.kind.resource, rs.metadata.namespace, rs.metadata.name ?? '');
    if (!fresh) throw new Error(`can't recheck DeletionTimestamp: ${this.kind.resource} "${rs.metadata.name}" not found`);
    if (fresh.metadata.uid !== rs.metadata.uid) {
      throw new Error(`can't recheck DeletionTimestamp: original ${this.kind.kind} ${rs.metadata.namespace}/${rs.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${rs.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`${rs.metadata.namespace}/${rs.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  private async releasePod(rs: ReplicaSetLike, pod: Pod): Promise<void> {
    try {
      await this.client.patch('pods', pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', {
        metadata: { ownerReferences: [{ $patch: 'delete', uid: rs.metadata.uid }], uid: pod.metadata.uid },
      });
    } catch (e) {
      // Invalid: the pod has no owner reference any more, or was recreated — nothing to release.
      if (isNotFound(e) || (e as { code?: number }).code === 422) return;
      throw e;
    }
  }

  private controllerRef(rs: ReplicaSetLike): OwnerReference {
    return { apiVersion: this.kind.apiVersion, kind: this.kind.kind, name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  }

  /** manageReplicas */
  private async manageReplicas(active: Pod[], rs: ReplicaSetLike): Promise<void> {
    const key = keyOf(rs);
    let diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      diff = Math.min(-diff, this.burstReplicas);
      this.expectations.expectCreations(key, diff);
      const pod = this.podFromTemplate(rs);
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, () => this.createPod(rs, pod));
      // Creations never attempted (or failed) will not be observed.
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      diff = Math.min(diff, this.burstReplicas);
      const toDelete = getPodsToDelete(active, this.relatedPods(rs), diff, this.clock());
      this.expectations.expectDeletions(key, toDelete.map(keyOf));
      const errs: unknown[] = [];
      await Promise.all(
        toDelete.map(async (pod) => {
          try {
            await this.client.delete('pods', pod.metadata.namespace, pod.metadata.name ?? '');
            this.events.normal(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          } catch (e) {
            this.expectations.deletionObserved(key, keyOf(pod));
            if (isNotFound(e)) return;
            this.events.warning(rs, 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
            errs.push(new Error(`unable to delete pods: ${errorMessage(e)}`));
          }
        }),
      );
      if (errs.length > 0) throw errs[0];
    }
  }

  /** controller.GetPodFromTemplate */
  private podFromTemplate(rs: ReplicaSetLike): Pod {
    const template = rs.spec.template;
    const tm = template.metadata ?? {};
    const name = rs.metadata.name ?? '';
    // getPodsPrefix: `<name>-` unless that is not a valid name prefix.
    const prefix = name.length + 1 <= 253 ? `${name}-` : name;
    const metadata: ObjectMeta = { generateName: prefix };
    if (tm.labels) metadata.labels = { ...tm.labels };
    if (tm.annotations) metadata.annotations = { ...tm.annotations };
    if (tm.finalizers) metadata.finalizers = [...tm.finalizers];
    metadata.ownerReferences = [this.controllerRef(rs)];
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec: template.spec };
  }

  /** RealPodControl.CreatePods (createPods), with the namespace-terminating exemption of manageReplicas. */
  private async createPod(rs: ReplicaSetLike, pod: Pod): Promise<void> {
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.client.create('pods', rs.metadata.namespace, pod);
      this.events.normal(rs, 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (e) {
      if (isNamespaceTerminating(e)) return; // every create would fail; nothing to report
      this.events.warning(rs, 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  }

  /** getIndirectlyRelatedPods: pods of every object of this kind with the same controller. */
  private relatedPods(rs: ReplicaSetLike): Pod[] {
    const ref = controllerOf(rs);
    if (!ref) return [];
    const related = this.rsInformer.list().filter((o) => o.metadata.namespace === rs.metadata.namespace && controllerOf(o)?.uid === ref.uid);
    const seen = new Set<string>();
    const out: Pod[] = [];
    const pods = this.podInformer.list().filter((p) => p.metadata.namespace === rs.metadata.namespace);
    for (const o of related) {
      let sel: Selector;
      try {
        sel = this.kind.selector(o);
      } catch {
        continue;
      }
      for (const p of pods) {
        const uid = p.metadata.uid ?? '';
        if (seen.has(uid) || !sel.matches(p.metadata.labels ?? {})) continue;
        seen.add(uid);
        out.push(p);
      }
    }
    return out;
  }

  /** calculateStatus */
  private calculateStatus(rs: ReplicaSetLike, active: Pod[], manageErr: unknown): ReplicaSetStatus {
    const templateSelector = selectorFromSet(rs.spec.template.metadata?.labels ?? {});
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    const now = this.clock();
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const pod of active) {
      if (templateSelector.matches(pod.metadata.labels ?? {})) fullyLabeled++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReadySeconds, now)) available++;
      }
    }
    let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
    const failure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (manageErr !== undefined && !failure) {
      const diff = active.length - (rs.spec?.replicas ?? 1);
      const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
      conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(now), reason, message: errorMessage(manageErr) });
    } else if (manageErr === undefined && failure) {
      conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
    }
    const status: ReplicaSetStatus = { replicas: active.length };
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (rs.status?.observedGeneration) status.observedGeneration = rs.status.observedGeneration;
    if (conditions.length > 0) status.conditions = conditions;
    return status;
  }

  /** updateReplicaSetStatus: skipped in the steady state; one retry on a fresh read. */
  private async updateStatus(rs: ReplicaSetLike, status: ReplicaSetStatus): Promise<ReplicaSetLike> {
    const cur: Partial<ReplicaSetStatus> = rs.status ?? {};
    const generation = rs.metadata.generation ?? 0;
    if (
      (cur.replicas ?? 0) === status.replicas &&
      (cur.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
      (cur.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
      (cur.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
      generation === (cur.observedGeneration ?? 0) &&
      jsonEqual(cur.conditions ?? [], status.conditions ?? [])
    ) {
      return rs;
    }
    const next = { ...status, ...(generation ? { observedGeneration: generation } : {}) };
    let obj = rs;
    for (let i = 0; ; i++) {
      try {
        return await this.client.updateStatus(this.kind.resource, { ...obj, status: next });
      } catch (e) {
        if (i >= STATUS_UPDATE_RETRIES) throw e;
        const fresh = this.client.get(this.kind.resource, rs.metadata.namespace, rs.metadata.name ?? '');
        if (!fresh) throw e;
        obj = fresh;
      }
    }
  }
}

/** slowStartBatch: `fn` called `count` times in batches of 1, 2, 4, …, stopping after a failed batch. */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const calls: Promise<void>[] = [];
    for (let i = 0; i < batch; i++) calls.push(fn());
    const results = await Promise.allSettled(calls);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length > 0) return { successes, error: failed[0]!.reason };
    remaining -= batch;
  }
  return { successes };
}

// ---------------------------------------------------------------------------------------------
// scale-down victims: controller.ActivePodsWithRanks and getPodsToDelete

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** getPodsToDelete: the first `diff` pods, ranked when not all of them go. */
export function getPodsToDelete(active: Pod[], related: Pod[], diff: number, now: Date): Pod[] {
  if (diff >= active.length) return active.slice(0, diff);
  const podsOnNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  const ranked = active.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0, info: rankInfo(pod) }));
  const nowMs = now.getTime();
  ranked.sort((a, b) => (lessActivePod(a, b, nowMs) ? -1 : lessActivePod(b, a, nowMs) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}

interface RankInfo {
  nodeName: string;
  phase: number;
  ready: boolean;
  readyTime: number | undefined;
  cost: number;
  restarts: number;
  sidecarRestarts: number;
  created: number | undefined;
  uid: string;
}

function rankInfo(pod: Pod): RankInfo {
  const ready = isPodReady(pod);
  const readyCond = ready ? podReadyCondition(pod) : undefined;
  let restarts = 0;
  for (const c of pod.status?.containerStatuses ?? []) restarts = Math.max(restarts, c.restartCount ?? 0);
  const sidecars = new Set<string>();
  for (const c of pod.spec.initContainers ?? []) if (c.restartPolicy === 'Always') sidecars.add(c.name);
  let sidecarRestarts = 0;
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecarRestarts = Math.max(sidecarRestarts, c.restartCount ?? 0);
  return {
    nodeName: pod.spec?.nodeName ?? '',
    phase: PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0,
    ready,
    readyTime: parseTime(readyCond?.lastTransitionTime),
    cost: deletionCost(pod),
    restarts,
    sidecarRestarts,
    created: parseTime(pod.metadata.creationTimestamp),
    uid: pod.metadata.uid ?? '',
  };
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** helper.GetDeletionCostFromPodAnnotations: an int32, 0 when absent or invalid. */
function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST];
  if (typeof v !== 'string' || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: compares ⌊log2(age in ns)⌋ of two timestamps. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const d1 = (now - t1) * 1e6;
  const d2 = (now - t2) * 1e6;
  const r1 = d1 > 0 ? Math.floor(Math.log2(d1)) : -1;
  const r2 = d2 > 0 ? Math.floor(Math.log2(d2)) : -1;
  return r1 - r2;
}

/** Times compared as upstream with LogarithmicScaleDown (GA): log2-bucketed age, ties by UID. */
function lessByTime(t1: number | undefined, t2: number | undefined, uid1: string, uid2: string, now: number): boolean | undefined {
  if (t1 === t2) return undefined;
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, now);
  if (diff === 0) return uid1 < uid2;
  return diff < 0;
}

/** ActivePodsWithRanks.Less */
function lessActivePod(a: { rank: number; info: RankInfo }, b: { rank: number; info: RankInfo }, now: number): boolean {
  const i = a.info;
  const j = b.info;
  // 1. unassigned < assigned
  if (i.nodeName !== j.nodeName && (i.nodeName === '' || j.nodeName === '')) return i.nodeName === '';
  // 2. Pending < Unknown < Running
  if (i.phase !== j.phase) return i.phase < j.phase;
  // 3. not ready < ready
  if (i.ready !== j.ready) return !i.ready;
  // 4. lower pod-deletion-cost first
  if (i.cost !== j.cost) return i.cost < j.cost;
  // 5. more co-located pods first
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. ready for a shorter time first
  if (i.ready && j.ready) {
    const r = lessByTime(i.readyTime, j.readyTime, i.uid, j.uid, now);
    if (r !== undefined) return r;
  }
  // 7. more restarts first (regular containers, then sidecars)
  if (i.restarts !== j.restarts) return i.restarts > j.restarts;
  if (i.sidecarRestarts !== j.sidecarRestarts) return i.sidecarRestarts > j.sidecarRestarts;
  // 8. newer first
  const r = lessByTime(i.created, j.created, i.uid, j.uid, now);
  if (r !== undefined) return r;
  return false;
}


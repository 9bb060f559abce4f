/**
 * The Deployment controller, k/k pkg/controller/deployment/{deployment_controller,sync,rolling,
 * recreate,progress}.go: a Deployment owns ReplicaSets named `<deployment>-<pod-template-hash>`,
 * one per template it has had; a rollout scales the new one up and the old ones down within
 * maxSurge/maxUnavailable (RollingUpdate) or all old ones to zero first (Recreate).
 *
 * Informer handlers only enqueue Deployment keys; `sync(key)` reads the caches, claims the
 * ReplicaSets (adopt/release by selector, as the ReplicaSet controller does for pods) and makes
 * one step. Writes carry the cached resourceVersion, so a step decided on a stale cache fails
 * with a Conflict and is retried: no expectations are needed (upstream has none either).
 * The pure rules are in deployment-util.ts.
 */
import { labelSelectorAsSelector, type Selector } from '../../lib/api/selector.ts';
import { isAlreadyExists, isNotFound } from '../../lib/api/status.ts';
import type { OwnerReference } from '../../lib/api/meta.ts';
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from '../../lib/api/model.ts';
import { jsonEqual } from '../../lib/api/equal.ts';
import type { ApiClient } from '../client/client.ts';
import { keyOf, type Informer } from '../client/informer.ts';
import { QueueController } from './queue-controller.ts';
import { ControllerEventRecorder } from './events.ts';
import { controllerOf, errorMessage, type ControllerOptions } from './shared.ts';
import * as u from './deployment-util.ts';

const COMPONENT = 'deployment-controller';

export class DeploymentController extends QueueController {
  private readonly dInformer: Informer<'deployments'>;
  private readonly rsInformer: Informer<'replicasets'>;
  private readonly podInformer: Informer<'pods'>;
  private readonly events: ControllerEventRecorder;
  private readonly clock: () => Date;

  constructor(
    private readonly client: ApiClient,
    opts: ControllerOptions = {},
  ) {
    super(COMPONENT, client, opts, 5);
    this.clock = opts.clock ?? (() => client.now());
    this.events = new ControllerEventRecorder(client, COMPONENT, this.clock);
    this.dInformer = this.informers.on('deployments', {
      add: (d) => this.queue.add(keyOf(d)),
      update: (cur) => this.queue.add(keyOf(cur)),
      delete: (d) => this.queue.add(keyOf(d)),
    });
    this.rsInformer = this.informers.on('replicasets', {
      add: (rs) => this.onReplicaSet(rs),
      update: (cur, old) => {
        this.onReplicaSet(cur);
        if (controllerOf(cur)?.uid !== controllerOf(old)?.uid) this.onReplicaSet(old);
      },
      delete: (rs) => this.onReplicaSet(rs),
    });
    // Recreate waits for the old pods to be gone.
    this.podInformer = this.informers.on('pods', {
      update: (cur) => this.onPod(cur),
      delete: (pod) => this.onPod(pod),
    });
  }

  /** Resolves when no sync is queued or running (for tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private onReplicaSet(rs: ReplicaSet): void {
    const ref = controllerOf(rs);
    if (ref) {
      const d = this.resolve(rs.metadata.namespace, ref);
      if (d) this.queue.add(keyOf(d));
      return;
    }
    // An orphan: every Deployment that could adopt it.
    for (const d of this.dInformer.list()) {
      if (d.metadata.namespace !== rs.metadata.namespace) continue;
      const sel = selectorOf(d);
      if (sel && !sel.isEmpty() && sel.matches(rs.metadata.labels ?? {})) this.queue.add(keyOf(d));
    }
  }

  private onPod(pod: Pod): void {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.get(`${pod.metadata.namespace}/${ref.name}`);
    const dref = rs && controllerOf(rs);
    const d = dref && this.resolve(rs.metadata.namespace, dref);
    if (d && d.spec.strategy?.type === 'Recreate') this.queue.add(keyOf(d));
  }

  private resolve(ns: string | undefined, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.dInformer.get(`${ns}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // syncDeployment

  async sync(key: string): Promise<void> {
    let d = this.dInformer.get(key);
    if (!d) return;
    const sel = selectorOf(d);
    if (!sel || sel.isEmpty()) {
      this.events.warning(d, 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        await this.client.updateStatus('deployments', { ...d, status: { ...d.status, observedGeneration: d.metadata.generation } });
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d, sel);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    d = await this.checkPausedConditions(d);
    if (d.spec.paused) return this.syncScale(d, rsList);
    if (this.isScalingEvent(d, rsList)) return this.syncScale(d, rsList);
    if (d.spec.strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  /** getReplicaSetsForDeployment: owned ReplicaSets still selected, plus matching orphans adopted. */
  private async claimReplicaSets(d: Deployment, sel: Selector): Promise<ReplicaSet[]> {
    const out: ReplicaSet[] = [];
    for (const rs of this.rsInformer.list()) {
      if (rs.metadata.namespace !== d.metadata.namespace) continue;
      const ref = controllerOf(rs);
      const matches = sel.matches(rs.metadata.labels ?? {});
      if (ref && ref.uid !== d.metadata.uid) continue;
      if (ref) {
        if (matches) out.push(rs);
        else if (!d.metadata.deletionTimestamp) await this.release(d, rs);
        continue;
      }
      if (!matches || rs.metadata.deletionTimestamp || d.metadata.deletionTimestamp) continue;
      try {
        out.push(await this.client.patch('replicasets', rs.metadata.namespace, rs.metadata.name ?? '', 'strategic', { metadata: { ownerReferences: [ownerRef(d)], uid: rs.metadata.uid } }));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }

  private async release(d: Deployment, rs: ReplicaSet): Promise<void> {
    try {
      await this.client.patch('replicasets', rs.metadata.namespace, rs.metadata.name ?? '', 'strategic', {
        metadata: { ownerReferences: [{ $patch: 'delete', uid: d.metadata.uid }], uid: rs.metadata.uid },
      });
    } catch (e) {
      if (isNotFound(e) || (e as { code?: number }).code === 422) return;
      throw e;
    }
  }

  /** isScalingEvent: an active ReplicaSet was sized for another replica count. */
  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    for (const rs of u.activeOf(rsList)) {
      const desired = rs.metadata.annotations?.[u.DESIRED_REPLICAS];
      if (desired !== undefined && Number(desired) !== u.replicasOf(d)) return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // the new ReplicaSet

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and the old ones. */
  private async newAndOld(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<{ d: Deployment; newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const found = u.findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== found);
    const r = await this.getNewReplicaSet(d, oldRSs, found, create);
    return { d: r.d, newRS: r.newRS, oldRSs };
  }

  private async getNewReplicaSet(d: Deployment, oldRSs: ReplicaSet[], existing: ReplicaSet | undefined, create: boolean): Promise<{ d: Deployment; newRS?: ReplicaSet }> {
    const newRevision = u.maxRevision(oldRSs) + 1;
    if (existing) {
      const annotations = { ...(existing.metadata.annotations ?? {}) };
      const changed = u.setNewReplicaSetAnnotations(d, annotations, newRevision, true);
      const minReady = d.spec.minReadySeconds ?? 0;
      if (changed || (existing.spec.minReadySeconds ?? 0) !== minReady) {
        const updated = await this.client.update('replicasets', { ...existing, metadata: { ...existing.metadata, annotations }, spec: { ...existing.spec, minReadySeconds: minReady } });
        return { d, newRS: updated };
      }
      d = await this.setRevision(d, existing.metadata.annotations?.[u.REVISION] ?? '');
      if (u.hasProgressDeadline(d) && !u.getCondition(d.status, 'Progressing')) {
        const status = { ...d.status };
        u.setCondition(status, u.newCondition('Progressing', 'True', u.FOUND_NEW_RS_REASON, `Found new replica set "${existing.metadata.name}"`, this.clock()));
        d = await this.client.updateStatus('deployments', { ...d, status });
      }
      return { d, newRS: existing };
    }
    if (!create) return { d };

    const collisionCount = d.status?.collisionCount;
    const hash = u.computeHash(d.spec.template, collisionCount);
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), [u.POD_TEMPLATE_HASH]: hash };
    const template = { ...d.spec.template, metadata: { ...(d.spec.template.metadata ?? {}), labels } };
    const selector = { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [u.POD_TEMPLATE_HASH]: hash } };
    const name = `${d.metadata.name}-${hash}`;
    const draft: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: d.metadata.namespace, labels, ownerReferences: [ownerRef(d)] },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    draft.spec.replicas = u.newRSNewReplicas(d, [...oldRSs, draft], draft);
    const annotations: Record<string, string> = {};
    u.setNewReplicaSetAnnotations(d, annotations, newRevision, false);
    draft.metadata.annotations = annotations;

    let createdRS: ReplicaSet;
    let alreadyExists = false;
    try {
      createdRS = await this.client.create('replicasets', d.metadata.namespace, draft);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        const msg = `Failed to create new replica set "${name}": ${errorMessage(e)}`;
        if (u.hasProgressDeadline(d)) {
          const status = { ...d.status };
          u.setCondition(status, u.newCondition('Progressing', 'False', u.RS_CREATE_ERROR_REASON, msg, this.clock()));
          await this.client.updateStatus('deployments', { ...d, status });
        }
        this.events.warning(d, u.RS_CREATE_ERROR_REASON, msg);
        throw e;
      }
      const live = this.client.get('replicasets', d.metadata.namespace, name);
      if (live && controllerOf(live)?.uid === d.metadata.uid && u.equalIgnoreHash(live.spec.template, d.spec.template)) {
        createdRS = live;
        alreadyExists = true;
      } else {
        // A hash collision: the next hash uses a higher count.
        const status = { ...d.status, collisionCount: (collisionCount ?? 0) + 1 };
        await this.client.updateStatus('deployments', { ...d, status });
        throw new Error(`hash collision for ReplicaSet "${name}" of Deployment ${keyOf(d)}`);
      }
    }
    if (!alreadyExists && u.replicasOf(createdRS) > 0) {
      this.events.normal(d, 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${u.replicasOf(createdRS)}`);
    }
    d = await this.setRevision(d, String(newRevision));
    if (!alreadyExists && u.hasProgressDeadline(d)) {
      const status = { ...d.status };
      u.setCondition(status, u.newCondition('Progressing', 'True', u.NEW_RS_REASON, `Created new replica set "${name}"`, this.clock()));
      d = await this.client.updateStatus('deployments', { ...d, status });
    }
    return { d, newRS: createdRS };
  }

  /** SetDeploymentRevision, written as a metadata patch (the status subresource keeps metadata here). */
  private async setRevision(d: Deployment, revision: string): Promise<Deployment> {
    if (d.metadata.annotations?.[u.REVISION] === revision) return d;
    return this.client.patch('deployments', d.metadata.namespace, d.metadata.name ?? '', 'merge', {
      metadata: { annotations: { [u.REVISION]: revision }, resourceVersion: d.metadata.resourceVersion },
    });
  }

  // -------------------------------------------------------------------------------------------
  // scaling

  /** scaleReplicaSetAndRecordEvent / scaleReplicaSet: the size and replica annotations; true if resized. */
  private async scaleRS(rs: ReplicaSet, size: number, d: Deployment, op?: 'up' | 'down'): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const cur = u.replicasOf(rs);
    const annotations = { ...(rs.metadata.annotations ?? {}) };
    const annotationsChanged = u.setReplicasAnnotations(annotations, u.replicasOf(d), u.replicasOf(d) + u.maxSurge(d));
    const sizeChanged = cur !== size;
    if (!sizeChanged && !annotationsChanged) return { scaled: false, rs };
    const updated = await this.client.update('replicasets', { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: size } });
    if (sizeChanged) {
      const how = op ?? (size > cur ? 'up' : 'down');
      this.events.normal(d, 'ScalingReplicaSet', `Scaled ${how} replica set ${rs.metadata.name} from ${cur} to ${size}`);
    }
    return { scaled: sizeChanged, rs: updated };
  }

  /** scaleReplicaSetAndRecordEvent: a no-op when the size is already right. */
  private async scaleTo(rs: ReplicaSet, size: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (u.replicasOf(rs) === size) return { scaled: false, rs };
    return this.scaleRS(rs, size, d);
  }

  /** scale: a replica count change spread over the active ReplicaSets (proportionally while rolling). */
  private async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const one = u.findActiveOrLatest(newRS, oldRSs);
    if (one) {
      if (u.replicasOf(one) !== u.replicasOf(d)) await this.scaleTo(one, u.replicasOf(d), d);
      return;
    }
    if (u.isSaturated(d, newRS)) {
      for (const rs of u.activeOf(oldRSs)) await this.scaleTo(rs, 0, d);
      return;
    }
    if ((d.spec.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const all = u.activeOf(newRS ? [...oldRSs, newRS] : oldRSs);
    const allowed = u.replicasOf(d) > 0 ? u.replicasOf(d) + u.maxSurge(d) : 0;
    const toAdd = allowed - u.specSum(all);
    let op: 'up' | 'down' | undefined;
    if (toAdd > 0) {
      // ReplicaSetsBySizeNewer: larger first, ties newer first.
      all.sort((a, b) => u.replicasOf(b) - u.replicasOf(a) || u.byCreation(b, a));
      op = 'up';
    } else if (toAdd < 0) {
      // ReplicaSetsBySizeOlder: larger first, ties older first.
      all.sort((a, b) => u.replicasOf(b) - u.replicasOf(a) || u.byCreation(a, b));
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<ReplicaSet, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = u.getProportion(rs, d, toAdd, added);
        sizes.set(rs, u.replicasOf(rs) + p);
        added += p;
      } else sizes.set(rs, u.replicasOf(rs));
    }
    for (let i = 0; i < all.length; i++) {
      const rs = all[i]!;
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
      await this.scaleRS(rs, sizes.get(rs)!, d, op);
    }
  }

  /** sync: scaling only (paused, or a replica count change). */
  private async syncScale(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const r = await this.newAndOld(d, rsList, false);
    await this.scale(r.d, r.newRS, r.oldRSs);
    const fresh = this.freshRSs(r.d, rsList);
    const found = u.findNewReplicaSet(r.d, fresh);
    const olds = fresh.filter((rs) => rs !== found);
    if (r.d.spec.paused) await this.cleanup(r.d, olds);
    await this.syncStatus(r.d, fresh, found);
  }

  /** The ReplicaSets re-read from the API after this sync's writes. */
  private freshRSs(d: Deployment, rsList: ReplicaSet[]): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const rs of rsList) {
      const live = this.client.get('replicasets', d.metadata.namespace, rs.metadata.name ?? '');
      if (live && live.metadata.uid === rs.metadata.uid) out.push(live);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // rollouts

  /** rolloutRolling */
  private async rolloutRolling(d0: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { d, newRS, oldRSs } = await this.newAndOld(d0, rsList, true);
    if (!newRS) return;
    let all = [...oldRSs, newRS];
    // reconcileNewReplicaSet
    const replicas = u.replicasOf(d);
    if (u.replicasOf(newRS) !== replicas) {
      const size = u.replicasOf(newRS) > replicas ? replicas : u.newRSNewReplicas(d, all, newRS);
      const r = await this.scaleTo(newRS, size, d);
      if (r.scaled) return this.syncRolloutStatus(d, [...oldRSs, r.rs], r.rs);
    }
    // reconcileOldReplicaSets
    const scaledDown = await this.reconcileOldReplicaSets(d, all, u.activeOf(oldRSs), newRS);
    if (scaledDown) {
      all = [...this.freshRSs(d, oldRSs), newRS];
      return this.syncRolloutStatus(d, all, newRS);
    }
    if (u.deploymentComplete(d, d.status ?? {})) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(d, all, newRS);
  }

  private async reconcileOldReplicaSets(d: Deployment, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
    if (u.specSum(oldRSs) === 0) return false;
    const minAvailable = u.replicasOf(d) - u.maxUnavailable(d);
    const newUnavailable = u.replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = u.specSum(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // cleanupUnhealthyReplicas: old pods that are not available go first.
    const olds = [...oldRSs].sort(u.byCreation);
    let cleaned = 0;
    for (let i = 0; i < olds.length; i++) {
      if (cleaned >= maxScaledDown) break;
      const rs = olds[i]!;
      const spec = u.replicasOf(rs);
      const available = rs.status?.availableReplicas ?? 0;
      if (spec === 0 || spec === available) continue;
      const n = Math.min(maxScaledDown - cleaned, spec - available);
      olds[i] = (await this.scaleTo(rs, spec - n, d)).rs;
      cleaned += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: available beyond minAvailable, oldest first.
    const availableCount = u.availableSum([...olds, newRS]);
    let scaled = 0;
    if (availableCount > minAvailable) {
      const total = availableCount - minAvailable;
      for (const rs of olds) {
        if (scaled >= total) break;
        const spec = u.replicasOf(rs);
        if (spec === 0) continue;
        const n = Math.min(spec, total - scaled);
        await this.scaleTo(rs, spec - n, d);
        scaled += n;
      }
    }
    return cleaned + scaled > 0;
  }

  /** rolloutRecreate */
  private async rolloutRecreate(d0: Deployment, rsList: ReplicaSet[]): Promise<void> {
    let { d, newRS, oldRSs } = await this.newAndOld(d0, rsList, false);
    let scaledDown = false;
    for (const rs of u.activeOf(oldRSs)) if ((await this.scaleTo(rs, 0, d)).scaled) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(d, this.freshRSs(d, rsList), newRS);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(d, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
    if (!newRS) {
      ({ d, newRS, oldRSs } = await this.newAndOld(d, rsList, true));
      if (!newRS) return;
    }
    newRS = (await this.scaleTo(newRS, u.replicasOf(d), d)).rs;
    if (u.deploymentComplete(d, d.status ?? {})) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(d, [...oldRSs, newRS], newRS);
  }

  /** oldPodsRunning: old ReplicaSets still report pods, or a pod of one is not finished. */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (u.statusSum(oldRSs) > 0) return true;
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    for (const pod of this.podInformer.list()) {
      const ref = controllerOf(pod);
      if (!ref || !oldUids.has(ref.uid) || ref.uid === newRS?.metadata.uid) continue;
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') return true;
    }
    return false;
  }

  /** cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit, lowest revisions first, only if scaled to zero. */
  private async cleanup(d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit;
    if (limit === undefined || limit === 2147483647) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(u.byRevision);
    const diff = alive.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = alive[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || u.replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.client.delete('replicasets', rs.metadata.namespace, rs.metadata.name ?? '');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // status

  /** checkPausedConditions: Progressing Unknown while paused (never over a timeout). */
  private async checkPausedConditions(d: Deployment): Promise<Deployment> {
    if (!u.hasProgressDeadline(d)) return d;
    const cond = u.getCondition(d.status, 'Progressing');
    if (cond?.reason === u.TIMED_OUT_REASON) return d;
    const pausedExists = cond?.reason === u.PAUSED_REASON;
    const status = { ...d.status };
    if (d.spec.paused && !pausedExists) u.setCondition(status, u.newCondition('Progressing', 'Unknown', u.PAUSED_REASON, 'Deployment is paused', this.clock()));
    else if (!d.spec.paused && pausedExists) u.setCondition(status, u.newCondition('Progressing', 'Unknown', u.RESUMED_REASON, 'Deployment is resumed', this.clock()));
    else return d;
    return this.client.updateStatus('deployments', { ...d, status });
  }

  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const r = await this.newAndOld(d, rsList, false);
    await this.syncStatus(r.d, r.newRS ? [...r.oldRSs, r.newRS] : r.oldRSs, r.newRS);
  }

  /** syncDeploymentStatus */
  private async syncStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const status = u.calculateStatus(d, all, newRS, this.clock());
    await this.writeStatus(d, status);
  }

  /** syncRolloutStatus: status plus the Progressing condition and its deadline. */
  private async syncRolloutStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.clock();
    const status = u.calculateStatus(d, all, newRS, now);
    if (u.hasProgressDeadline(d)) {
      const cur = u.getCondition(d.status, 'Progressing');
      const complete = status.replicas === status.updatedReplicas && cur?.reason === u.NEW_RS_AVAILABLE_REASON;
      if (!complete) {
        if (u.deploymentComplete(d, status)) {
          u.setCondition(status, u.newCondition('Progressing', 'True', u.NEW_RS_AVAILABLE_REASON, `${u.subject(d, newRS)} has successfully progressed.`, now));
        } else if (u.deploymentProgressing(d, status)) {
          const c = u.newCondition('Progressing', 'True', u.RS_UPDATED_REASON, `${u.subject(d, newRS)} is progressing.`, now);
          // Progress refreshes lastUpdateTime; lastTransitionTime stays while it is True.
          if (cur) {
            if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
            u.removeCondition(status, 'Progressing');
          }
          u.setCondition(status, c);
        } else if (u.deploymentTimedOut(d, status, now)) {
          u.setCondition(status, u.newCondition('Progressing', 'False', u.TIMED_OUT_REASON, `${u.subject(d, newRS)} has timed out progressing.`, now));
        }
      }
    }
    // getReplicaFailures: the new ReplicaSet's failure first.
    const failing = [...(newRS ? [newRS] : []), ...all.filter((rs) => rs !== newRS)].flatMap((rs) => rs.status?.conditions?.filter((c) => c.type === 'ReplicaFailure') ?? []);
    if (failing.length > 0) {
      const f = failing[0]!;
      u.setCondition(status, { type: 'ReplicaFailure', status: f.status, lastUpdateTime: f.lastTransitionTime, lastTransitionTime: f.lastTransitionTime, reason: f.reason, message: f.message });
    } else u.removeCondition(status, 'ReplicaFailure');
    const wrote = await this.writeStatus(d, status);
    if (!wrote) this.requeueStuck(d, status, now);
  }

  /** Writes the status if it changed; false if there was nothing to write. */
  private async writeStatus(d: Deployment, status: DeploymentStatus): Promise<boolean> {
    const next = normalizeStatus(status);
    if (jsonEqual(normalizeStatus(d.status ?? {}), next)) return false;
    await this.client.updateStatus('deployments', { ...d, status: next });
    return true;
  }

  /** requeueStuckDeployment: check again when the progress deadline would pass. */
  private requeueStuck(d: Deployment, status: DeploymentStatus, now: Date): void {
    const cond = u.getCondition(status, 'Progressing');
    if (!u.hasProgressDeadline(d) || !cond || cond.reason === u.TIMED_OUT_REASON || u.deploymentComplete(d, status)) return;
    if (cond.reason === u.NEW_RS_AVAILABLE_REASON || cond.status !== 'True') return;
    const from = Date.parse(cond.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    const after = from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - now.getTime();
    this.queue.addAfter(keyOf(d), Math.max(0, after) + 1000);
  }
}

function selectorOf(d: Deployment): Selector | undefined {
  try {
    return labelSelectorAsSelector(d.spec.selector);
  } catch {
    return undefined;
  }
}

function ownerRef(d: Deployment): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** DeploymentStatus's counts are `omitempty`: zeros are not written, as Kubernetes serializes them. */
function normalizeStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const [k, v] of Object.entries(s) as [keyof DeploymentStatus, unknown][]) {
    if (v === 0 || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}


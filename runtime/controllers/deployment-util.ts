/**
 * The Deployment controller's pure rules, ported at the level of facts from k/k
 * pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts, MaxSurge,
 * MaxUnavailable, NewRSNewReplicas, FindNewReplicaSet, EqualIgnoreHash, GetProportion,
 * SetNewReplicaSetAnnotations, DeploymentComplete/Progressing/TimedOut, SetDeploymentCondition)
 * and pkg/controller/controller_utils.go (ComputeHash). No I/O: the controller (deployment.ts)
 * reads the cluster and writes what these decide.
 */
import { canonicalJson } from '../../lib/api/canonical-json.ts';
import { resolveFenceposts as resolveIntOrPercent } from '../../lib/api/fenceposts.ts';
import type { PodTemplateSpec } from '../../lib/api/kinds/pod.ts';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../../lib/api/model.ts';
import { semanticEqual } from '../../lib/api/update/equal.ts';
import { formatTime } from '../../lib/api/time.ts';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Annotations never copied from a Deployment to its ReplicaSets (skipCopyAnnotation). */
const SKIP_COPY = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
/** maxRevHistoryLengthInChars */
const MAX_REV_HISTORY_CHARS = 2000;
const MAX_INT32 = 2147483647;

// condition reasons (pkg/controller/deployment/util)
export const NEW_RS_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const RS_UPDATED_REASON = 'ReplicaSetUpdated';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const PAUSED_REASON = 'DeploymentPaused';
export const RESUMED_REASON = 'DeploymentResumed';
export const RS_CREATE_ERROR_REASON = 'ReplicaSetCreateError';
export const MIN_AVAILABLE_REASON = 'MinimumReplicasAvailable';
export const MIN_UNAVAILABLE_REASON = 'MinimumReplicasUnavailable';

export const replicasOf = (o: { spec: { replicas?: number } }): number => o.spec.replicas ?? 1;

// ---------------------------------------------------------------------------------------------
// surge and unavailability

/** ResolveFenceposts (lib/api/fenceposts.ts), an unset value counting as 0. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  return resolveIntOrPercent(maxSurge ?? 0, maxUnavailable ?? 0, desired);
}

const isRollingUpdate = (d: Deployment): boolean => (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** MaxSurge: 0 for Recreate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

/** MaxUnavailable: 0 for Recreate or no replicas, at most the replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable, replicas);
}

/** NewRSNewReplicas: the new ReplicaSet's next size. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const replicas = replicasOf(d);
  const current = specSum(allRSs);
  const maxTotal = replicas + maxSurge(d);
  const newSize = replicasOf(newRS);
  if (current >= maxTotal) return newSize;
  return newSize + Math.min(maxTotal - current, replicas - newSize);
}

// ---------------------------------------------------------------------------------------------
// sums over ReplicaSets

export const specSum = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + replicasOf(rs), 0);
export const statusSum = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const readySum = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const availableSum = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
export const activeOf = (rss: readonly ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => replicasOf(rs) > 0);

// ---------------------------------------------------------------------------------------------
// the pod-template-hash

/** 32-bit FNV-1a. */
function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}


/** rand.SafeEncodeString's alphabet (no vowels, no 0/1/3: no words, no look-alikes). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/**
 * ComputeHash: FNV-1a of the template's dump, then (with a collision count) 8 more bytes, the
 * count as little-endian uint32 and 4 zero bytes; the uint32 in decimal, safe-encoded. The dump
 * differs from upstream's Go struct dump, so values differ; the behaviour (stable, ≤ 10 chars,
 * changed by the collision count) is the same.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv1a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(b, h);
  }
  return safeEncodeString(String(h));
}

function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

/** EqualIgnoreHash: templates semantically equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

// ---------------------------------------------------------------------------------------------
// ordering, new and old ReplicaSets

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

/** ReplicaSetsByCreationTimestamp: older first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  return d !== 0 ? d : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

export function revisionOf(o: { metadata: { annotations?: Record<string, string> } }): number {
  const v = Number(o.metadata.annotations?.[REVISION] ?? '');
  return Number.isInteger(v) ? v : 0;
}

/** ReplicaSetsByRevision: lower revision first, ties by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreation(a, b);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** FindActiveOrLatest: the one active ReplicaSet, or the newest if none is; undefined with several active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort(byCreation).reverse();
  const active = activeOf(newRS ? [...olds, newRS] : olds);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** IsSaturated: the new ReplicaSet has all replicas, all available. */
export function isSaturated(d: Deployment, newRS: ReplicaSet | undefined): boolean {
  if (!newRS) return false;
  const desired = Number(newRS.metadata.annotations?.[DESIRED_REPLICAS] ?? 'x');
  const replicas = replicasOf(d);
  return replicasOf(newRS) === replicas && desired === replicas && (newRS.status?.availableReplicas ?? 0) === replicas;
}

/** GetProportion: the share of `toAdd` this ReplicaSet gets (getReplicaSetFraction, clamped). */
export function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? 'x');
  const base = Number.isInteger(annotated) ? annotated : (d.status?.replicas ?? 0);
  // integer.RoundToInt32: half away from zero.
  const x = (replicasOf(rs) * deploymentReplicas) / base;
  return (x < 0 ? -Math.round(-x) : Math.round(x)) - replicasOf(rs);
}

// ---------------------------------------------------------------------------------------------
// annotations

/** SetReplicasAnnotations: desired and max replicas; true if changed. */
export function setReplicasAnnotations(annotations: Record<string, string>, desired: number, max: number): boolean {
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: the Deployment's own annotations (but the controller's), the new
 * revision (a bumped old ReplicaSet — a rollback — keeps its former numbers in
 * revision-history, at most 2000 characters) and, for a ReplicaSet about to be created, the
 * replica annotations. Changes `annotations` in place; true if anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, annotations: Record<string, string>, newRevision: number, exists: boolean): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const old = annotations[REVISION];
  const oldNum = old === undefined || old === '' ? 0 : Number(old);
  if (!Number.isInteger(oldNum)) return changed;
  if (oldNum < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = annotations[REVISION_HISTORY] ?? '';
      if (history === '') annotations[REVISION_HISTORY] = old;
      else {
        const parts = history.split(',');
        let total = history.length + old.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
        if (total <= MAX_REV_HISTORY_CHARS) annotations[REVISION_HISTORY] = [...parts.slice(start), old].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

// ---------------------------------------------------------------------------------------------
// status and conditions

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec.progressDeadlineSeconds;
  return s !== undefined && s !== MAX_INT32;
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, now: Date): DeploymentCondition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** SetDeploymentCondition: a no-op for the same status and reason; else replaced, appended last. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

/** calculateStatus */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date): DeploymentStatus {
  const available = availableSum(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: statusSum(allRSs),
    updatedReplicas: newRS ? statusSum([newRS]) : 0,
    readyReplicas: readySum(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specSum(allRSs) - available),
  };
  if (d.status?.conditions) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', MIN_AVAILABLE_REASON, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', MIN_UNAVAILABLE_REASON, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** DeploymentComplete */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than last written. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition's lastUpdateTime is older than the deadline. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (c.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now.getTime();
}

/** What Progressing message names: the new ReplicaSet, or the Deployment without one. */
export function subject(d: Deployment, newRS: ReplicaSet | undefined): string {
  return newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
}

/**
 * Which changes cannot be made in place, per kind, as the API server's ValidateUpdate decides
 * (k/k pkg/apis/{core,apps}/validation): a plan shows them as a replace (delete, then create)
 * instead of letting apply fail with `field is immutable`.
 *
 *  - ReplicaSet (apps/v1), Deployment, DaemonSet: `spec.selector`. (ReplicationController's
 *    selector is mutable; so was extensions/v1beta1's.)
 *  - StatefulSet: everything in spec but replicas, template, updateStrategy, minReadySeconds,
 *    ordinals and persistentVolumeClaimRetentionPolicy.
 *  - Service: `spec.type` to or from ExternalName (kite recreates rather than converting),
 *    `spec.clusterIP` / the primary of `spec.clusterIPs` between two types that have one,
 *    the primary of `spec.ipFamilies`, `spec.loadBalancerClass` of a LoadBalancer.
 *  - Pod (ValidatePodUpdate): everything in spec except `containers[*].image`,
 *    `initContainers[*].image`, `activeDeadlineSeconds` (set, or lowered), `tolerations`
 *    (additions only; existing ones may only shorten tolerationSeconds) and
 *    `terminationGracePeriodSeconds` (only from a negative value to 1).
 *  - Secret / ConfigMap: `type` (Secret), and everything but metadata once `immutable: true`.
 *  - Namespace, Endpoints, ReplicationController and other kinds: nothing in spec.
 * metadata.name/namespace never reach here: they are the object's identity.
 */
import { jsonEqual } from '../api/equal.ts';
import { formatPath, isItem, type PathSegment } from './paths.ts';

type Obj = Record<string, unknown>;

export interface ImmutabilityContext {
  kind: string;
  apiVersion: string;
  /** The desired object after server defaulting (what the update would send). */
  desired: Obj;
  /** The live object. */
  live: Obj;
}

export interface ChangeAt {
  path: readonly PathSegment[];
  op: 'add' | 'change' | 'remove';
  /** Live value (undefined for add). */
  live?: unknown;
  /** Desired value after defaulting (undefined for remove). */
  desired?: unknown;
}

const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Why this change forces a replacement, or undefined when it can be made in place. */
export function replacementReason(ctx: ImmutabilityContext, change: ChangeAt): string | undefined {
  const segs = change.path;
  const top = segs[0];
  if (top === undefined || isItem(top) || top === 'metadata' || top === 'status') return undefined;
  const path = formatPath(segs);
  switch (ctx.kind) {
    case 'ReplicaSet':
    case 'Deployment':
    case 'DaemonSet':
      if (ctx.apiVersion === 'apps/v1' && top === 'spec' && segs[1] === 'selector') return 'spec.selector is immutable';
      return undefined;
    case 'StatefulSet':
      if (ctx.apiVersion === 'apps/v1' && top === 'spec' && !STATEFULSET_MUTABLE.has(String(segs[1]))) return `${formatPath(segs.slice(0, 2))} is immutable`;
      return undefined;
    case 'Service':
      return ctx.apiVersion === 'v1' ? serviceReason(ctx, segs) : undefined;
    case 'Pod':
      return ctx.apiVersion === 'v1' && top === 'spec' ? podReason(ctx, change, path) : undefined;
    case 'Secret':
    case 'ConfigMap': {
      if (ctx.apiVersion !== 'v1') return undefined;
      if (ctx.kind === 'Secret' && top === 'type') return 'type is immutable';
      if (ctx.live.immutable === true) return `${ctx.kind} is immutable (immutable: true)`;
      return undefined;
    }
    default:
      return undefined;
  }
}

const STATEFULSET_MUTABLE = new Set(['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy']);

function serviceReason(ctx: ImmutabilityContext, segs: readonly PathSegment[]): string | undefined {
  if (segs[0] !== 'spec') return undefined;
  const oldSpec = obj(ctx.live.spec) ?? {};
  const newSpec = obj(ctx.desired.spec) ?? {};
  const oldType = typeof oldSpec.type === 'string' ? oldSpec.type : 'ClusterIP';
  const newType = typeof newSpec.type === 'string' ? newSpec.type : 'ClusterIP';
  const field = segs[1];
  if (field === 'type' && oldType !== newType && (oldType === 'ExternalName' || newType === 'ExternalName')) {
    return `spec.type ${oldType} → ${newType}`;
  }
  // Between ExternalName and anything else the IP fields are (de)allocated, not changed.
  if (oldType === 'ExternalName' || newType === 'ExternalName') return undefined;
  switch (field) {
    case 'clusterIP':
      return differs(oldSpec.clusterIP, newSpec.clusterIP) ? 'spec.clusterIP is immutable' : undefined;
    case 'clusterIPs':
      return differs(arr(oldSpec.clusterIPs)[0], arr(newSpec.clusterIPs)[0]) ? 'spec.clusterIPs is immutable' : undefined;
    case 'ipFamilies':
      return differs(arr(oldSpec.ipFamilies)[0], arr(newSpec.ipFamilies)[0]) ? 'spec.ipFamilies[0] is immutable' : undefined;
    case 'loadBalancerClass':
      return oldType === 'LoadBalancer' && newType === 'LoadBalancer' && oldSpec.loadBalancerClass !== newSpec.loadBalancerClass
        ? 'spec.loadBalancerClass is immutable'
        : undefined;
    default:
      return undefined;
  }
}

/** Both set and different (an unset new value keeps the allocated one). */
function differs(old: unknown, next: unknown): boolean {
  return old !== undefined && old !== null && old !== '' && next !== undefined && next !== null && next !== '' && old !== next;
}

function podReason(ctx: ImmutabilityContext, change: ChangeAt, path: string): string | undefined {
  const segs = change.path;
  const field = segs[1];
  const immutable = `${path} is immutable on a Pod`;
  if ((field === 'containers' || field === 'initContainers') && segs.length === 4 && isItem(segs[2]!) && segs[3] === 'image' && change.op === 'change') {
    return undefined;
  }
  if (segs.length !== 2) return immutable;
  const oldSpec = obj(ctx.live.spec) ?? {};
  const newSpec = obj(ctx.desired.spec) ?? {};
  switch (field) {
    case 'activeDeadlineSeconds': {
      const next = newSpec.activeDeadlineSeconds;
      const old = oldSpec.activeDeadlineSeconds;
      if (typeof next !== 'number') return old === undefined || old === null ? undefined : 'spec.activeDeadlineSeconds cannot be removed from a Pod';
      if (typeof old === 'number' && next > old) return 'spec.activeDeadlineSeconds can only be lowered on a Pod';
      return undefined;
    }
    case 'tolerations':
      return tolerationsOnlyAdded(arr(oldSpec.tolerations), arr(newSpec.tolerations)) ? undefined : 'spec.tolerations can only be added to on a Pod';
    case 'terminationGracePeriodSeconds': {
      const old = oldSpec.terminationGracePeriodSeconds;
      return typeof old === 'number' && old < 0 && newSpec.terminationGracePeriodSeconds === 1 ? undefined : immutable;
    }
    default:
      return immutable;
  }
}

/**
 * validateOnlyAddedTolerations: every old toleration is still there, except that a NoExecute one
 * may lower (not raise or drop) its tolerationSeconds. The DefaultTolerationSeconds admission
 * plugin's own two tolerations are not the program's to keep; they are ignored here as in the diff.
 */
function tolerationsOnlyAdded(oldList: unknown[], newList: unknown[]): boolean {
  return oldList.every((o) => {
    const old = obj(o);
    if (!old) return true;
    if (isAdmissionDefaultToleration(old)) return true;
    return newList.some((n) => {
      const next = obj(n);
      if (!next) return false;
      const { tolerationSeconds: os, ...oRest } = old;
      const { tolerationSeconds: ns, ...nRest } = next;
      if (!jsonEqual(normToleration(oRest), normToleration(nRest))) return false;
      if (os === undefined || os === null) return ns === undefined || ns === null;
      return typeof ns === 'number' && typeof os === 'number' && (ns === os || (old.effect === 'NoExecute' && ns <= os));
    });
  });
}

function normToleration(t: Obj): Obj {
  const out: Obj = {};
  for (const k of ['key', 'operator', 'value', 'effect']) {
    const v = t[k];
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  }
  if (out.operator === undefined) out.operator = 'Equal';
  return out;
}

/** The tolerations the DefaultTolerationSeconds admission plugin adds to every Pod. */
export function isAdmissionDefaultToleration(t: Obj): boolean {
  return (
    (t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable') &&
    t.operator === 'Exists' &&
    t.effect === 'NoExecute' &&
    t.tolerationSeconds === 300 &&
    (t.value === undefined || t.value === '')
  );
}

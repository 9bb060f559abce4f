/**
 * Taints and tolerations (k8s.io/api/core/v1 toleration.go ToleratesTaint): the scheduler's
 * TaintToleration filter, the NodeUnschedulable filter and the node lifecycle controller's
 * NoExecute eviction all decide with these.
 */

/** v1.TaintNodeUnschedulable: a cordoned node's (spec.unschedulable) NoSchedule taint. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export interface TaintLike {
  key?: string | undefined;
  value?: string | undefined;
  effect?: string | undefined;
}

export interface TolerationLike {
  key?: string | undefined;
  operator?: string | undefined;
  value?: string | undefined;
  effect?: string | undefined;
  tolerationSeconds?: number | undefined;
}

/** v1.Toleration.ToleratesTaint: an empty effect or key matches all; Exists ignores the value. */
export function toleratesTaint(t: TolerationLike, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly TolerationLike[] | undefined, taint: TaintLike): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

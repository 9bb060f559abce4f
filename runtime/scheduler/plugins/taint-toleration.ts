import type { FilterPlugin, ScorePlugin } from '../framework.ts';
import { defaultNormalizeScore, MAX_NODE_SCORE, Status } from '../framework.ts';
import { toleratesTaint, tolerationsTolerateTaint } from '../../../lib/api/taints.ts';

/**
 * TaintToleration: a node's NoSchedule / NoExecute taints keep off the pods that do not
 * tolerate them (how NotReady and unreachable nodes are skipped: the node lifecycle controller
 * taints them `node.kubernetes.io/not-ready` / `node.kubernetes.io/unreachable`); as a score,
 * fewer untolerated PreferNoSchedule taints is better.
 */
export const TaintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(_state, pod, node) {
    const tolerations = pod.pod.spec.tolerations;
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerationsTolerateTaint(tolerations, taint)) {
        return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      }
    }
    return undefined;
  },
};

export const TaintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(_state, pod, node) {
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    let n = 0;
    for (const taint of node.taints) {
      if (taint.effect !== 'PreferNoSchedule') continue;
      if (!tolerations.some((t) => toleratesTaint(t, taint))) n++;
    }
    return n;
  },
  normalize(_state, _pod, scores) {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  },
};

import type { SchedulerCache } from '../cache.ts';
import type { ScorePlugin } from '../framework.ts';
import { defaultNormalizeScore, MAX_NODE_SCORE } from '../framework.ts';

/**
 * Spreading, as SelectorSpread did and PodTopologySpread's system defaults do per hostname:
 * fewer pods of the same controller (ReplicaSet, ReplicationController, StatefulSet) and
 * Services on a node scores higher. A pod's groups are its controller owner and the Services
 * selecting it; the pods counted on a node are those (not terminating) in all of those groups.
 */
export function selectorSpread(cache: SchedulerCache, weight = 2): ScorePlugin {
  return {
    name: 'SelectorSpread',
    weight,
    score(_state, pod, node) {
      return cache.countMatching(node, pod.groups);
    },
    normalize(_state, _pod, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    },
  };
}

import type { ScorePlugin } from '../framework.ts';
import { MAX_NODE_SCORE } from '../framework.ts';

/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in similar
 * proportions (score = (1 − |f_cpu − f_mem| / 2) × 100, fractions of allocatable capped at 1).
 */
export const NodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(_state, pod, node) {
    const fractions: number[] = [];
    const a = node.allocatable;
    if (a.milliCPU > 0) fractions.push(Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / a.milliCPU));
    if (a.memory > 0) fractions.push(Math.min(1, (node.requested.memory + pod.requests.memory) / a.memory));
    const std = fractions.length === 2 ? Math.abs((fractions[0]! - fractions[1]!) / 2) : 0;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};

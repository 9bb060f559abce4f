import type { ScorePlugin } from '../framework.ts';
import { MAX_NODE_SCORE } from '../framework.ts';

function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * NodeResourcesFit's score with the default LeastAllocated strategy (cpu and memory, weight 1
 * each): the share of the node left free once the pod is added, counting 100m / 200Mi for
 * containers that request nothing.
 */
export const NodeResourcesLeastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score(_state, pod, node) {
    const cpuCap = node.allocatable.milliCPU;
    const memCap = node.allocatable.memory;
    let sum = 0;
    let weights = 0;
    if (cpuCap > 0) {
      sum += leastRequestedScore(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, cpuCap);
      weights++;
    }
    if (memCap > 0) {
      sum += leastRequestedScore(node.nonZeroRequested.memory + pod.nonZero.memory, memCap);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  },
};

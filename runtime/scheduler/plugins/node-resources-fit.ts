import type { FilterPlugin, NodeInfo, PodInfo } from '../framework.ts';
import { Status } from '../framework.ts';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';

/**
 * NodeResourcesFit (filter): the node's allocatable minus what its pods request must cover
 * the pod's request for every resource the pod requests, and one more pod must fit under
 * `allocatable.pods`. In 1.32 every shortfall is `Unschedulable` (preemption could help), even
 * a request larger than the whole node.
 */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.size + 1 > node.allocatable.pods) reasons.push(ERR_REASON_TOO_MANY_PODS);
  const req = pod.requests;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !(req.scalar && req.scalar.size > 0)) return reasons;
  const a = node.allocatable;
  const used = node.requested;
  if (req.milliCPU > 0 && a.milliCPU < req.milliCPU + used.milliCPU) reasons.push('Insufficient cpu');
  if (req.memory > 0 && a.memory < req.memory + used.memory) reasons.push('Insufficient memory');
  if (req.ephemeralStorage > 0 && a.ephemeralStorage < req.ephemeralStorage + used.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0) continue;
      if ((a.scalar?.get(name) ?? 0) < q + (used.scalar?.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
    }
  }
  return reasons;
}

export const NodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(_state, pod, node) {
    const reasons = insufficientResources(pod, node);
    return reasons.length > 0 ? Status.unschedulable(...reasons) : undefined;
  },
};

import type { FilterPlugin } from '../framework.ts';
import { Status } from '../framework.ts';
import { TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from '../../../lib/api/taints.ts';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods tolerating the unschedulable taint. */
export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(_state, pod, node) {
    if (!node.unschedulable) return undefined;
    if (tolerationsTolerateTaint(pod.pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' })) return undefined;
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
};

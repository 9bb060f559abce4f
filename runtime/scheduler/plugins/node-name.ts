import type { FilterPlugin } from '../framework.ts';
import { Status } from '../framework.ts';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** NodeName: a pod that names its node (spec.nodeName) fits only that node. */
export const NodeName: FilterPlugin = {
  name: 'NodeName',
  filter(_state, pod, node) {
    const want = pod.pod.spec?.nodeName;
    if (!want || want === node.name) return undefined;
    return Status.unresolvable(ERR_REASON_NODE_NAME);
  },
};

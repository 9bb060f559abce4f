import type { FilterPlugin } from '../framework.ts';
import { Status } from '../framework.ts';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** NodePorts: a hostPort (protocol, port, host IP; 0.0.0.0 conflicts with every IP) is taken once per node. */
export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(_state, pod, node) {
    for (const hp of pod.hostPorts) {
      const ips = node.usedPorts.get(`${hp.protocol}/${hp.port}`);
      if (!ips) continue;
      if (hp.hostIP === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(hp.hostIP)) return Status.unschedulable(ERR_REASON_NODE_PORTS);
    }
    return undefined;
  },
};

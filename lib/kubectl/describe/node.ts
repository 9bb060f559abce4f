/** `describe node`, as kubectl 1.32's NodeDescriber prints it. */
import { nodeRoles } from '../../api/kinds/node.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import type { Event, Lease, Node, NodeSystemInfo, Pod } from '../../api/model.ts';
import { parseQuantity, type Quantity } from '../../api/quantity.ts';
import { KubeApiError, type KubeClient } from '../../kube/index.ts';
import { rfc1123z } from '../time.ts';
import { asKind, type Describer, type LookupError } from './describer.ts';
import { describeEvents, searchEvents } from './events.ts';
import { quantity, quantityString, since } from './fields.ts';
import { printLabelsAndAnnotations, printNodeTaintsMultiline } from './multiline.ts';
import { podLimits, podRequests, type ResourceList } from './pod-resources.ts';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './prefix-writer.ts';

const PODS = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;
const LEASES = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true } as const;


/** What describe looks up for a Node. */
export interface NodeRelated {
  /** The pods on the node that are not done; absent when the client may not list pods (kubectl: `not authorized`). */
  pods?: Pod[];
  events: Event[];
  /** Its heartbeat Lease in kube-node-lease. */
  lease: Lease | LookupError;
}

/** The pods on the node that are not done; undefined when the client may not list pods. */
async function nonTerminatedPods(client: KubeClient, nodeName: string): Promise<Pod[] | undefined> {
  try {
    return (await client.listAll<Pod>(PODS, { fieldSelector: `spec.nodeName=${nodeName},status.phase!=Succeeded,status.phase!=Failed` })).items;
  } catch (e) {
    if (e instanceof KubeApiError && e.code === 403) return undefined;
    throw e;
  }
}

async function nodeLease(client: KubeClient, nodeName: string): Promise<Lease | LookupError> {
  try {
    return await client.get<Lease>(LEASES, 'kube-node-lease', nodeName);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export const nodeDescriber: Describer<NodeRelated> = {
  kind: 'Node',
  groups: [''],
  async related(node, client) {
    const name = node.metadata.name ?? '';
    const pods = await nonTerminatedPods(client, name);
    // kubectl looks events up by the node's uid and by its name as uid (what kubelets report)
    const [byUid, byName] = await Promise.all([
      searchEvents(client, { kind: 'Node', name, namespace: '', uid: node.metadata.uid ?? '' }),
      searchEvents(client, { kind: 'Node', name, namespace: '', uid: name }),
    ]);
    return { pods, events: [...byUid, ...byName], lease: await nodeLease(client, name) };
  },
  render(o, related, now) {
    return describeNode(asKind<Node>(o), related, now);
  },
};

function percent(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Math.trunc((Number(part) / Number(whole)) * 100);
}

const ZERO = () => parseQuantity('0');

function describeNode(node: Node, { pods, events, lease }: NodeRelated, now: number): string {
  const meta = node.metadata;
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
  const roles = nodeRoles(node.metadata.labels);
  w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
  printLabelsAndAnnotations(w, meta);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  printNodeTaintsMultiline(w, 'Taints', spec.taints);
  w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  if ('error' in lease) w.write(LEVEL_0, `Lease:\tFailed to get lease: ${lease.error}\n`);
  else {
    const ls = lease.spec ?? {};
    w.write(LEVEL_0, 'Lease:\n');
    w.write(LEVEL_1, `HolderIdentity:\t${ls.holderIdentity ?? '<unset>'}\n`);
    w.write(LEVEL_1, `AcquireTime:\t${ls.acquireTime ? rfc1123z(ls.acquireTime) : '<unset>'}\n`);
    w.write(LEVEL_1, `RenewTime:\t${ls.renewTime ? rfc1123z(ls.renewTime) : '<unset>'}\n`);
  }
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
  const printResourceList = (list: Record<string, string>) => {
    for (const r of Object.keys(list).sort(compareGoStrings)) w.write(LEVEL_0, `  ${r}:\t${quantityString(list[r])}\n`);
  };
  const capacity = status.capacity ?? {};
  const allocatableRaw = status.allocatable ?? {};
  if (Object.keys(capacity).length > 0) {
    w.write(LEVEL_0, 'Capacity:\n');
    printResourceList(capacity);
  }
  if (Object.keys(allocatableRaw).length > 0) {
    w.write(LEVEL_0, 'Allocatable:\n');
    printResourceList(allocatableRaw);
  }
  const info: Partial<NodeSystemInfo> = status.nodeInfo ?? {};
  w.write(LEVEL_0, 'System Info:\n');
  w.write(LEVEL_0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  w.write(LEVEL_0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  w.write(LEVEL_0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  w.write(LEVEL_0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  w.write(LEVEL_0, `  OS Image:\t${info.osImage ?? ''}\n`);
  w.write(LEVEL_0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  w.write(LEVEL_0, `  Architecture:\t${info.architecture ?? ''}\n`);
  w.write(LEVEL_0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
  if (pods) describeNodeResource(pods, Object.keys(allocatableRaw).length > 0 ? allocatableRaw : capacity, w, now);
  else w.write(LEVEL_0, 'Pods:\tnot authorized\n');
  describeEvents(events, w, now);
  return w.toString();
}

function get(list: ResourceList, name: string): Quantity {
  return list.get(name) ?? ZERO();
}

function describeNodeResource(pods: readonly Pod[], allocatableRaw: Record<string, string>, w: PrefixWriter, now: number): void {
  const allocatable = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(allocatableRaw)) {
    const q = quantity(v);
    if (q) allocatable.set(k, q);
  }
  const allocCpu = get(allocatable, 'cpu').milliValue();
  const allocMem = get(allocatable, 'memory').value();
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs: ResourceList = new Map();
  const limits: ResourceList = new Map();
  for (const pod of pods) {
    const req = podRequests(pod);
    const lim = podLimits(pod);
    const cpuReq = get(req, 'cpu');
    const cpuLim = get(lim, 'cpu');
    const memReq = get(req, 'memory');
    const memLim = get(lim, 'memory');
    const meta = pod.metadata;
    w.write(
      LEVEL_1,
      `${meta.namespace ?? ''}\t${meta.name ?? ''}\t\t${cpuReq} (${percent(cpuReq.milliValue(), allocCpu)}%)\t${cpuLim} (${percent(cpuLim.milliValue(), allocCpu)}%)\t${memReq} (${percent(memReq.value(), allocMem)}%)\t${memLim} (${percent(memLim.value(), allocMem)}%)\t${since(meta.creationTimestamp, now)}\n`,
    );
    for (const [k, q] of req) reqs.set(k, reqs.has(k) ? reqs.get(k)!.add(q) : q);
    for (const [k, q] of lim) limits.set(k, limits.has(k) ? limits.get(k)!.add(q) : q);
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const line = (name: string, milli: boolean) => {
    const r = get(reqs, name);
    const l = get(limits, name);
    const a = get(allocatable, name);
    const whole = milli ? a.milliValue() : a.value();
    const rv = milli ? r.milliValue() : r.value();
    const lv = milli ? l.milliValue() : l.value();
    w.write(LEVEL_1, `${name}\t${r} (${percent(rv, whole)}%)\t${l} (${percent(lv, whole)}%)\n`);
  };
  line('cpu', true);
  line('memory', false);
  line('ephemeral-storage', false);
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
  const names = [...allocatable.keys()];
  for (const r of names.filter((n) => n.startsWith('hugepages-')).sort(compareGoStrings)) line(r, false);
  for (const r of names.filter((n) => !n.startsWith('hugepages-') && !standard.has(n) && !n.startsWith('requests.') && !n.startsWith('limits.')).sort(compareGoStrings)) {
    w.write(LEVEL_1, `${r}\t${get(reqs, r)}\t${get(limits, r)}\n`);
  }
}

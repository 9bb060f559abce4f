import type { OwnerReference } from '../../../lib/api/meta.ts';
import type { Event, Node, Pod, PodCondition, Taint, Toleration } from '../../../lib/api/model.ts';
import type { ApiClient } from '../../../runtime/client/client.ts';

/** A Node object as a kubelet would register it (Ready, with capacity), without a kubelet. */
export async function createNode(
  client: ApiClient,
  name: string,
  o: { cpu?: string; memory?: string; pods?: number; labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {},
): Promise<Node> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const resources = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110) };
  return client.create('nodes', undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  });
}

export function podBody(name: string, o: { cpu?: string; memory?: string; limitsOnly?: boolean; labels?: Record<string, string>; owner?: OwnerReference; nodeSelector?: Record<string, string>; tolerations?: Toleration[]; nodeName?: string; hostPort?: number } = {}): Pod {
  const res: Record<string, string> = {};
  if (o.cpu) res.cpu = o.cpu;
  if (o.memory) res.memory = o.memory;
  const resources = Object.keys(res).length === 0 ? {} : o.limitsOnly ? { limits: res } : { requests: res };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}), ...(o.owner ? { ownerReferences: [o.owner] } : {}) },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.25', resources, ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort }] } : {}) }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    },
  };
}

export function eventsFor(client: ApiClient, pod: string, reason?: string): Event[] {
  return client.list('events', 'default').items.filter((e) => e.involvedObject?.name === pod && (!reason || e.reason === reason));
}

export function podScheduled(pod: Pod | undefined): PodCondition | undefined {
  return pod?.status?.conditions?.find((c) => c.type === 'PodScheduled');
}

import type { ApiClient, Obj } from '../../../runtime/client/client.ts';

/** A Node object as a kubelet would register it (Ready, with capacity), without a kubelet. */
export async function createNode(
  client: ApiClient,
  name: string,
  o: { cpu?: string; memory?: string; pods?: number; labels?: Record<string, string>; taints?: Obj[]; unschedulable?: boolean } = {},
): Promise<Obj> {
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

export function podBody(name: string, o: { cpu?: string; memory?: string; limitsOnly?: boolean; labels?: Record<string, string>; owner?: Obj; nodeSelector?: Record<string, string>; tolerations?: Obj[]; nodeName?: string; hostPort?: number } = {}): Obj {
  const res: Obj = {};
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

export function eventsFor(client: ApiClient, pod: string, reason?: string): Obj[] {
  return client.list('events', 'default').items.filter((e) => e.involvedObject?.name === pod && (!reason || e.reason === reason));
}

export function podScheduled(pod: Obj | undefined): Obj | undefined {
  return ((pod?.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled');
}

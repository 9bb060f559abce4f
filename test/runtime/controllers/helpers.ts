import type { Event, Pod, PodSpec, PodStatus, ReplicaSet, ReplicaSetSpec } from '../../../lib/api/model.ts';
import type { ObjectOf } from '../../../lib/api/resource-types.ts';
import type { ApiClient } from '../../../runtime/client/client.ts';

export function replicaSet(name: string, replicas: number, labels: Record<string, string> = { app: name }, extra: Partial<ReplicaSetSpec> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      ...extra,
    },
  };
}

export function pod(name: string, labels: Record<string, string>, extra: Partial<PodSpec> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
  };
}

/** What a kubelet reports for a started pod: phase Running, an IP, and (if ready) Ready=True. */
export async function setPodStatus(client: ApiClient, ns: string, name: string, opts: { ip?: string; ready?: boolean; phase?: PodStatus['phase']; readySince?: string; restarts?: number } = {}): Promise<Pod> {
  const cur = client.get('pods', ns, name);
  if (!cur) throw new Error(`pod ${ns}/${name} not found`);
  const ready = opts.ready ?? true;
  const since = opts.readySince ?? '2024-01-01T00:00:00Z';
  const status: PodStatus = {
    ...cur.status,
    phase: opts.phase ?? 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: since },
      { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: since },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: since },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: since },
    ],
    containerStatuses: [{ name: 'app', ready, restartCount: opts.restarts ?? 0, image: 'nginx', imageID: '', started: true, state: { running: { startedAt: since } } }],
  };
  if (opts.ip) {
    status.podIP = opts.ip;
    status.podIPs = [{ ip: opts.ip }];
  }
  return client.updateStatus('pods', { ...cur, status });
}

/** Counts pod ADDED events (every creation ever) in a namespace. */
export function countCreations(client: ApiClient, ns: string): { readonly count: number; stop(): void } {
  let count = 0;
  const { resourceVersion } = client.list('pods', ns);
  const stop = client.watch('pods', ns, { resourceVersion }, (e) => {
    if (e.type === 'ADDED') count++;
  });
  return {
    get count() {
      return count;
    },
    stop,
  };
}

export function podsOf(client: ApiClient, ns: string, ownerUid: string | undefined): Pod[] {
  return client.list('pods', ns).items.filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid));
}

export function eventsFor(client: ApiClient, ns: string, name: string | undefined): Event[] {
  return client.list('events', ns).items.filter((e) => e.involvedObject?.name === name);
}

/**
 * client.delete, retried on 409 Conflict. Works around a registry bug (reported): Registry.delete
 * compares the committed resourceVersion with the store's newest accepted one, so a DELETE
 * without preconditions fails while another write of the object (e.g. a controller's status
 * update) is being committed.
 */
export async function deleteRetrying<R extends string>(client: ApiClient, resource: R, ns: string | undefined, name: string | undefined, opts: Parameters<ApiClient['delete']>[3] = {}): Promise<ObjectOf<R>> {
  for (let i = 0; ; i++) {
    try {
      return await client.delete(resource, ns, name ?? '', opts);
    } catch (e) {
      if ((e as { code?: number; reason?: string }).reason !== 'Conflict' || i >= 20) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/**
 * Which pod `kite port-forward TYPE/NAME` forwards to, as kubectl picks it
 * (kubectl pkg/polymorphichelpers/attachablepodforobject.go, pkg/cmd/util/helpers.go
 * `GetFirstPod`): a pod is itself; a Service, ReplicaSet, ReplicationController, Deployment,
 * StatefulSet, DaemonSet or Job lends its selector, and the most active pod it selects is
 * taken (podutils.ActivePods reversed: bound, Running, ready, ready longest, fewest restarts,
 * oldest), waiting up to `--pod-running-timeout` for one to exist.
 */
import type { Pod, Service } from '../lib/api/model.ts';
import { labelSelectorAsSelector, selectorFromSet, type LabelSelector } from '../lib/api/selector.ts';
import type { KubeClient } from '../lib/kube/index.ts';
import { refOf, resolveKinds } from '../lib/kubectl/index.ts';
import { POD_REF } from './logs.ts';
import { UserError } from './output.ts';

export interface ForwardTarget {
  pod: Pod;
  /** Set when the argument named a Service: its ports are translated to the pod's. */
  service?: Service;
}

/** The workloads whose `spec.selector` is a LabelSelector. */
const SELECTOR_KINDS = new Set(['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
/** The Go type kubectl names in its refusal (`cannot attach to *v1.ConfigMap: not implemented`). */
const GO_PACKAGE: Record<string, string> = { apps: 'v1', batch: 'v1', '': 'v1' };

interface Selecting {
  metadata: { name?: string };
  spec?: { selector?: LabelSelector | Record<string, string> };
}

export async function forwardTarget(client: KubeClient, namespace: string, arg: string, timeoutMs: number, now: () => number = Date.now): Promise<ForwardTarget> {
  const slash = arg.indexOf('/');
  const [type, name] = slash < 0 ? ['pods', arg] : [arg.slice(0, slash), arg.slice(slash + 1)];
  if (!name) throw new UserError(`arguments in resource/name form must have a single resource and name`);
  const [resource] = await resolveKinds(client, type);
  const obj = await client.get<Pod | Service | Selecting>(refOf(resource!), namespace, name);
  const kind = resource!.kind;
  if (kind === 'Pod') return { pod: obj as Pod };
  let selector: string;
  if (kind === 'Service') {
    const svc = obj as Service;
    if (!svc.spec?.selector) throw new UserError(`invalid service '${name}': Service is defined without a selector`);
    selector = selectorFromSet(svc.spec.selector).toString();
    return { pod: await firstPod(client, namespace, selector, timeoutMs, now), service: svc };
  }
  const spec = (obj as Selecting).spec;
  if (kind === 'ReplicationController') selector = selectorFromSet((spec?.selector ?? {}) as Record<string, string>).toString();
  else if (SELECTOR_KINDS.has(kind)) selector = labelSelectorAsSelector(spec?.selector as LabelSelector | undefined).toString();
  else throw new UserError(`cannot attach to *${GO_PACKAGE[resource!.group] ?? resource!.version}.${kind}: not implemented`);
  return { pod: await firstPod(client, namespace, selector, timeoutMs, now) };
}

/** ActivePods' order reversed: the pod least likely to go first. */
export function moreActive(a: Pod, b: Pod): number {
  const bound = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready');
  const isReady = (p: Pod) => (ready(p)?.status === 'True' ? 1 : 0);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const time = (t: string | null | undefined) => (t ? Date.parse(t) : Number.POSITIVE_INFINITY);
  return (
    bound(b) - bound(a) ||
    phase(b) - phase(a) ||
    isReady(b) - isReady(a) ||
    // Ready longer first.
    (isReady(a) ? time(ready(a)?.lastTransitionTime) - time(ready(b)?.lastTransitionTime) : 0) ||
    restarts(a) - restarts(b) ||
    time(a.metadata.creationTimestamp) - time(b.metadata.creationTimestamp)
  );
}

async function firstPod(client: KubeClient, namespace: string, labelSelector: string, timeoutMs: number, now: () => number): Promise<Pod> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const pods = (await client.list<Pod>(POD_REF, { namespace, labelSelector })).items;
    if (pods.length) return [...pods].sort(moreActive)[0]!;
    // kubectl watches until one appears; the wait's own error text when none does.
    if (now() >= deadline) throw new UserError('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - now()))));
  }
}

/** The pods of a ReplicaSet / ReplicationController, read through lib/kube: what a rollout and the plan's count look at. */
import type { KubeObject } from '../../api/meta.ts';
import type { KubeClient, ResourceRef } from '../../kube/index.ts';
import { ownedPods } from '../kinds/replicaset.ts';
import { TEMPLATE_HASH_LABEL } from './template-hash.ts';

export const PODS: ResourceRef = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
export const EVENTS: ResourceRef = { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true };

/** `a=1,b=2` from the selector's equality part (RS matchLabels, RC's map); ownership narrows it further. */
function labelSelectorOf(owner: KubeObject): string {
  const sel = (owner.spec as { selector?: Record<string, unknown> } | undefined)?.selector ?? {};
  const labels = (owner.kind === 'ReplicationController' ? sel : sel.matchLabels) as Record<string, string> | undefined;
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The pods `owner` controls now, those being deleted left out. */
export async function podsOf(client: KubeClient, owner: KubeObject): Promise<KubeObject[]> {
  const labelSelector = labelSelectorOf(owner);
  const list = await client.listAll<KubeObject>(PODS, { namespace: owner.metadata.namespace ?? 'default', ...(labelSelector ? { labelSelector } : {}) });
  return ownedPods(owner, list.items);
}

/** The pod runs the template whose hash is `hash`. */
export function isCurrent(pod: KubeObject, hash: string): boolean {
  return pod.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash;
}

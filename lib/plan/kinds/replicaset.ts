/**
 * ReplicaSet / ReplicationController: ready when the controller observed the current generation,
 * `readyReplicas == spec.replicas` and `replicas == spec.replicas` (no extra old pods left). Fails
 * fast on its ReplicaFailure condition, or when one of its pods definitely fails (pod.ts).
 */
import { asArr, asInt, asObj, asStr } from '../../api/kinds/fields.ts';
import type { KubeObject } from '../../api/meta.ts';
import { failureOf, podReport } from './pod.ts';
import type { Readiness, ReadinessKind, Related } from './types.ts';

/** The pods `owner` controls (ownerReference by uid), not being deleted. */
export function ownedPods(owner: KubeObject, pods: readonly KubeObject[]): KubeObject[] {
  const uid = owner.metadata?.uid;
  if (!uid) return [];
  return pods.filter((p) => !p.metadata?.deletionTimestamp && (p.metadata?.ownerReferences ?? []).some((o) => o.uid === uid));
}

function replicasReadiness(obj: KubeObject, related: Related): Readiness {
  const spec = asObj(obj.spec) ?? {};
  const status = asObj(obj.status) ?? {};
  const want = asInt(spec.replicas) ?? 1;
  const have = asInt(status.replicas) ?? 0;
  const ready = asInt(status.readyReplicas) ?? 0;
  const generation = obj.metadata?.generation ?? 0;
  const observed = asInt(status.observedGeneration) ?? 0;
  const current = observed >= generation;

  let detail = `${current ? ready : Math.min(ready, want)}/${want} ready`;
  if (!current) detail += ' (waiting for the controller)';
  else if (have > want) detail += ` (${have - want} extra pod${have - want === 1 ? '' : 's'} going away)`;
  if (current && ready === want && have === want) return { ready: true, detail };

  const replicaFailure = asArr(status.conditions)
    .map((c) => asObj(c) ?? {})
    .find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (replicaFailure) {
    return {
      ready: false,
      detail,
      failure: [asStr(replicaFailure.reason), asStr(replicaFailure.message)].filter(Boolean).join(': ') || 'ReplicaFailure',
      reason: 'ReplicaFailure',
    };
  }

  const pods = ownedPods(obj, related.pods ?? []);
  const events = related.events ?? [];
  const waiting = new Map<string, number>();
  let note: string | undefined;
  for (const pod of pods) {
    const r = podReport(pod, events);
    if (r.ready || r.terminal) continue;
    if (r.failure) return { ready: false, detail: `${detail}; pod ${pod.metadata.name}: ${r.status}`, ...failureOf({ ...r, failure: `pod ${pod.metadata.name}: ${r.failure}` }) };
    const key = r.status === 'Running' || r.status === 'NotReady' ? 'not ready' : r.status || 'Pending';
    waiting.set(key, (waiting.get(key) ?? 0) + 1);
    if (!note && r.note) note = `pod ${pod.metadata.name}: ${r.note}`;
  }
  const counts = [...waiting].map(([k, n]) => `${n} ${k}`).join(', ');
  if (counts) detail += `; ${counts}`;
  if (note) detail += `; ${note}`;
  return { ready: false, detail };
}

export const replicaSetReadiness: ReadinessKind = {
  groupKinds: ['ReplicaSet.apps', 'ReplicationController'],
  pods: 'owned',
  readiness: replicasReadiness,
};

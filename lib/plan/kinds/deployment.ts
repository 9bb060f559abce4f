/**
 * Deployment: ready when the rollout is complete as `kubectl rollout status` decides it
 * (kubectl pkg/polymorphichelpers/rollout_status.go, DeploymentStatusViewer): the controller
 * observed the generation, every replica is updated, no old one is left and the updated ones are
 * available; a paused one is ready as it stands (it will not move until resumed). Fails fast on `Progressing=False` (ProgressDeadlineExceeded: the rollout stopped
 * moving; the old pods keep serving), on a ReplicaFailure condition, or when one of its pods
 * definitely fails (pod.ts) — the pods are those its selector picks (they belong to its
 * ReplicaSets, not to it).
 */
import { asArr, asInt, asObj, asStr } from '../../api/kinds/fields.ts';
import type { KubeObject } from '../../api/meta.ts';
import { labelSelectorAsSelector, type LabelSelector, type Selector } from '../../api/selector.ts';
import { failureOf, podReport } from './pod.ts';
import type { Readiness, ReadinessKind, Related } from './types.ts';

function selectorOf(d: KubeObject): Selector | undefined {
  const sel = asObj(asObj(d.spec)?.selector);
  if (!sel) return undefined;
  try {
    const s = labelSelectorAsSelector(sel as LabelSelector);
    return s.isEmpty() ? undefined : s;
  } catch {
    return undefined;
  }
}

function condition(status: Record<string, unknown>, type: string): Record<string, unknown> | undefined {
  return asArr(status.conditions)
    .map((c) => asObj(c) ?? {})
    .find((c) => c.type === type);
}

/** The rollout's progress in kubectl's terms, or undefined when it is complete. */
function rolloutDetail(d: KubeObject): string | undefined {
  const spec = asObj(d.spec) ?? {};
  const status = asObj(d.status) ?? {};
  const want = asInt(spec.replicas) ?? 1;
  if ((d.metadata?.generation ?? 0) > (asInt(status.observedGeneration) ?? 0)) return 'waiting for the controller';
  const updated = asInt(status.updatedReplicas) ?? 0;
  const replicas = asInt(status.replicas) ?? 0;
  const available = asInt(status.availableReplicas) ?? 0;
  if (updated < want) return `rolling ${updated}/${want} updated, ${available}/${want} available`;
  if (replicas > updated) return `${replicas - updated} old pod${replicas - updated === 1 ? '' : 's'} pending termination`;
  if (available < updated) return `${available}/${updated} updated pods available`;
  return undefined;
}

function readinessOfDeployment(d: KubeObject, related: Related): Readiness {
  const status = asObj(d.status) ?? {};
  const want = asInt(asObj(d.spec)?.replicas) ?? 1;
  const detail = rolloutDetail(d);
  if (detail === undefined) return { ready: true, detail: `${asInt(status.availableReplicas) ?? 0}/${want} available` };
  // A paused rollout does not move until someone resumes it: waiting would never end.
  if (asObj(d.spec)?.paused === true) return { ready: true, detail: `paused: ${detail}` };

  const progressing = condition(status, 'Progressing');
  if (progressing?.status === 'False') {
    const reason = asStr(progressing.reason) ?? 'ProgressDeadlineExceeded';
    const why = reason === 'ProgressDeadlineExceeded' ? `deployment "${d.metadata.name}" exceeded its progress deadline` : reason;
    return { ready: false, detail, failure: [why, asStr(progressing.message)].filter(Boolean).join(': '), reason };
  }
  const replicaFailure = condition(status, 'ReplicaFailure');
  if (replicaFailure?.status === 'True') {
    return { ready: false, detail, failure: [asStr(replicaFailure.reason), asStr(replicaFailure.message)].filter(Boolean).join(': ') || 'ReplicaFailure', reason: 'ReplicaFailure' };
  }
  let note: string | undefined;
  for (const pod of related.pods ?? []) {
    if (pod.metadata?.deletionTimestamp) continue;
    const r = podReport(pod, related.events ?? []);
    if (r.ready || r.terminal) continue;
    if (r.failure) return { ready: false, detail: `${detail}; pod ${pod.metadata.name}: ${r.status}`, ...failureOf({ ...r, failure: `pod ${pod.metadata.name}: ${r.failure}` }) };
    if (!note && r.note) note = `pod ${pod.metadata.name}: ${r.note}`;
  }
  return { ready: false, detail: note ? `${detail}; ${note}` : detail };
}

export const deploymentReadiness: ReadinessKind = {
  groupKinds: ['Deployment.apps'],
  pods: 'selected',
  selector: selectorOf,
  readiness: readinessOfDeployment,
};

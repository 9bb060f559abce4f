/**
 * Pod: ready when its Ready condition is True (phase Succeeded also counts as done: a pod that ran
 * to completion, restartPolicy Never/OnFailure); phase Failed is a failure. Fails fast when the
 * scheduler cannot place it (`PodScheduled=False`, reason Unschedulable: the condition's message
 * is the FailedScheduling text) or a container waits in CrashLoopBackOff, ImagePullBackOff,
 * ErrImagePull, CreateContainerConfigError or InvalidImageName. Probe failures (Warning
 * `Unhealthy` events) only go into the detail: they are a reason at the timeout, not a failure.
 * podReport is what the pod-owning kinds (ReplicaSet, Service) read of their pods too.
 */
import { asArr, asInt, asObj, asStr, type Obj } from '../../api/kinds/fields.ts';
import type { KubeObject } from '../../api/meta.ts';
import { isPodReady, parseTimestamp, podPhaseReason, podSummary } from '../../api/pod-status.ts';
import type { ContainerLogRef, Readiness, ReadinessKind } from './types.ts';

/** Container waiting reasons that will not go away by waiting. */
export const FAILING_WAIT_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InvalidImageName',
]);

/** Warning event reasons already said better by the pod's status (or routine noise). */
const REDUNDANT_EVENT_REASONS: ReadonlySet<string> = new Set(['FailedScheduling', 'BackOff', 'NodeNotReady', 'Failed']);

/** What one pod says about itself: ready, a definite failure, or what it is waiting for. */
export interface PodReport {
  ready: boolean;
  /** kubectl's STATUS column: `Running`, `ContainerCreating`, `CrashLoopBackOff`, ... */
  status: string;
  failure?: string;
  reason?: string;
  logsOf?: ContainerLogRef;
  /** Why it is not ready, beyond its status (a probe failure, a mount failure), if known. */
  note?: string;
  /** Terminated for good: Succeeded or Failed. */
  terminal: boolean;
  succeeded: boolean;
}

export function podReport(pod: KubeObject, events: readonly KubeObject[] = []): PodReport {
  const status = asObj(pod.status) ?? {};
  const phase = asStr(status.phase) ?? '';
  const statusText = podPhaseReason(pod);
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  const base = { status: statusText, terminal: phase === 'Succeeded' || phase === 'Failed', succeeded: phase === 'Succeeded' };

  if (phase === 'Succeeded') return { ...base, ready: true };
  if (phase === 'Failed') {
    const why = terminatedSummary(status) ?? ([asStr(status.reason), asStr(status.message)].filter(Boolean).join(': ') || 'Failed');
    return { ...base, ready: false, failure: `pod failed: ${why}`, reason: 'Failed' };
  }
  if (pod.metadata?.deletionTimestamp) return { ...base, ready: false, status: 'Terminating' };
  if (isPodReady(pod)) return { ...base, ready: true };

  const scheduled = asArr(status.conditions)
    .map((c) => asObj(c) ?? {})
    .find((c) => c.type === 'PodScheduled');
  if (scheduled && scheduled.status === 'False' && scheduled.reason === 'Unschedulable') {
    const message = asStr(scheduled.message) ?? 'no node fits the pod';
    return { ...base, ready: false, status: 'Unschedulable', failure: message, reason: 'Unschedulable' };
  }

  // Containers waiting for something that will not come (init containers first: they run first).
  for (const list of [status.initContainerStatuses, status.containerStatuses]) {
    for (const cs of asArr(list).map((c) => asObj(c) ?? {})) {
      const waiting = asObj(asObj(cs.state)?.waiting);
      const reason = asStr(waiting?.reason) ?? '';
      if (!FAILING_WAIT_REASONS.has(reason)) continue;
      const container = asStr(cs.name) ?? '';
      const head = `container ${container}: ${reason}`;
      if (reason === 'CrashLoopBackOff') {
        const last = asObj(asObj(cs.lastState)?.terminated);
        const restarts = asInt(cs.restartCount) ?? 0;
        const parts = [head];
        if (last) parts.push(`last exit code ${asInt(last.exitCode) ?? 0}${asStr(last.reason) ? ` (${asStr(last.reason)})` : ''}`);
        if (restarts > 0) parts.push(`${restarts} restart${restarts === 1 ? '' : 's'}`);
        return {
          ...base,
          ready: false,
          failure: parts.join(', '),
          reason,
          logsOf: { namespace, pod: name, container, previous: restarts > 0 || last !== undefined },
        };
      }
      const message = asStr(waiting?.message);
      return { ...base, ready: false, failure: message ? `${head}: ${message}` : head, reason };
    }
  }

  const note = podNote(pod, events);
  return { ...base, ready: false, ...(note ? { note } : {}) };
}

/** The latest telling Warning event about the pod (a probe failure, a mount failure), if any. */
function podNote(pod: KubeObject, events: readonly KubeObject[]): string | undefined {
  const uid = pod.metadata?.uid;
  if (!uid) return undefined;
  let best: { t: number; i: number; text: string } | undefined;
  events.forEach((e, i) => {
    const involved = asObj(e.involvedObject);
    if (involved?.uid !== uid || e.type !== 'Warning') return;
    const reason = asStr(e.reason) ?? '';
    if (REDUNDANT_EVENT_REASONS.has(reason)) return;
    const message = asStr(e.message)?.trim();
    if (!message) return;
    const t = eventTime(e);
    if (!best || t > best.t || (t === best.t && i > best.i)) best = { t, i, text: reason === 'Unhealthy' ? message : `${reason}: ${message}` };
  });
  return best?.text;
}

function eventTime(e: KubeObject): number {
  for (const v of [e.lastTimestamp, asObj(e.series)?.lastObservedTime, e.eventTime, e.firstTimestamp, e.metadata?.creationTimestamp]) {
    const t = parseTimestamp(v);
    if (t !== undefined) return t;
  }
  return 0;
}

/** `container app exited with code 1 (Error)` for the first container that failed. */
function terminatedSummary(status: Obj): string | undefined {
  for (const list of [status.initContainerStatuses, status.containerStatuses]) {
    for (const cs of asArr(list).map((c) => asObj(c) ?? {})) {
      const t = asObj(asObj(cs.state)?.terminated);
      if (!t || (asInt(t.exitCode) ?? 0) === 0) continue;
      const reason = asStr(t.reason);
      const message = asStr(t.message)?.trim();
      return `container ${asStr(cs.name) ?? ''} exited with code ${asInt(t.exitCode) ?? 0}${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`;
    }
  }
  return undefined;
}

function readinessOfPod(pod: KubeObject, events: readonly KubeObject[]): Readiness {
  const r = podReport(pod, events);
  if (r.ready) return { ready: true, detail: r.succeeded ? 'Completed' : 'ready' };
  const s = podSummary(pod);
  let detail = r.status || 'Pending';
  if (detail === 'Running' || detail === 'NotReady') detail = `Running, ${s.readyContainers}/${s.totalContainers} containers ready`;
  if (r.note) detail += `; ${r.note}`;
  return { ready: false, detail, ...failureOf(r) };
}

export function failureOf(r: { failure?: string; reason?: string; logsOf?: ContainerLogRef }): Pick<Readiness, 'failure' | 'reason' | 'logsOf'> {
  return {
    ...(r.failure !== undefined ? { failure: r.failure } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.logsOf !== undefined ? { logsOf: r.logsOf } : {}),
  };
}

export const podReadiness: ReadinessKind = {
  groupKinds: ['Pod'],
  pods: 'self',
  reportsDeletion: true,
  readiness: (pod, related) => readinessOfPod(pod, related.events ?? []),
};

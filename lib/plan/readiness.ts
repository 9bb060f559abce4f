/**
 * When is an applied object ready, and has it definitely failed? Pure functions of the object and
 * the related objects the caller has (wait.ts watches them): no I/O, no clock.
 *
 *  - Pod: the Ready condition is True (phase Succeeded also counts as done: a pod that ran to
 *    completion, restartPolicy Never/OnFailure); phase Failed is a failure.
 *  - ReplicaSet / ReplicationController: the controller observed the current generation,
 *    `readyReplicas == spec.replicas` and `replicas == spec.replicas` (no extra old pods left).
 *  - Service with a selector: at least one ready address in its Endpoints or EndpointSlices.
 *    ExternalName and selector-less Services are ready at once.
 *  - Namespace: phase Active. Everything else (Endpoints, ConfigMaps, ...): ready when it exists.
 *
 * Definite failures, from the pods (a Pod's own, or the pods a ReplicaSet/RC owns): a pod the
 * scheduler cannot place (`PodScheduled=False`, reason Unschedulable: the condition's message is
 * the FailedScheduling text), a container waiting in CrashLoopBackOff, ImagePullBackOff,
 * ErrImagePull, CreateContainerConfigError or InvalidImageName; a ReplicaSet's ReplicaFailure
 * condition. Probe failures (Warning `Unhealthy` events) only go into the detail: they are a
 * reason at the timeout, not a failure.
 */
import { asArr, asInt, asObj, asStr, type Obj } from '../api/kinds/fields.ts';
import type { KubeObject } from '../api/meta.ts';
import { isPodReady, parseTimestamp, podPhaseReason, podSummary } from '../api/pod-status.ts';
import { selectorFromSet, type Selector } from '../api/selector.ts';

export interface Readiness {
  ready: boolean;
  /** One line for the progress view: `3/5 ready`, `ContainerCreating`, `no ready endpoints`. */
  detail: string;
  /** A definite failure, in the cluster's words; waiting longer will not help. */
  failure?: string;
  /** What kind of failure (`Unschedulable`, `CrashLoopBackOff`, `ReplicaFailure`, `Failed`, ...). */
  reason?: string;
  /** For a crash-looping container: whose logs explain it (`previous`: the container restarted). */
  logsOf?: ContainerLogRef;
}

export interface ContainerLogRef {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

/** What else is known about the object; each optional (absent = not known / not watched). */
export interface Related {
  /**
   * Pods: for a ReplicaSet/RC those it owns are picked by ownerReference uid; for a Service they
   * are only used to explain missing endpoints (matched by its selector).
   */
  pods?: readonly KubeObject[];
  /** The Endpoints object of a Service (same name). */
  endpoints?: KubeObject;
  /** EndpointSlices of a Service (label `kubernetes.io/service-name`). */
  endpointSlices?: readonly KubeObject[];
  /** Warning events about the pods (and the object); matched by involvedObject.uid, latest last. */
  events?: readonly KubeObject[];
}

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

export function readiness(obj: KubeObject | undefined, related: Related = {}): Readiness {
  if (!obj) return { ready: false, detail: 'not found' };
  if (obj.metadata?.deletionTimestamp && obj.kind !== 'Pod') return { ready: false, detail: 'being deleted' };
  const group = groupOf(obj.apiVersion);
  if (group === '') {
    switch (obj.kind) {
      case 'Pod':
        return podReadiness(obj, related.events ?? []);
      case 'ReplicationController':
        return replicasReadiness(obj, related);
      case 'Service':
        return serviceReadiness(obj, related);
      case 'Namespace': {
        const phase = asStr(asObj(obj.status)?.phase) ?? 'Active';
        return phase === 'Active' ? { ready: true, detail: 'Active' } : { ready: false, detail: phase };
      }
    }
  }
  if (group === 'apps' && obj.kind === 'ReplicaSet') return replicasReadiness(obj, related);
  return { ready: true, detail: 'exists' };
}

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

// ---------------------------------------------------------------------------------------------
// Pods

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

function podReadiness(pod: KubeObject, events: readonly KubeObject[]): Readiness {
  const r = podReport(pod, events);
  if (r.ready) return { ready: true, detail: r.succeeded ? 'Completed' : 'ready' };
  const s = podSummary(pod);
  let detail = r.status || 'Pending';
  if (detail === 'Running' || detail === 'NotReady') detail = `Running, ${s.readyContainers}/${s.totalContainers} containers ready`;
  if (r.note) detail += `; ${r.note}`;
  return { ready: false, detail, ...failureOf(r) };
}

function failureOf(r: { failure?: string; reason?: string; logsOf?: ContainerLogRef }): Pick<Readiness, 'failure' | 'reason' | 'logsOf'> {
  return {
    ...(r.failure !== undefined ? { failure: r.failure } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.logsOf !== undefined ? { logsOf: r.logsOf } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet / ReplicationController

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

// ---------------------------------------------------------------------------------------------
// Services

/** The Service's selector, or undefined for a selector-less (or empty-selector) Service. */
export function serviceSelector(svc: KubeObject): Selector | undefined {
  const sel = asObj(asObj(svc.spec)?.selector);
  if (!sel) return undefined;
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) if (typeof v === 'string') set[k] = v;
  return Object.keys(set).length > 0 ? selectorFromSet(set) : undefined;
}

/** Ready addresses (by IP) of an Endpoints object and EndpointSlices together. */
export function readyAddresses(related: Pick<Related, 'endpoints' | 'endpointSlices'>): Set<string> {
  const ips = new Set<string>();
  for (const subset of asArr(related.endpoints?.subsets)) {
    for (const a of asArr(asObj(subset)?.addresses)) {
      const ip = asStr(asObj(a)?.ip);
      if (ip) ips.add(ip);
    }
  }
  for (const slice of related.endpointSlices ?? []) {
    for (const ep of asArr(slice.endpoints).map((e) => asObj(e) ?? {})) {
      // conditions.ready: nil means ready (discovery/v1 EndpointConditions).
      if (asObj(ep.conditions)?.ready === false) continue;
      for (const ip of asArr(ep.addresses)) if (typeof ip === 'string') ips.add(ip);
    }
  }
  return ips;
}

function serviceReadiness(svc: KubeObject, related: Related): Readiness {
  const spec = asObj(svc.spec) ?? {};
  if (spec.type === 'ExternalName') return { ready: true, detail: `ExternalName ${asStr(spec.externalName) ?? ''}`.trim() };
  const selector = serviceSelector(svc);
  if (!selector) return { ready: true, detail: 'no selector' };
  const n = readyAddresses(related).size;
  if (n > 0) return { ready: true, detail: `${n} ready endpoint${n === 1 ? '' : 's'}` };
  let detail = 'no ready endpoints';
  const ns = svc.metadata?.namespace;
  const selected = (related.pods ?? []).filter((p) => (ns === undefined || p.metadata?.namespace === ns) && !p.metadata?.deletionTimestamp && selector.matches(p.metadata?.labels));
  if (selected.length === 0) detail += '; no pods match the selector';
  else {
    const events = related.events ?? [];
    const reports = selected.map((p) => ({ pod: p, r: podReport(p, events) })).filter(({ r }) => !r.ready && !r.terminal);
    const worst = reports.find(({ r }) => r.failure) ?? reports.find(({ r }) => r.note) ?? reports[0];
    if (worst) detail += `; pod ${worst.pod.metadata.name}: ${worst.r.failure ?? worst.r.note ?? worst.r.status}`;
  }
  return { ready: false, detail };
}

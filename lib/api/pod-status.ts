/**
 * What kubectl shows about a pod, computed exactly as the API server's printer does for the
 * `kubectl get pods` Table (k/k pkg/printers/internalversion/printers.go printPod), plus the
 * pod condition helpers controllers use (k/k pkg/api/v1/pod: IsPodReady, IsPodAvailable),
 * and
 * apimachinery's duration.HumanDuration / ShortHumanDuration.
 *
 * Every function reads the pod defensively: status is loosely typed and may be partial.
 */
import { asArr, asInt, asObj, asStr, type Obj } from './kinds/fields.ts';
import { humanDuration } from './human-duration.ts';

export { humanDuration, shortHumanDuration } from './human-duration.ts';

/** Anything shaped like a Pod (the modelled Pod type, a KubeObject, or raw JSON). */
export interface PodLike {
  metadata?: { name?: string; deletionTimestamp?: string; creationTimestamp?: string } | undefined;
  spec?: unknown;
  status?: unknown;
}

export type { PodPhase } from './kinds/status.ts';

/** node.NodeUnreachablePodReason */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';
/** v1.PodReasonSchedulingGated */
export const POD_REASON_SCHEDULING_GATED = 'SchedulingGated';

const SECOND = 1000;

/** A metav1.Time / MicroTime in milliseconds, or undefined when absent or unparsable (zero). */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** printers' translateTimestampSince: HumanDuration(now - ts), `<unknown>` for a zero time. */
export function translateTimestampSince(ts: unknown, now: Date): string {
  const t = parseTimestamp(ts);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}

// ---------------------------------------------------------------------------------------------
// accessors

function statusOf(pod: PodLike): Obj {
  return asObj(pod.status) ?? {};
}

function specOf(pod: PodLike): Obj {
  return asObj(pod.spec) ?? {};
}

function conditions(pod: PodLike): Obj[] {
  return asArr(statusOf(pod).conditions).map((c) => asObj(c) ?? {});
}

function conditionTrue(pod: PodLike, type: string): boolean {
  return conditions(pod).some((c) => c.type === type && c.status === 'True');
}

/** podutil.IsRestartableInitContainer: an init container with restartPolicy Always (a sidecar). */
export function isRestartableInitContainer(container: unknown): boolean {
  return asObj(container)?.restartPolicy === 'Always';
}

/** podutil.IsPodPhaseTerminal */
export function isPodPhaseTerminal(phase: unknown): boolean {
  return phase === 'Failed' || phase === 'Succeeded';
}

/** The pod's phase (`status.phase`), '' when not set. */
export function podPhase(pod: PodLike): string {
  return asStr(statusOf(pod).phase) ?? '';
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: PodLike): boolean {
  return conditionTrue(pod, 'Ready');
}

/** The Ready condition, if any (GetPodReadyCondition). */
export function podReadyCondition(pod: PodLike): Obj | undefined {
  return conditions(pod).find((c) => c.type === 'Ready');
}

/**
 * podutil.IsPodAvailable: ready, and (minReadySeconds is 0, or the Ready condition's
 * lastTransitionTime + minReadySeconds is before `now`).
 */
export function isPodAvailable(pod: PodLike, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const t = parseTimestamp(podReadyCondition(pod)?.lastTransitionTime);
  return t !== undefined && t + minReadySeconds * SECOND < now.getTime();
}

// ---------------------------------------------------------------------------------------------
// printPod

export interface PodSummary {
  /** READY numerator: ready regular containers, plus started+ready sidecars while initializing. */
  readyContainers: number;
  /** READY denominator: regular containers plus restartable init containers. */
  totalContainers: number;
  /** STATUS */
  reason: string;
  /** Restart count shown in RESTARTS. */
  restarts: number;
  /** finishedAt (ms) of the latest last-terminated instance counted, if any. */
  lastRestart: number | undefined;
  /** status.phase ('' when unset). */
  phase: string;
}

/** Every value printPod derives from the pod, in one pass (the columns depend on each other). */
export function podSummary(pod: PodLike): PodSummary {
  const spec = specOf(pod);
  const status = statusOf(pod);
  const containers = asArr(spec.containers);
  const initSpecs = asArr(spec.initContainers).map((c) => asObj(c) ?? {});
  let restarts = 0;
  let restartableInitContainerRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitContainerRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined): number | undefined => (b !== undefined && (a === undefined || a < b) ? b : a);

  const phase = asStr(status.phase) ?? '';
  let reason = phase;
  const statusReason = asStr(status.reason);
  if (statusReason) reason = statusReason;
  for (const c of conditions(pod)) {
    if (c.type === 'PodScheduled' && c.reason === POD_REASON_SCHEDULING_GATED) reason = POD_REASON_SCHEDULING_GATED;
  }

  const initByName = new Map<string, Obj>();
  for (const c of initSpecs) {
    const name = asStr(c.name);
    if (name !== undefined) initByName.set(name, c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = asArr(status.initContainerStatuses).map((c) => asObj(c) ?? {});
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const restartCount = asInt(cs.restartCount) ?? 0;
    restarts += restartCount;
    const lastTerminated = asObj(asObj(cs.lastState)?.terminated);
    if (lastTerminated) lastRestart = later(lastRestart, parseTimestamp(lastTerminated.finishedAt));
    const restartable = isRestartableInitContainer(initByName.get(asStr(cs.name) ?? ''));
    if (restartable) {
      restartableInitContainerRestarts += restartCount;
      if (lastTerminated) lastRestartableInitContainerRestart = later(lastRestartableInitContainerRestart, parseTimestamp(lastTerminated.finishedAt));
    }
    const state = asObj(cs.state) ?? {};
    const terminated = asObj(state.terminated);
    const waiting = asObj(state.waiting);
    if (terminated && (asInt(terminated.exitCode) ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization failed
      const tReason = asStr(terminated.reason) ?? '';
      if (tReason === '') {
        const signal = asInt(terminated.signal) ?? 0;
        reason = signal !== 0 ? `Init:Signal:${signal}` : `Init:ExitCode:${asInt(terminated.exitCode) ?? 0}`;
      } else reason = `Init:${tReason}`;
    } else if (waiting && (asStr(waiting.reason) ?? '') !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${asStr(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = restartableInitContainerRestarts;
    lastRestart = lastRestartableInitContainerRestart;
    let hasRunning = false;
    const statuses = asArr(status.containerStatuses).map((c) => asObj(c) ?? {});
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += asInt(cs.restartCount) ?? 0;
      const lastTerminated = asObj(asObj(cs.lastState)?.terminated);
      if (lastTerminated) lastRestart = later(lastRestart, parseTimestamp(lastTerminated.finishedAt));
      const state = asObj(cs.state) ?? {};
      const waiting = asObj(state.waiting);
      const terminated = asObj(state.terminated);
      if (waiting && (asStr(waiting.reason) ?? '') !== '') {
        reason = asStr(waiting.reason)!;
      } else if (terminated && (asStr(terminated.reason) ?? '') !== '') {
        reason = asStr(terminated.reason)!;
      } else if (terminated) {
        const signal = asInt(terminated.signal) ?? 0;
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${asInt(terminated.exitCode) ?? 0}`;
      } else if (cs.ready === true && asObj(state.running)) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // a pod with a container still running is not "Completed"
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = typeof pod.metadata?.deletionTimestamp === 'string' && pod.metadata.deletionTimestamp !== '';
  if (deleting && statusReason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && !isPodPhaseTerminal(phase)) reason = 'Terminating';

  return { readyContainers, totalContainers, reason, restarts, lastRestart, phase };
}

/** The STATUS column of `kubectl get pods` (`Running`, `CrashLoopBackOff`, `Init:0/1`, `Terminating`, ...). */
export function podPhaseReason(pod: PodLike): string {
  return podSummary(pod).reason;
}

/** The READY column: `1/2`. */
export function podReadyCount(pod: PodLike): string {
  const s = podSummary(pod);
  return `${s.readyContainers}/${s.totalContainers}`;
}

/** The RESTARTS column: `0`, `3`, or `3 (2m ago)` when the last restart time is known. */
export function podRestarts(pod: PodLike, now: Date): string {
  return formatRestarts(podSummary(pod), now);
}

export function formatRestarts(s: Pick<PodSummary, 'restarts' | 'lastRestart'>, now: Date): string {
  if (s.restarts !== 0 && s.lastRestart !== undefined) return `${s.restarts} (${humanDuration(now.getTime() - s.lastRestart)} ago)`;
  return String(s.restarts);
}

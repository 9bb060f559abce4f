/**
 * The kubelet's status manager, as data: typed container statuses (what a backend observes of a
 * pod's containers) and the pod status built from them — phase, conditions in the kubelet's
 * order, IPs, start time — keeping what was already reported (transition times, start time).
 * k/k pkg/kubelet/kubelet_pods.go generateAPIPodStatus / getPhase, status/generate.go.
 */
import { createHash } from 'node:crypto';
import { parseImageReference } from '../../lib/api/defaults.ts';
import { formatTime } from '../../lib/api/time.ts';
import type { ContainerState, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '../../lib/api/model.ts';

export type { ContainerState };

/** v1.ContainerStatus as a kubelet reports it: state (none set = never started) and lastState always present. */
export type ContainerStatus = ApiContainerStatus & { state: ContainerState; lastState: ContainerState };

/** What a backend reports of one pod's containers, each list in spec order. */
export interface PodContainerStatuses {
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
}

/** Where the pod runs, decided by the kubelet core before the backend starts anything. */
export interface PodPlacement {
  podIP: string;
  hostIP: string;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The pod status the kubelet posts: `observed` from the backend, the rest from the spec and the
 * previous status. Container statuses are sorted by name (as the kubelet does); init
 * container statuses stay in spec order.
 */
export function buildPodStatus(pod: Pod, observed: PodContainerStatuses, where: PodPlacement, now: Date): PodStatus {
  const ts = formatTime(now);
  const prev = pod.status ?? {};
  const prevConds = prev.conditions ?? [];
  const cond = (type: string, ok: boolean): PodCondition => {
    const status = ok ? 'True' : 'False';
    const old = prevConds.find((c) => c.type === type);
    return { type, status, lastProbeTime: null, lastTransitionTime: old?.status === status ? old.lastTransitionTime : ts };
  };
  const initialized = observed.initContainerStatuses.every((c) => c.started === true || c.state.terminated?.exitCode === 0);
  const containersReady = initialized && observed.containerStatuses.length > 0 && observed.containerStatuses.every((c) => c.ready);
  const scheduled = prevConds.find((c) => c.type === 'PodScheduled');
  return {
    ...prev,
    phase: podPhase(pod, observed, initialized),
    conditions: [
      cond('PodReadyToStartContainers', true),
      cond('Initialized', initialized),
      cond('Ready', containersReady),
      cond('ContainersReady', containersReady),
      scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ts },
    ],
    hostIP: where.hostIP,
    hostIPs: [{ ip: where.hostIP }],
    podIP: where.podIP,
    podIPs: [{ ip: where.podIP }],
    startTime: prev.startTime ?? ts,
    ...(observed.initContainerStatuses.length > 0 ? { initContainerStatuses: observed.initContainerStatuses } : {}),
    containerStatuses: [...observed.containerStatuses].sort(byName),
  };
}

/** getPhase: Pending until initialized and every container has started; then by restartPolicy. */
function podPhase(pod: Pod, observed: PodContainerStatuses, initialized: boolean): PodPhase {
  const restartPolicy = pod.spec.restartPolicy ?? 'Always';
  const failedInit = observed.initContainerStatuses.some((c) => c.started !== true && (c.state.terminated?.exitCode ?? 0) !== 0);
  if (!initialized) return failedInit && restartPolicy === 'Never' ? 'Failed' : 'Pending';
  let running = 0;
  let waiting = 0;
  let succeeded = 0;
  let stopped = 0;
  for (const c of observed.containerStatuses) {
    if (c.state.running) running++;
    else if (c.state.terminated) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
    } else if (c.lastState.terminated) stopped++; // waiting to restart (CrashLoopBackOff) counts as stopped
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (restartPolicy === 'Always') return 'Running';
  if (succeeded === stopped) return 'Succeeded';
  return restartPolicy === 'Never' ? 'Failed' : 'Running';
}

/** The image a container status reports (`nginx` → `docker.io/library/nginx:latest`). */
export function statusImage(image: string): string {
  const ref = parseImageReference(image);
  if (!ref) return image;
  return ref.digest ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag}`;
}

/** A stable image ID for an image no registry was asked about (repo@sha256 of the reference). */
export function statusImageID(image: string): string {
  const ref = parseImageReference(image);
  if (ref?.digest) return `${ref.name}@${ref.digest}`;
  const digest = createHash('sha256').update(statusImage(image)).digest('hex');
  return `${ref?.name ?? image}@sha256:${digest}`;
}

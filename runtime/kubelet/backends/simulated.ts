/**
 * The simulated backend, KWOK-style: nothing runs. Every container of a pod is reported running
 * and ready at once (init containers completed, sidecars running) with a stable fake image ID
 * and container ID; killing a pod has nothing to stop.
 */
import { randomBytes } from 'node:crypto';
import type { ContainerStatus as ApiContainerStatus, Container, Pod } from '../../../lib/api/model.ts';
import type { KubeletBackend, KubeletHost, PodSyncContext } from '../backend.ts';
import { statusImage, statusImageID, type ContainerStatus, type PodContainerStatuses } from '../status.ts';

export class SimulatedBackend implements KubeletBackend {
  /** Pods whose containers were "started" here (by UID): their Pulled/Created/Started events are recorded once. */
  private readonly started = new Set<string>();

  constructor(private readonly host: KubeletHost) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async syncPod(pod: Pod, ctx: PodSyncContext): Promise<PodContainerStatuses> {
    const prev = pod.status ?? {};
    const previous = (list: ApiContainerStatus[] | undefined, name: string) => list?.find((c) => c.name === name);
    const spec = pod.spec;
    const containerStatuses = spec.containers.map((c): ContainerStatus => {
      const old = previous(prev.containerStatuses, c.name);
      return {
        name: c.name,
        state: { running: { startedAt: old?.state?.running?.startedAt ?? ctx.startTime } },
        lastState: old?.lastState ?? {},
        ready: true,
        restartCount: old?.restartCount ?? 0,
        image: statusImage(c.image ?? ''),
        imageID: statusImageID(c.image ?? ''),
        containerID: old?.containerID ?? newContainerID(),
        started: true,
      };
    });
    const initContainerStatuses = (spec.initContainers ?? []).map((c): ContainerStatus => {
      const old = previous(prev.initContainerStatuses, c.name);
      const sidecar = c.restartPolicy === 'Always';
      const containerID = old?.containerID ?? newContainerID();
      return {
        name: c.name,
        state: sidecar
          ? { running: { startedAt: ctx.startTime } }
          : { terminated: { exitCode: 0, reason: 'Completed', startedAt: ctx.startTime, finishedAt: ctx.startTime, containerID } },
        lastState: {},
        ready: sidecar,
        restartCount: old?.restartCount ?? 0,
        image: statusImage(c.image ?? ''),
        imageID: statusImageID(c.image ?? ''),
        containerID,
        started: sidecar,
      };
    });
    const uid = pod.metadata.uid!;
    if (!prev.containerStatuses && !this.started.has(uid)) {
      this.started.add(uid);
      if (this.host.recordContainerEvents) this.containerEvents(pod, [...(spec.initContainers ?? []), ...spec.containers]);
    }
    return { initContainerStatuses, containerStatuses };
  }

  async killPod(pod: Pod): Promise<void> {
    this.started.delete(pod.metadata.uid!);
  }

  private containerEvents(pod: Pod, containers: Container[]): void {
    for (const c of containers) {
      this.host.recorder.normal(pod, 'Pulled', `Container image "${c.image}" already present on machine`);
      this.host.recorder.normal(pod, 'Created', `Created container: ${c.name}`);
      this.host.recorder.normal(pod, 'Started', `Started container ${c.name}`);
    }
  }
}

function newContainerID(): string {
  return `kite://${randomBytes(32).toString('hex')}`;
}

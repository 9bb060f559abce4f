/**
 * One container of a pod across its runs: the current run, the restart count, the state of the
 * run before (lastState), and why it is waiting (`ErrImagePull`, `CrashLoopBackOff`, ...) when it
 * is. A status carried over from before a runtime restart seeds it: a container that was
 * running then vanished with the old runtime (ContainerStatusUnknown), one that completed stays
 * completed.
 */
import type { Container, ContainerStatus as ApiContainerStatus } from '../../../../lib/api/model.ts';
import { formatTime } from '../../../../lib/api/time.ts';
import { statusImage, statusImageID, type ContainerState, type ContainerStatus } from '../../status.ts';
import type { ContainerRun } from './container-run.ts';

export type ContainerKind = 'init' | 'sidecar' | 'regular';

export class ContainerSlot {
  run: ContainerRun | undefined;
  restartCount = 0;
  lastState: ContainerState = {};
  waiting: { reason: string; message?: string } | undefined;
  /** When the last image lookup failed (the pull back-off's event time). */
  pullFailedAt: number | undefined;
  /** A completed init container from before a runtime restart: not run again. */
  private completedBefore: ApiContainerStatus | undefined;

  constructor(
    readonly container: Container,
    readonly kind: ContainerKind,
    before: ApiContainerStatus | undefined,
    now: number,
  ) {
    if (!before?.containerID) return;
    if (kind === 'init' && before.state?.terminated?.exitCode === 0) {
      this.completedBefore = before;
      return;
    }
    this.restartCount = (before.restartCount ?? 0) + 1;
    this.lastState = before.state?.terminated
      ? { terminated: before.state.terminated }
      : before.state?.running
        ? {
            terminated: {
              exitCode: 137,
              reason: 'ContainerStatusUnknown',
              message: 'The container could not be located when the pod was deleted.  The container used to be Running',
              startedAt: before.state.running.startedAt,
              finishedAt: formatTime(new Date(now)),
            },
          }
        : (before.lastState ?? {});
  }

  get name(): string {
    return this.container.name;
  }

  /** The container ran to a successful end (an init container is done). */
  succeeded(): boolean {
    return !!this.completedBefore || this.run?.exit?.exitCode === 0;
  }

  /** A new run replaces the last one: its end becomes lastState, the restart count rises. */
  replaceRun(next: ContainerRun): void {
    if (this.run) {
      this.lastState = { terminated: this.run.terminated() };
      this.restartCount++;
    }
    this.run = next;
    this.waiting = undefined;
  }

  status(): ContainerStatus {
    if (this.completedBefore) return { ...this.completedBefore, state: this.completedBefore.state ?? {}, lastState: this.completedBefore.lastState ?? {} };
    const c = this.container;
    const run = this.run;
    const base = { name: c.name, image: statusImage(c.image ?? ''), imageID: statusImageID(c.image ?? ''), restartCount: this.restartCount };
    if (run && (run.running || !this.waiting)) {
      return { ...base, state: run.state(), lastState: this.lastState, ready: run.phase === 'running' && run.ready, started: run.phase === 'running' && run.started, containerID: run.id };
    }
    const lastState = run ? { terminated: run.terminated() } : this.lastState;
    const waiting = this.waiting ?? { reason: 'ContainerCreating' };
    return { ...base, state: { waiting }, lastState, ready: false, started: false, ...(run ? { containerID: run.id } : {}) };
  }
}

/** The status of a container no sync has reached yet (behind an init container, or the sandbox). */
export function notYetStarted(c: Container, reason: 'ContainerCreating' | 'PodInitializing'): ContainerStatus {
  return { name: c.name, state: { waiting: { reason } }, lastState: {}, ready: false, restartCount: 0, image: statusImage(c.image ?? ''), imageID: statusImageID(c.image ?? ''), started: false };
}

/**
 * One step of a rollout, decided from a snapshot of the object's pods: pure, no I/O. The object's
 * template is already the new one, so its controller creates new pods for every pod deleted and
 * for every replica added; the rollout only scales up by the surge, deletes old pods as far as
 * `replicas - maxUnavailable` ready pods allow (old pods that are not ready first: deleting them
 * costs no availability, as the Deployment controller's cleanupUnhealthyReplicas), and scales back
 * to the desired replicas when no old pod is left.
 */
import type { Fenceposts } from '../../api/fenceposts.ts';

export interface PodState {
  name: string;
  /** Carries the current template hash. */
  current: boolean;
  ready: boolean;
}

export interface RolloutSnapshot {
  /** The replicas the program wants. */
  replicas: number;
  /** The object's spec.replicas now (replicas + surge while rolling). */
  specReplicas: number;
  fenceposts: Fenceposts;
  /** Its pods, those being deleted left out. */
  pods: readonly PodState[];
}

export interface RolloutStep {
  /** No old pod is left and the object is back at its desired replicas. */
  done: boolean;
  /** Set spec.replicas to this (before deleting). */
  scaleTo?: number;
  /** Old pods to delete now. */
  delete: string[];
}

export function nextStep(s: RolloutSnapshot): RolloutStep {
  const old = s.pods.filter((p) => !p.current);
  if (old.length === 0) {
    return s.specReplicas === s.replicas ? { done: true, delete: [] } : { done: false, scaleTo: s.replicas, delete: [] };
  }
  const step: RolloutStep = { done: false, delete: [] };
  const target = s.replicas + s.fenceposts.surge;
  if (s.specReplicas < target) step.scaleTo = target;
  step.delete.push(...old.filter((p) => !p.ready).map((p) => p.name));
  const minAvailable = Math.max(0, s.replicas - s.fenceposts.unavailable);
  const ready = s.pods.filter((p) => p.ready).length;
  const budget = Math.max(0, ready - minAvailable);
  step.delete.push(
    ...old
      .filter((p) => p.ready)
      .slice(0, budget)
      .map((p) => p.name),
  );
  return step;
}

/** `2/3 updated, 3/3 ready`: the progress line's detail. */
export function progressDetail(s: RolloutSnapshot): string {
  const current = s.pods.filter((p) => p.current).length;
  const ready = s.pods.filter((p) => p.ready).length;
  return `${Math.min(current, s.replicas)}/${s.replicas} updated, ${Math.min(ready, s.replicas)}/${s.replicas} ready`;
}

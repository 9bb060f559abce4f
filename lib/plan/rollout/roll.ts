/**
 * The client-side rollout of a ReplicaSet / ReplicationController whose template apply just
 * changed, as `kubectl rolling-update` did for RCs but in place: the object keeps its name and
 * selector, its template carries the new hash, and the pods with another hash are replaced in
 * steps (step.ts) bounded by maxSurge / maxUnavailable (annotations on the object). Each step
 * waits (a poll of the pods) until new pods are ready; a new pod that definitely fails (pod.ts's
 * rules: CrashLoopBackOff, ImagePullBackOff, Unschedulable, ...) or is not ready within the
 * progress deadline stops the rollout with the cluster's reason, old pods left serving.
 *
 * The state is the cluster's: pods' hashes, spec.replicas, and the desired replicas in an
 * annotation from the first step to the last; so a run that was killed is continued by the next
 * (plan-rolls.ts). A run killed between the object's write and that first step leaves no
 * annotation: the next plan sees no change and says nothing of the old pods.
 */
import { isPodReady } from '../../api/pod-status.ts';
import type { KubeObject } from '../../api/meta.ts';
import { KiteError } from '../../errors.ts';
import { isNotFound, type KubeClient } from '../../kube/index.ts';
import { podReport } from '../kinds/pod.ts';
import { refId, type ObjectRef } from '../plan.ts';
import { stopReason } from '../stop.ts';
import { DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE, resolveFenceposts, type Fenceposts } from '../../api/fenceposts.ts';
import { EVENTS, isCurrent, PODS, podsOf } from './pods.ts';
import { nextStep, progressDetail, type RolloutSnapshot } from './step.ts';
import {
  MAX_SURGE_ANNOTATION,
  MAX_UNAVAILABLE_ANNOTATION,
  PROGRESS_DEADLINE_ANNOTATION,
  ROLLOUT_REPLICAS_ANNOTATION,
  stampedHash,
} from './template-hash.ts';

/** Deployments' default progressDeadlineSeconds. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export interface RolloutOptions {
  signal?: AbortSignal;
  /** How often the pods are read (default 500 ms). */
  pollMs?: number;
  /** The clock the progress deadline is measured with. */
  now?: () => number;
  /** `2/3 updated, 3/3 ready`, as it changes. */
  onProgress?: (detail: string) => void;
}

export interface RolloutResult {
  /** Old pods deleted by this run. */
  replaced: number;
}

/** A new pod failed: the rollout stopped, old pods left serving. */
export class RolloutError extends KiteError {
  constructor(ref: ObjectRef, why: string, oldLeft: number) {
    const left = oldLeft > 0 ? `; ${oldLeft} pod${oldLeft === 1 ? '' : 's'} with the previous template keep${oldLeft === 1 ? 's' : ''} serving` : '';
    super(`rollout of ${refId(ref)} stopped: ${why}${left}`, { code: 'rollout-failed', object: refId(ref) });
  }
}

interface Settings {
  replicas: number;
  fenceposts: Fenceposts;
  deadlineMs: number;
}

function settingsOf(obj: KubeObject): Settings {
  const a = obj.metadata.annotations ?? {};
  const spec = (obj.spec ?? {}) as { replicas?: number };
  const recorded = a[ROLLOUT_REPLICAS_ANNOTATION];
  const replicas = recorded !== undefined && /^\d+$/.test(recorded) ? Number(recorded) : (spec.replicas ?? 1);
  const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : v);
  const fenceposts = resolveFenceposts(int(a[MAX_SURGE_ANNOTATION]) ?? DEFAULT_MAX_SURGE, int(a[MAX_UNAVAILABLE_ANNOTATION]) ?? DEFAULT_MAX_UNAVAILABLE, replicas);
  const d = a[PROGRESS_DEADLINE_ANNOTATION];
  const deadlineMs = (d !== undefined && /^\d+$/.test(d) ? Number(d) : DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
  return { replicas, fenceposts, deadlineMs };
}

function abortable(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function rollOut(client: KubeClient, ref: ObjectRef, opts: RolloutOptions = {}): Promise<RolloutResult> {
  const now = opts.now ?? Date.now;
  const pollMs = opts.pollMs ?? 500;
  /** When each new pod was first seen not ready: the progress deadline runs from there. */
  const firstSeen = new Map<string, number>();
  let replaced = 0;
  let lastDetail = '';
  for (;;) {
    if (opts.signal?.aborted) throw stopReason(opts.signal);
    const obj = await client.get<KubeObject>(ref, ref.namespace, ref.name);
    const hash = stampedHash(obj);
    if (!hash) return { replaced }; // not stamped: its pods cannot be told apart
    const s = settingsOf(obj);
    const pods = await podsOf(client, obj);
    const snapshot: RolloutSnapshot = {
      replicas: s.replicas,
      specReplicas: (obj.spec as { replicas?: number } | undefined)?.replicas ?? 1,
      fenceposts: s.fenceposts,
      pods: pods.map((p) => ({ name: p.metadata.name!, current: isCurrent(p, hash), ready: isPodReady(p) })),
    };
    const oldLeft = snapshot.pods.filter((p) => !p.current).length;
    await checkNewPods(client, ref, pods.filter((p) => isCurrent(p, hash)), oldLeft, s.deadlineMs, firstSeen, now);

    const step = nextStep(snapshot);
    if (step.done) {
      if (obj.metadata.annotations?.[ROLLOUT_REPLICAS_ANNOTATION] !== undefined) await scale(client, ref, undefined, null);
      return { replaced };
    }
    const detail = `rolling ${progressDetail(snapshot)}`;
    if (detail !== lastDetail) opts.onProgress?.(detail);
    lastDetail = detail;
    // Recorded from the first step (scaled or not): a re-plan after a killed run sees a rollout under way.
    const recorded = obj.metadata.annotations?.[ROLLOUT_REPLICAS_ANNOTATION];
    if (step.scaleTo !== undefined) await scale(client, ref, step.scaleTo, step.scaleTo === s.replicas && oldLeft === 0 ? null : String(s.replicas));
    else if (recorded !== String(s.replicas)) await scale(client, ref, undefined, String(s.replicas));
    for (const name of step.delete) {
      const pod = pods.find((p) => p.metadata.name === name)!;
      try {
        await client.delete(PODS, ref.namespace, name, { preconditions: { uid: pod.metadata.uid! } });
        replaced++;
      } catch (e) {
        if (!isNotFound(e)) throw e; // already gone, or another pod by that name
      }
    }
    await abortable(pollMs, opts.signal);
  }
}

/** spec.replicas and the recorded desired replicas (null removes it), with a merge patch. */
async function scale(client: KubeClient, ref: ObjectRef, replicas: number | undefined, recorded: string | null): Promise<void> {
  const body = { metadata: { annotations: { [ROLLOUT_REPLICAS_ANNOTATION]: recorded } }, ...(replicas !== undefined ? { spec: { replicas } } : {}) };
  await client.patch(ref, ref.namespace, ref.name, 'merge', body, { fieldManager: 'kite-rollout' });
}

/** Throws RolloutError if a new pod definitely failed, or has not become ready within the deadline. */
async function checkNewPods(
  client: KubeClient,
  ref: ObjectRef,
  pods: readonly KubeObject[],
  oldLeft: number,
  deadlineMs: number,
  firstSeen: Map<string, number>,
  now: () => number,
): Promise<void> {
  let late: KubeObject | undefined;
  for (const pod of pods) {
    const r = podReport(pod);
    if (r.failure) throw new RolloutError(ref, `pod ${pod.metadata.name}: ${r.failure}`, oldLeft);
    if (r.ready) continue;
    const uid = pod.metadata.uid ?? pod.metadata.name!;
    const seen = firstSeen.get(uid) ?? now();
    firstSeen.set(uid, seen);
    if (now() - seen >= deadlineMs) late ??= pod;
  }
  if (!late) return;
  const events = await client.listAll<KubeObject>(EVENTS, { namespace: ref.namespace ?? 'default' }).then(
    (l) => l.items,
    () => [],
  );
  const r = podReport(late, events);
  const why = r.note ?? `${r.status || 'Pending'}, not ready`;
  throw new RolloutError(ref, `pod ${late.metadata.name} not ready after ${Math.round(deadlineMs / 1000)}s: ${why}`, oldLeft);
}

/**
 * What the plan says about rollouts: for each ReplicaSet / ReplicationController it updates, how
 * many running pods carry an older template (`rolls`, shown as `update, rolls 3 pods`). An
 * object whose template is unchanged but whose pods are not all current (a rollout a killed run
 * left unfinished) becomes an update too, so apply continues it. While a rollout is under way the
 * object's spec.replicas is the desired count plus the surge: that is the rollout's, not drift.
 *
 * Objects applied before kite stamped templates have no hash on their template nor on their
 * pods: the first apply stamps the template; if nothing else in the template changed, their pods
 * already run it: apply stamps them too (apply-roll.ts) and the rollout does not replace them.
 */
import type { KubeObject } from '../../api/meta.ts';
import type { KubeClient } from '../../kube/index.ts';
import { keyOf } from '../inventory.ts';
import type { PlannedAction } from '../plan.ts';
import { isCurrent, podsOf } from './pods.ts';
import { isRollable, ROLLOUT_REPLICAS_ANNOTATION, stampedHash, TEMPLATE_HASH_LABEL, templateHash } from './template-hash.ts';

export const REASON_ROLLOUT_UNFINISHED = 'rollout not finished: apply continues it';

/** The template hash label's own change: said by `rolls N pods`, not as a field change. */
export function isHashChange(path: string): boolean {
  return path.startsWith('spec.template.metadata.labels') && path.includes(TEMPLATE_HASH_LABEL);
}

/** Pods of `live` that a rollout to `desired`'s template would replace. */
export async function podsToRoll(client: KubeClient, desired: KubeObject, live: KubeObject): Promise<number> {
  const hash = stampedHash(desired);
  if (!hash) return 0;
  const pods = await podsOf(client, live);
  // Never stamped: its pods run the live template; they roll only if that template changes.
  if (stampedHash(live) === undefined && unstampedSame(desired, live)) return 0;
  return pods.filter((p) => !isCurrent(p, hash)).length;
}

/** The live template is the desired one but for the hash label. */
export function unstampedSame(desired: KubeObject, live: KubeObject): boolean {
  const t = (o: KubeObject) => (o.spec as { template?: Record<string, unknown> } | undefined)?.template ?? {};
  return templateHash(t(live)) === stampedHash(desired);
}

/** Adds `rolls` to the plan's RS/RC actions (in place); `live` by keyOf(ref). */
export async function planRollouts(client: KubeClient, actions: PlannedAction[], live: ReadonlyMap<string, KubeObject>): Promise<void> {
  for (const a of actions) {
    if ((a.action !== 'update' && a.action !== 'no-op') || a.kept || !a.desired || !isRollable(a.ref)) continue;
    const l = live.get(keyOf(a.ref));
    if (!l) continue;
    const desired = a.desired as unknown as KubeObject;
    const recorded = l.metadata.annotations?.[ROLLOUT_REPLICAS_ANNOTATION];
    const wanted = (desired.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    if (recorded !== undefined && recorded === String(wanted)) a.changes = a.changes.filter((c) => c.path !== 'spec.replicas');
    // The hash label changes with the template: only when it is the whole change is it shown.
    if (a.changes.some((c) => !isHashChange(c.path))) a.changes = a.changes.filter((c) => !isHashChange(c.path));
    const n = await podsToRoll(client, desired, l).catch(() => 0);
    if (n > 0) a.rolls = n;
    if (a.action === 'update' && a.changes.length === 0) a.reason = REASON_ROLLOUT_UNFINISHED;
    if (a.action === 'no-op' && (n > 0 || recorded !== undefined)) {
      a.action = 'update';
      a.reason = REASON_ROLLOUT_UNFINISHED;
    }
  }
}

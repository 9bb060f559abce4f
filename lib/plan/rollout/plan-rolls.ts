/**
 * What the plan says about rollouts: for each ReplicaSet / ReplicationController whose template
 * it changes, how many running pods carry an older template (`rolls`, shown as `update, rolls 3
 * pods`). An object a killed run left mid-rollout (its ROLLOUT_REPLICAS_ANNOTATION is set) becomes
 * an update even if nothing else changed, so apply continues it; while a rollout is under way the
 * object's spec.replicas is the desired count plus the surge: that is the rollout's, not drift.
 *
 * Objects applied before kite stamped templates have no hash on their template nor on their
 * pods. A template that is the desired one but for the stamp is unchanged (no-op: a kite upgrade
 * does not touch every ReplicaSet); the first update for another reason stamps it and its pods
 * (apply-roll.ts), without replacing them; a real template change replaces them all.
 *
 * Pods are listed once per namespace, and only for objects a rollout concerns: a plan of
 * thousands of unchanged ReplicaSets reads none.
 */
import type { KubeObject } from '../../api/meta.ts';
import type { KubeClient } from '../../kube/index.ts';
import { ownedPods } from '../kinds/replicaset.ts';
import { keyOf } from '../inventory.ts';
import type { FieldChange, PlannedAction } from '../plan.ts';
import { isCurrent, PODS } from './pods.ts';
import { isRollable, ROLLOUT_REPLICAS_ANNOTATION, stampedHash, TEMPLATE_HASH_LABEL } from './template-hash.ts';

export const REASON_ROLLOUT_UNFINISHED = 'rollout not finished: apply continues it';

/** The template hash label's own change: said by `rolls N pods`, not as a field change. */
export function isHashChange(path: string): boolean {
  return path.startsWith('spec.template.metadata.labels') && path.includes(TEMPLATE_HASH_LABEL);
}

/**
 * The plan changes the pod template, its hash label aside. Read from the plan's field changes, not
 * by hashing the live template: the server adds defaults to it (imagePullPolicy, dnsPolicy, ...).
 */
export function changesTemplate(changes: readonly FieldChange[]): boolean {
  return changes.some((c) => c.path.startsWith('spec.template') && !isHashChange(c.path));
}

/** Adds `rolls` to the plan's RS/RC actions (in place); `live` by keyOf(ref). */
export async function planRollouts(client: KubeClient, actions: PlannedAction[], live: ReadonlyMap<string, KubeObject>): Promise<void> {
  const podsIn = new Map<string, Promise<KubeObject[]>>();
  const listPods = (namespace: string) => {
    let p = podsIn.get(namespace);
    if (!p) {
      p = client.listAll<KubeObject>(PODS, { namespace }).then(
        (l) => l.items,
        () => [],
      );
      podsIn.set(namespace, p);
    }
    return p;
  };
  for (const a of actions) {
    if ((a.action !== 'update' && a.action !== 'no-op' && a.action !== 'move') || a.kept || !a.desired || !isRollable(a.ref)) continue;
    const l = live.get(keyOf(a.ref));
    const desired = a.desired as unknown as KubeObject;
    const hash = stampedHash(desired);
    if (!l || !hash) continue;
    const recorded = l.metadata.annotations?.[ROLLOUT_REPLICAS_ANNOTATION];
    const hadChanges = a.changes.length > 0;
    const wanted = (desired.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    if (recorded !== undefined && recorded === String(wanted)) a.changes = a.changes.filter((c) => c.path !== 'spec.replicas');
    const unstamped = stampedHash(l) === undefined && !changesTemplate(a.changes);
    // The hash label changes with the template: it is said by `rolls`, not shown as a change.
    a.changes = a.changes.filter((c) => !isHashChange(c.path));
    const templateChanged = stampedHash(l) !== hash && !unstamped;
    if (templateChanged || recorded !== undefined) {
      const pods = ownedPods(l, await listPods(a.ref.namespace ?? 'default'));
      const n = pods.filter((p) => !isCurrent(p, hash)).length;
      if (n > 0) a.rolls = n;
    }
    // A move stays a move: its rolls are said on its line.
    if (a.changes.length > 0 || a.action === 'move') continue;
    if (recorded !== undefined || (a.rolls ?? 0) > 0) {
      a.action = 'update';
      a.reason = REASON_ROLLOUT_UNFINISHED;
    } else if (a.action === 'update' && hadChanges) {
      // Nothing but the stamp (or the rollout's own replicas) differed.
      a.action = 'no-op';
      delete a.reason;
    }
  }
}

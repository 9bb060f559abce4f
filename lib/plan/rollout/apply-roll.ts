/**
 * Apply's part of a rollout: an update of a ReplicaSet / ReplicationController is written, then
 * its pods with an older template are replaced (roll.ts). Pods of an object kite applied before
 * it stamped templates run the live template; when the update only adds the stamp, they get the
 * hash label too (pod labels are mutable and outside the selector) instead of being replaced.
 */
import type { KubeObject } from '../../api/meta.ts';
import { isNotFound, type KubeClient } from '../../kube/index.ts';
import type { PlannedAction } from '../plan.ts';
import { changesTemplate } from './plan-rolls.ts';
import { PODS, podsOf } from './pods.ts';
import { rollOut, type RolloutOptions } from './roll.ts';
import { isRollable, ROLLOUT_REPLICAS_ANNOTATION, stampedHash, TEMPLATE_HASH_LABEL } from './template-hash.ts';

export interface ApplyRollOptions extends RolloutOptions {
  /**
   * `--no-roll`: write the object, leave its pods. A changed template is recorded as a rollout
   * still to do (ROLLOUT_REPLICAS_ANNOTATION), so the next plan without --no-roll shows it.
   */
  noRoll?: boolean;
}

export async function writeAndRoll(client: KubeClient, a: PlannedAction, write: () => Promise<string | undefined>, opts: ApplyRollOptions): Promise<string | undefined> {
  const desired = a.desired as unknown as KubeObject | undefined;
  if (!desired || !isRollable(a.ref) || !stampedHash(desired)) return write();
  const before = await client.get<KubeObject>(a.ref, a.ref.namespace, a.ref.name).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  const rv = await write();
  if (before && stampedHash(before) === undefined && !changesTemplate(a.changes)) await stampPods(client, before, stampedHash(desired)!);
  if (!opts.noRoll) await rollOut(client, a.ref, opts);
  else if (before && stampedHash(before) !== stampedHash(desired) && changesTemplate(a.changes)) {
    const replicas = String((desired.spec as { replicas?: number } | undefined)?.replicas ?? 1);
    await client.patch(a.ref, a.ref.namespace, a.ref.name, 'merge', { metadata: { annotations: { [ROLLOUT_REPLICAS_ANNOTATION]: replicas } } }, { fieldManager: 'kite-rollout' });
  }
  return rv;
}

async function stampPods(client: KubeClient, owner: KubeObject, hash: string): Promise<void> {
  for (const pod of await podsOf(client, owner)) {
    if (pod.metadata.labels?.[TEMPLATE_HASH_LABEL] !== undefined) continue;
    await client.patch(PODS, pod.metadata.namespace, pod.metadata.name!, 'merge', { metadata: { labels: { [TEMPLATE_HASH_LABEL]: hash } } }, { fieldManager: 'kite-rollout' }).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
  }
}

/**
 * Reading and writing a stack's revisions in the target (through lib/kube only, so any cluster
 * works): one LIST by label, one CREATE per revision, DELETEs of the oldest beyond the limit.
 */
import type { KubeObject } from '../../api/meta.ts';
import { isAlreadyExists, isNotFound, type KubeClient } from '../../kube/index.ts';
import { PARENT_NAMESPACE, STACK_ANNOTATION } from '../inventory.ts';
import { mapLimit } from '../order.ts';
import {
  MANAGED_BY_LABEL,
  readRevisionSecret,
  REVISION_LABEL,
  REVISION_SECRET_TYPE,
  revisionSecret,
  STACK_LABEL,
  stackLabelValue,
  type Revision,
} from './revision.ts';

/** Revisions kept per stack and target unless `--history-max` says otherwise (Helm's default too). */
export const DEFAULT_HISTORY_MAX = 10;

const SECRET = { apiVersion: 'v1', kind: 'Secret' } as const;
/** Tries at the next number when another run took a revision number first. */
const CREATE_RETRIES = 5;

/** The stack's revision Secrets, oldest first. */
async function listSecrets(client: KubeClient, stack: string): Promise<KubeObject[]> {
  const list = await client.listAll<KubeObject>(SECRET, {
    namespace: PARENT_NAMESPACE,
    labelSelector: `${STACK_LABEL}=${stackLabelValue(stack)},${MANAGED_BY_LABEL}=kite`,
  });
  return list.items
    .filter((s) => (s as { type?: string }).type === REVISION_SECRET_TYPE && s.metadata.annotations?.[STACK_ANNOTATION] === stack)
    .sort((a, b) => numberOf(a) - numberOf(b));
}

function numberOf(s: KubeObject): number {
  return Number(s.metadata.labels?.[REVISION_LABEL] ?? 0);
}

/** The stack's revisions on this target, oldest first. */
export async function listRevisions(client: KubeClient, stack: string): Promise<Revision[]> {
  return (await listSecrets(client, stack)).map(readRevisionSecret);
}

/** The next revision's number: one more than the newest (revisions pruned away are not reused). */
export async function nextRevisionNumber(client: KubeClient, stack: string): Promise<number> {
  const all = await listSecrets(client, stack);
  return all.length === 0 ? 1 : numberOf(all.at(-1)!) + 1;
}

/**
 * Records a revision (its number: the next one; `revision` in the argument is ignored), then
 * deletes the oldest beyond `max` (0: keep all). Returns the number it got.
 */
export async function writeRevision(client: KubeClient, r: Omit<Revision, 'revision'>, max: number): Promise<number> {
  let n = await nextRevisionNumber(client, r.stack);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.create(revisionSecret({ ...r, revision: n }));
      break;
    } catch (e) {
      if (!isAlreadyExists(e) || attempt >= CREATE_RETRIES) throw e;
      n++;
    }
  }
  if (max > 0) {
    const all = await listSecrets(client, r.stack);
    await mapLimit(all.slice(0, Math.max(0, all.length - max)), 4, (s) => deleteSecret(client, s));
  }
  return n;
}

/** Deletes every revision of the stack (after `kite destroy` removed it, as `helm uninstall` does). */
export async function deleteRevisions(client: KubeClient, stack: string): Promise<number> {
  const all = await listSecrets(client, stack);
  await mapLimit(all, 4, (s) => deleteSecret(client, s));
  return all.length;
}

async function deleteSecret(client: KubeClient, s: KubeObject): Promise<void> {
  try {
    await client.delete(SECRET, PARENT_NAMESPACE, s.metadata.name ?? '');
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

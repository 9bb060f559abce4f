/**
 * The writes of an apply, in batches that may go out in parallel: a batch is a run of consecutive
 * actions (in the plan's order) of one ordering rank (order.ts) and one direction (writes, then
 * deletions). Nothing in a rank waits on another object of that rank, so a rank's writes go out
 * together, at most `concurrency` at once; the next batch starts when the whole batch is done.
 *
 * One exception keeps the program's order where it matters: a CustomResourceDefinition is a batch
 * of its own (its custom resources, in the same rank, may follow it and need it served first).
 */
import { rankOf } from './order.ts';
import type { ObjectRef, PlannedAction } from './plan.ts';

/** Writes in flight at once within one batch (kubectl apply writes one object at a time). */
export const DEFAULT_APPLY_CONCURRENCY = 16;

/** Consecutive runs of `actions` that may be written in parallel; their order and contents are the input's. */
export function writeBatches<T extends Pick<PlannedAction, 'ref' | 'action'>>(actions: readonly T[]): T[][] {
  const batches: T[][] = [];
  let key: string | undefined;
  for (const a of actions) {
    const k = batchKey(a.ref, a.action === 'delete');
    const last = batches.at(-1);
    if (last && k === key && !definesKinds(a.ref)) last.push(a);
    else batches.push([a]);
    key = k;
  }
  return batches;
}

function batchKey(ref: ObjectRef, isDelete: boolean): string {
  return `${isDelete ? 'delete' : 'write'}/${rankOf(ref)}/${definesKinds(ref) ? 'crd' : ''}`;
}

function definesKinds(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): boolean {
  return ref.kind === 'CustomResourceDefinition' && ref.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** What became of one item of a batch. */
export type BatchOutcome<R> = { status: 'done'; value: R } | { status: 'failed'; error: Error } | { status: 'not-started' };

/**
 * Runs `fn` over `items`, at most `limit` at once, each to completion: a failure does not stop the
 * others (each is reported); once `stopped()` says so, no further item starts (those in flight
 * finish). Outcomes in input order.
 */
export async function runBatch<T, R>(items: readonly T[], limit: number, stopped: () => boolean, fn: (item: T) => Promise<R>): Promise<BatchOutcome<R>[]> {
  const out: BatchOutcome<R>[] = items.map(() => ({ status: 'not-started' }));
  let next = 0;
  const worker = async () => {
    for (;;) {
      if (stopped()) return;
      const i = next++;
      if (i >= items.length) return;
      try {
        out[i] = { status: 'done', value: await fn(items[i]!) };
      } catch (e) {
        out[i] = { status: 'failed', error: e instanceof Error ? e : new Error(String(e)) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

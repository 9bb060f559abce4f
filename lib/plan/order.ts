/**
 * Apply order: objects that are written (create, update, replace; no-ops keep their place so a
 * plan reads in the same order) by document rank — Namespace, Service, Endpoints, workloads,
 * everything else — keeping the program's order within a rank; then deletions in reverse rank
 * (everything else, workloads, Endpoints, Services, Namespaces last), so nothing is removed
 * while something written earlier in the same run could still depend on it.
 */
import { documentRank } from '../api/registry.ts';
import { refId, type ActionType, type ObjectRef } from './plan.ts';

interface Ordered {
  ref: ObjectRef;
  action: ActionType;
}

/** The rank of an object in apply order (lower first). */
export function rankOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): number {
  return documentRank(ref.kind, ref.apiVersion);
}

/** Writes first, by rank (stable: the program's order within a rank); then deletes, in reverse rank. */
export function orderActions<T extends Ordered>(actions: readonly T[]): T[] {
  const writes = actions.filter((a) => a.action !== 'delete');
  const deletes = actions.filter((a) => a.action === 'delete');
  return [...orderWrites(writes), ...orderDeletes(deletes)];
}

/** By rank, stable. */
export function orderWrites<T extends { ref: ObjectRef }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i, rank: rankOf(item.ref) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.item);
}

/** Reverse rank; within a rank by namespace, kind and name (deterministic whatever order the cluster listed them in). */
export function orderDeletes<T extends { ref: ObjectRef }>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, rank: rankOf(item.ref), id: refId(item.ref) }))
    .sort((a, b) => b.rank - a.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((x) => x.item);
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

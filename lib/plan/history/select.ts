/** Reading a history: each revision's status, and which revision a rollback goes to. */
import { KiteError } from '../../errors.ts';
import type { Revision } from './revision.ts';

/** Helm's statuses: the newest revision is what is deployed, the older ones were superseded. */
export type RevisionStatus = 'deployed' | 'superseded' | 'failed';

/** A revision's status, given the history it is in (oldest first). */
export function statusOf(r: Revision, history: readonly Revision[]): RevisionStatus {
  if (r.outcome === 'failed') return 'failed';
  return r.revision === history.at(-1)?.revision ? 'deployed' : 'superseded';
}

/** `kite history` and `kite rollback` asked about a stack, or a revision, that is not there. */
export class HistoryError extends KiteError {
  constructor(message: string) {
    super(message, { code: 'history' });
  }
}

export function noHistory(stack: string, context: string): HistoryError {
  return new HistoryError(`stack ${stack} has no history on context ${context}: it was never applied there (or its history was removed by kite destroy)`);
}

/** The revision numbered `n`, or a HistoryError naming the ones there are. */
export function findRevision(history: readonly Revision[], n: number, stack: string, context: string): Revision {
  const r = history.find((x) => x.revision === n);
  if (r) return r;
  if (history.length === 0) throw noHistory(stack, context);
  throw new HistoryError(`stack ${stack} has no revision ${n} on context ${context} (it has ${rangeOf(history)}; see kite history ${stack})`);
}

/**
 * Where `kite rollback` goes without `--to`: the newest revision before the current one that was
 * deployed and ready (Helm goes to current - 1; a failed release in between would be no way back).
 */
export function previousGood(history: readonly Revision[], stack: string, context: string): Revision {
  if (history.length === 0) throw noHistory(stack, context);
  const current = history.at(-1)!;
  const r = history.slice(0, -1).reverse().find((x) => x.outcome === 'deployed');
  if (r) return r;
  throw new HistoryError(`stack ${stack} has no revision to roll back to on context ${context}: no revision before ${current.revision} was deployed (see kite history ${stack})`);
}

function rangeOf(history: readonly Revision[]): string {
  const ns = history.map((r) => r.revision);
  if (ns.length === 1) return `revision ${ns[0]}`;
  const contiguous = ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1);
  return contiguous ? `revisions ${ns[0]} to ${ns.at(-1)}` : `revisions ${ns.join(', ')}`;
}

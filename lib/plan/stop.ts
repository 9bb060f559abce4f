/**
 * Why an apply stopped before it was done, other than a write the cluster refused: its deadline
 * (`--timeout`) passed, the user interrupted it (Ctrl-C, SIGTERM), or it lost the stack's lock
 * (lock.ts LockLostError). The apply's AbortSignal carries one of these as its reason; the summary
 * says which (by `code`).
 */
import { KiteError } from '../errors.ts';

/** The apply's `--timeout` passed. */
export class DeadlineExceededError extends KiteError {
  constructor(readonly timeoutMs: number) {
    super(`the --timeout of ${Math.round(timeoutMs / 1000)} s passed`, { code: 'timeout' });
  }
}

/** The user stopped the run (Ctrl-C is SIGINT). */
export class InterruptedError extends KiteError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted (${signal})`, { code: 'interrupted' });
  }
}

/** The reason an aborted signal carries, as an Error. */
export function stopReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(String(r ?? 'aborted'));
}

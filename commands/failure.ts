import { StatusError } from '../lib/api/status.ts';
import { KiteError } from '../lib/errors.ts';
import { EXIT_INTERNAL_ERROR, EXIT_USER_ERROR } from './exit-codes.ts';

/**
 * The one place that tells the user's situation from kite's bug. A KiteError (a bad argument or
 * file, a held lock, a stale plan, an unreachable server) and a StatusError (the API server's
 * refusal: its Status message says what to fix) are the user's; anything else is a bug. Writes
 * the message and returns the exit code; shared by the CLI and the runtime started from its
 * snapshot (commands/up-snapshot.ts), which must fail alike.
 */
export function reportFailure(e: unknown, write: (text: string) => void): number {
  if (e instanceof KiteError || e instanceof StatusError) {
    write(`error: ${e.message}\n`);
    return EXIT_USER_ERROR;
  }
  write(`internal error (a bug in kite, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT_INTERNAL_ERROR;
}

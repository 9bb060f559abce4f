import { constants } from 'node:os';
import { InterruptedError } from '../lib/plan/stop.ts';

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run holds something it must give back (the stack's lock):
 * the first signal aborts `signal` with an InterruptedError, so the run stops, prints its summary
 * and releases what it holds; a second one exits at once (the lock then expires by itself).
 */
export interface InterruptTrap {
  readonly signal: AbortSignal;
  /** Restores the default behaviour (the process dies on the next signal). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function trapInterrupts(): InterruptTrap {
  const ctl = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (ctl.signal.aborted) process.exit(exitCodeOf(sig));
    ctl.abort(new InterruptedError(sig));
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: ctl.signal,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}

/** The shell's convention for a run ended by a signal: 128 + its number (130 for Ctrl-C). */
export function exitCodeOf(sig: NodeJS.Signals): number {
  return 128 + (constants.signals[sig] ?? 0);
}

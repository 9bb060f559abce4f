/**
 * The kubelet's per-container back-off (client-go util/flowcontrol/backoff.go as used by
 * kuberuntime_manager.go doBackOff, and image_manager.go for pulls): the first restart is
 * immediate; each one after waits `initial`, doubling to `max`, measured from the last exit; an
 * entry untouched for 2 × max (a container that ran 10 minutes) starts again at `initial`.
 * Kubernetes: initial 10 s, max 300 s; tests pass a small initial.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  now: () => number;
}

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: BackoffOptions) {}

  /** IsInBackOffSince: how long `key` must still wait after an event at `eventTime` (0: go). */
  remaining(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(this.o.now(), e)) return 0;
    return Math.max(0, e.backoffMs - (this.o.now() - eventTime));
  }

  /** The current back-off of `key` (what the CrashLoopBackOff message names). */
  current(key: string): number {
    return this.entries.get(key)?.backoffMs ?? this.o.initialMs;
  }

  /** Next: an attempt happens now, after an event at `eventTime`. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    const backoffMs = !e || this.expired(eventTime, e) ? this.o.initialMs : Math.min(e.backoffMs * 2, this.o.maxMs);
    this.entries.set(key, { backoffMs, lastUpdate: this.o.now() });
  }

  /** Forgets every key starting with `prefix` (a pod that is gone). */
  forget(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(at: number, e: Entry): boolean {
    return at - e.lastUpdate > 2 * this.o.maxMs;
  }
}

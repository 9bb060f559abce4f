/**
 * client-go's work queue, the rate-limiting delaying kind controllers use, in one class:
 *
 * - deduplication: a key is queued at most once and never processed by two workers at once (a
 *   key added while it is processed runs again after);
 * - coalescing: workers pick keys up on the next turn of the event loop (setImmediate), so a
 *   burst of watch events delivered in one turn (a whole store commit) costs one sync per key;
 * - wait for cache sync: keys added before `start()` wait until the caller's informers are filled;
 * - delayed adds (`addAfter`): a key already waiting keeps the earlier of the two times;
 * - rate-limited adds (`addRateLimited`): per-key exponential backoff, base·2^(n−1) capped at
 *   `maxDelayMs`, until `forget`; a sync that throws is re-added this way, a sync that returns
 *   forgets its key.
 */
export interface WorkQueueOptions {
  /** Concurrent syncs (of different keys); default 1. */
  workers?: number;
  /** First retry delay (default 5 ms), doubled on each further failure of the key. */
  baseDelayMs?: number;
  /** Longest retry delay (default 30 s). */
  maxDelayMs?: number;
  /** Told about each failed sync (it is retried with backoff). */
  onError?: (queue: string, key: string, error: unknown) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly waiting = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private running = 0;
  private started = false;
  private stopped = false;
  private pumpScheduled = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly sync: (key: string) => Promise<void>,
    private readonly opts: WorkQueueOptions = {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.schedulePump();
  }

  /** Adds the key after `ms` (a requeue-after); if it already waits, the earlier time wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const existing = this.waiting.get(key);
    if (existing) {
      if (existing.at <= at) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.waiting.set(key, { at, timer });
  }

  /** Adds the key after its backoff: base·2^(n−1) for its n-th rate-limited add since `forget`. */
  addRateLimited(key: string): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    this.addAfter(key, Math.min((this.opts.baseDelayMs ?? 5) * 2 ** (n - 1), this.opts.maxDelayMs ?? 30_000));
  }

  /** Resets the key's backoff. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Rate-limited adds of the key since it was last forgotten. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys queued or processing (not those waiting for a delay). */
  get length(): number {
    return this.queue.length + this.running;
  }

  /** Hands queued keys to workers from now on (call once the informers' caches are filled). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.pump();
  }

  /** Resolves when nothing is queued or processing. */
  idle(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work (queued and waiting keys are dropped); resolves once the syncs in progress have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    this.queued.clear();
    this.dirty.clear();
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    if (this.running > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private schedulePump(): void {
    if (!this.started || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const workers = this.opts.workers ?? 1;
    while (this.started && !this.stopped && this.running < workers && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.running++;
      void this.run(key);
    }
    if (this.length === 0) wake(this.idleWaiters);
  }

  private async run(key: string): Promise<void> {
    try {
      await this.sync(key);
      this.forget(key);
    } catch (e) {
      this.opts.onError?.(this.name, key, e);
      this.addRateLimited(key);
    } finally {
      this.processing.delete(key);
      this.running--;
      if (this.running === 0) wake(this.drainWaiters);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}

/** Resolves every waiter, emptying the list first (a waiter may wait again). */
function wake(waiters: Array<() => void>): void {
  for (const w of waiters.splice(0)) w();
}

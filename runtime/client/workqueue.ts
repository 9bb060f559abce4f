/**
 * client-go's work queue: a key is queued at most once, is never processed by two workers at
 * once (a key added while it is processed runs again after), and failures retry with backoff.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly opts: { workers?: number; baseDelayMs?: number; maxDelayMs?: number; onError?: (key: string, e: unknown) => void } = {},
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
    this.pump();
  }

  /** Adds the key after a delay (retry with backoff, or a controller's requeue-after). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  get length(): number {
    return this.queue.length + this.running;
  }

  /** Resolves when nothing is queued or processing. */
  idle(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private pump(): void {
    const workers = this.opts.workers ?? 1;
    while (!this.stopped && this.running < workers && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.running++;
      void this.run(key);
    }
    if (this.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.sync(key);
      this.failures.delete(key);
    } catch (e) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.opts.onError?.(key, e);
      const delay = Math.min((this.opts.baseDelayMs ?? 5) * 2 ** (n - 1), this.opts.maxDelayMs ?? 30_000);
      this.addAfter(key, delay);
    } finally {
      this.processing.delete(key);
      this.running--;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}

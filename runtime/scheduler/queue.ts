/**
 * kube-scheduler's scheduling queue (k/k pkg/scheduler/backend/queue/scheduling_queue.go), small:
 *
 *  - activeQ: pods to try now, by priority then arrival (PrioritySort);
 *  - backoffQ: pods that failed recently and wait out their backoff (initial × 2^(attempts−1),
 *    capped) before going back to activeQ;
 *  - unschedulable pods: they wait for a cluster event that could make them fit (a node added
 *    or changed, a pod bound elsewhere deleted or finished) — `moveAllToActiveOrBackoff` — or
 *    for the periodic flush after `maxUnschedulableMs` (podMaxInUnschedulablePodsDuration).
 *
 * A pod whose attempt overlapped a move request goes to backoffQ, not the unschedulable set
 * (moveRequestCycle), so an event seen while it was being scheduled is never lost. Nothing
 * polls: timers fire only for the earliest backoff expiry and the flush.
 */

export interface QueueOptions {
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxUnschedulableMs: number;
  now: () => number;
  /** Called when activeQ becomes non-empty. */
  onActive: () => void;
}

type Where = 'active' | 'backoff' | 'unschedulable' | 'inflight';

interface Entry {
  key: string;
  priority: number;
  /** When the pod was (re)added to a queue: the FIFO order within a priority. */
  timestamp: number;
  seq: number;
  attempts: number;
  /** When the last attempt failed (backoff is counted from it). */
  failedAt: number;
  where: Where;
  /** The scheduling cycle of the pod's current attempt. */
  cycle: number;
}

/** A binary min-heap. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  /** Heap items are (entry, seq): stale items (entry moved since) are skipped on pop. */
  private readonly active = new Heap<{ e: Entry; seq: number }>((a, b) =>
    a.e.priority !== b.e.priority ? a.e.priority > b.e.priority : a.e.timestamp !== b.e.timestamp ? a.e.timestamp < b.e.timestamp : a.seq < b.seq,
  );
  private readonly backoff = new Heap<{ e: Entry; seq: number; until: number }>((a, b) => a.until < b.until);
  private activeCount = 0;
  private seq = 0;
  private cycle = 0;
  private moveRequestCycle = -1;
  private backoffTimer: NodeJS.Timeout | undefined;
  private backoffTimerAt = Infinity;
  private flushTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: QueueOptions) {
    this.flushTimer = setInterval(() => this.flushUnschedulable(), Math.min(30_000, Math.max(10, opts.maxUnschedulableMs / 2)));
    this.flushTimer.unref?.();
  }

  get schedulingCycle(): number {
    return this.cycle;
  }

  /** Pods waiting in activeQ. */
  get activeLength(): number {
    return this.activeCount;
  }

  /** Pods in any queue or being scheduled. */
  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  whereIs(key: string): Where | undefined {
    return this.entries.get(key)?.where;
  }

  /** A new pending pod: straight to activeQ. */
  add(key: string, priority = 0): void {
    if (this.stopped || this.entries.has(key)) return;
    const e: Entry = { key, priority, timestamp: this.opts.now(), seq: 0, attempts: 0, failedAt: 0, where: 'active', cycle: 0 };
    this.entries.set(key, e);
    this.pushActive(e);
  }

  /** A pod to retry after its backoff (a binding that failed after the pod left the queue). */
  addBackoff(key: string, priority = 0, attempts = 1): void {
    if (this.stopped || this.entries.has(key)) return;
    const now = this.opts.now();
    const e: Entry = { key, priority, timestamp: now, seq: 0, attempts, failedAt: now, where: 'backoff', cycle: this.cycle };
    this.entries.set(key, e);
    this.pushBackoff(e);
  }

  /** The pod's spec or labels changed: an unschedulable pod gets another try. */
  updated(key: string, priority = 0): void {
    const e = this.entries.get(key);
    if (!e) return this.add(key, priority);
    e.priority = priority;
    if (e.where === 'unschedulable') this.moveOne(e);
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    if (e.where === 'active') this.activeCount--;
    this.entries.delete(key);
  }

  /** The next pod to schedule (it is then in flight until `done`, `unschedulable` or `retry`). */
  pop(): string | undefined {
    for (;;) {
      const item = this.active.pop();
      if (!item) return undefined;
      const e = item.e;
      if (e.seq !== item.seq || e.where !== 'active' || this.entries.get(e.key) !== e) continue;
      this.activeCount--;
      e.where = 'inflight';
      e.attempts++;
      e.cycle = ++this.cycle;
      return e.key;
    }
  }

  /** Scheduled (assumed): the pod leaves the queue. */
  done(key: string): void {
    const e = this.entries.get(key);
    if (e && e.where === 'inflight') this.entries.delete(key);
  }

  /**
   * The attempt found no node: wait for a cluster event, or back off if one happened since the
   * attempt began.
   */
  unschedulable(key: string): void {
    const e = this.entries.get(key);
    if (!e || e.where !== 'inflight') return;
    e.failedAt = this.opts.now();
    e.timestamp = e.failedAt;
    if (this.moveRequestCycle >= e.cycle) this.pushBackoff(e);
    else e.where = 'unschedulable';
  }

  /** The attempt failed for another reason (a binding error): retry after the backoff. */
  retry(key: string): void {
    const e = this.entries.get(key);
    if (!e || e.where !== 'inflight') return;
    e.failedAt = this.opts.now();
    e.timestamp = e.failedAt;
    this.pushBackoff(e);
  }

  /** A cluster event that may make unschedulable pods fit. */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.cycle;
    for (const e of this.entries.values()) if (e.where === 'unschedulable') this.moveOne(e);
  }

  stop(): void {
    this.stopped = true;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
  }

  private backoffUntil(e: Entry): number {
    const d = Math.min(this.opts.initialBackoffMs * 2 ** Math.max(0, e.attempts - 1), this.opts.maxBackoffMs);
    return e.failedAt + d;
  }

  private moveOne(e: Entry): void {
    if (this.backoffUntil(e) > this.opts.now()) this.pushBackoff(e);
    else this.pushActive(e);
  }

  private pushActive(e: Entry): void {
    if (e.where === 'active' && e.seq !== 0) return;
    e.where = 'active';
    e.seq = ++this.seq;
    this.activeCount++;
    this.active.push({ e, seq: e.seq });
    this.opts.onActive();
  }

  private pushBackoff(e: Entry): void {
    e.where = 'backoff';
    e.seq = ++this.seq;
    const until = this.backoffUntil(e);
    this.backoff.push({ e, seq: e.seq, until });
    this.armBackoffTimer(until);
  }

  private armBackoffTimer(at: number): void {
    if (this.stopped || at >= this.backoffTimerAt) return;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimerAt = at;
    this.backoffTimer = setTimeout(() => this.flushBackoff(), Math.max(0, at - this.opts.now()));
    this.backoffTimer.unref?.();
  }

  private flushBackoff(): void {
    this.backoffTimer = undefined;
    this.backoffTimerAt = Infinity;
    const now = this.opts.now();
    for (;;) {
      const top = this.backoff.peek();
      if (!top) return;
      const e = top.e;
      if (e.seq !== top.seq || e.where !== 'backoff' || this.entries.get(e.key) !== e) {
        this.backoff.pop();
        continue;
      }
      if (top.until > now) return this.armBackoffTimer(top.until);
      this.backoff.pop();
      this.pushActive(e);
    }
  }

  private flushUnschedulable(): void {
    const now = this.opts.now();
    for (const e of this.entries.values()) {
      if (e.where === 'unschedulable' && now - e.failedAt > this.opts.maxUnschedulableMs) this.moveOne(e);
    }
  }
}

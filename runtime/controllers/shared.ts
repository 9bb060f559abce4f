/**
 * What every controller here shares (client-go's informer factory, a coalescing work queue
 * and small object helpers). Controllers reach the cluster only through the ApiClient.
 */
export { isAlreadyExists, isConflict, isNamespaceTerminating, isNotFound } from '../../lib/api/status.ts';
export { jsonEqual } from '../../lib/api/equal.ts';
export { formatTime as timestamp } from '../../lib/api/time.ts';
import type { ApiClient, Obj } from '../client/client.ts';
import { Informer, type InformerHandlers } from '../client/informer.ts';
import { WorkQueue } from '../client/workqueue.ts';

export type { Obj };

/** Options every controller accepts. */
export interface ControllerOptions {
  /** Shared informers (one list+watch per resource for all controllers); a private one if absent. */
  informers?: InformerFactory;
  /** The controller's clock (default: the API server's). */
  clock?: () => Date;
  /** Concurrent syncs (different keys). */
  workers?: number;
  /** Called when a sync fails (it is retried with backoff). */
  onError?: (controller: string, key: string, error: unknown) => void;
}

/**
 * client-go's SharedInformerFactory: one Informer per resource, shared by every controller that
 * asks for it. Handlers added after the informer started are first told about every cached
 * object (as client-go's AddEventHandler replays the cache), so registration order never matters.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer>();
  private readonly started = new Set<string>();
  private stopped = false;

  constructor(readonly client: ApiClient) {}

  informer(resource: string): Informer {
    let inf = this.informers.get(resource);
    if (!inf) {
      inf = new Informer(this.client, resource);
      this.informers.set(resource, inf);
    }
    return inf;
  }

  /**
   * Registers handlers on the resource's informer. If it already runs, the cached objects are
   * replayed as `add` on a microtask: after the caller's constructor has finished (handlers may
   * use fields it assigns after this call), and before any later watch event.
   */
  on(resource: string, handlers: InformerHandlers): Informer {
    const inf = this.informer(resource);
    if (this.started.has(resource) && handlers.add) {
      const replay = inf.list();
      const add = handlers.add.bind(handlers);
      let replayed = false;
      const flush = () => {
        if (replayed) return;
        replayed = true;
        for (const obj of replay) add(obj);
      };
      queueMicrotask(flush);
      // A live event must not overtake the replay: flush first if one comes.
      inf.on({
        add: (o) => (flush(), handlers.add?.(o)),
        ...(handlers.update ? { update: (o: Obj, old: Obj) => (flush(), handlers.update!(o, old)) } : {}),
        ...(handlers.delete ? { delete: (o: Obj) => (flush(), handlers.delete!(o)) } : {}),
      });
      return inf;
    }
    inf.on(handlers);
    return inf;
  }

  /** Starts (lists, then watches) every informer not yet started. Idempotent. */
  start(): void {
    if (this.stopped) return;
    for (const [resource, inf] of this.informers) {
      if (this.started.has(resource)) continue;
      this.started.add(resource);
      inf.start();
    }
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}

/**
 * A WorkQueue fed through a coalescing buffer: keys added during one turn of the event loop (a
 * whole store commit is delivered to watchers in one turn) are handed to the queue once, on
 * setImmediate, so a burst of watch events costs one sync per key. Keys added before `start()`
 * wait until the caches are filled (client-go's WaitForCacheSync).
 */
export class ControllerQueue {
  private readonly pending = new Set<string>();
  private readonly queue: WorkQueue;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private flushScheduled = false;
  private started = false;
  private stopped = false;
  private inFlight = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    sync: (key: string) => Promise<void>,
    opts: { workers?: number; onError?: (controller: string, key: string, error: unknown) => void; maxDelayMs?: number } = {},
  ) {
    this.queue = new WorkQueue(
      async (key) => {
        this.inFlight++;
        try {
          await sync(key);
        } finally {
          this.inFlight--;
          if (this.inFlight === 0) {
            const w = this.drainWaiters;
            this.drainWaiters = [];
            w.forEach((f) => f());
          }
        }
      },
      {
        workers: opts.workers ?? 1,
        maxDelayMs: opts.maxDelayMs ?? 30_000,
        onError: (key, e) => opts.onError?.(name, key, e),
      },
    );
  }

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (this.started && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Adds the key after `ms` (a requeue-after; coalesced like add). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  /**
   * Adds the key after `ms` unless it is already waiting (the delaying queue's dedupe): every
   * event of a burst lands in one sync, `ms` after the first.
   */
  addBatched(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    if (this.delayed.has(key)) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    t.unref?.();
    this.timers.add(t);
    this.delayed.set(key, t);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.flush();
  }

  /** Resolves when nothing is buffered, queued or running. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.pending.size > 0) await new Promise((r) => setImmediate(r));
      else if (this.queue.length > 0) await this.queue.idle();
      else return;
    }
  }

  /** Stops taking work; resolves once the syncs in progress have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.delayed.clear();
    this.queue.stop();
    if (this.inFlight > 0) await new Promise<void>((r) => this.drainWaiters.push(r));
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.stopped) return;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) this.queue.add(k);
  }
}

// ---------------------------------------------------------------------------------------------
// object helpers

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.GetControllerOf */
export function controllerOf(obj: Obj): OwnerRef | undefined {
  const refs = obj.metadata?.ownerReferences as OwnerRef[] | undefined;
  if (!refs) return undefined;
  for (const r of refs) if (r.controller === true) return r;
  return undefined;
}

export function ownerRefsOf(obj: Obj): readonly OwnerRef[] {
  return (obj.metadata?.ownerReferences as OwnerRef[] | undefined) ?? [];
}

export function isBeingDeleted(obj: Obj): boolean {
  return !!obj.metadata?.deletionTimestamp;
}

export function hasFinalizer(obj: Obj, f: string): boolean {
  return ((obj.metadata?.finalizers as string[] | undefined) ?? []).includes(f);
}

/** controller.IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(pod: Obj): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** Label maps equal regardless of key order (reflect.DeepEqual on maps; nil == empty here). */
export function stringMapsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!b || !Object.hasOwn(b, k) || b[k] !== a![k]) return false;
  return true;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}


/** A small LRU set/map (Go's golang/groupcache lru as the controllers use it). */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

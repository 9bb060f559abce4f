/**
 * The control plane's store: one SQLite file (`DIR/state.db`, WAL, synchronous=FULL) behind an
 * in-memory read path, with etcd-style group commit and a bounded watch history.
 *
 * Threads. The SQLite connection lives in a worker thread (./commit-worker.ts). The main thread
 * keeps everything else: the committed values (a Map, plus sorted key and value arrays for list),
 * the overlay of accepted-but-not-yet-durable writes, the revision counter, the watch history and
 * the watchers.
 * A commit's fsync therefore never blocks the event loop: reads, watches and new writes are served
 * while the previous batch is being made durable.
 *
 * Group commit. A write is checked against the newest state (committed values + overlay), given
 * the next revision and appended to the open batch. The open batch is sent to the worker on
 * setImmediate after the first write of an event-loop turn, or, if a batch is already at the
 * worker, as soon as that one commits, so every write issued in the same turn or while a commit
 * is in progress shares one transaction (one fsync). At most one batch is at the worker at a time.
 * When its commit is acknowledged the main thread, in this order, applies the batch to the
 * committed values, advances `revision`, records the events in the history, notifies watchers (in
 * revision order) and settles the batch's promises.
 *
 * Visibility. get/list/revision show committed (fsynced) state only: a write is visible exactly
 * when its promise resolves, so nothing a reader or watcher has seen can be lost by a crash.
 * Preconditions (AlreadyExists, NotFound, Conflict) are evaluated in arrival order against the
 * newest accepted state, so a later write in the same batch sees earlier ones; a refusal is
 * settled with its batch, i.e. after the writes it was judged against are durable.
 *
 * Failure. If the worker reports that a statement failed (e.g. SQLITE_FULL when `quotaBytes` is
 * exceeded), SQLite rolled the transaction back: that batch's writes, and the writes accepted
 * after it (their preconditions assumed it), are rejected with StoreUnavailableError, the
 * overlay is dropped and the revision counter rewinds — memory equals the database again and the
 * store keeps working. If BEGIN/COMMIT/ROLLBACK itself fails, or the worker dies, whether the
 * batch reached the disk is unknown (an fsync error can leave committed WAL frames behind), so
 * the store fails stop: every pending and future write is rejected with StoreUnavailableError,
 * reads keep serving the last acknowledged state, and the process must reopen the store (SQLite
 * recovery then decides, all-or-nothing, whether the batch is in). A half-applied batch is never
 * visible.
 *
 * Ownership. The connection uses locking_mode=EXCLUSIVE and takes the write lock at open, so a
 * second store (in this or another process) on the same directory is refused instead of silently
 * diverging; the lock dies with the process.
 *
 * Expiry. Keys under an `expiring` prefix (Events) live for a TTL after their last write, as
 * etcd keys attached to a lease that each write renews: a periodic sweep deletes the expired
 * ones through the ordinary write path, so watchers see DELETED exactly as for an etcd lease
 * expiry. Keys loaded at open get a full TTL from then (etcd refreshes leases on restart too).
 *
 * Values. Writes are copied through JSON (so the caller's object is never mutated or retained,
 * and memory holds exactly what a restart would load), stamped with metadata.resourceVersion and
 * deep-frozen. get/list/watch hand out these frozen objects without copying: they are read-only
 * (assigning to them throws in strict mode); copy with structuredClone before editing.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { createPrivateFile, PRIVATE_DIR_MODE } from '../state-dir-modes.ts';
import { COMMIT_WORKER_SOURCE } from './commit-worker.ts';
import { sqliteDriverPath } from './sqlite-driver.ts';
import { StoreError, StoreLockedError, StoreUnavailableError, type JsonObject, type Store, type StoreEvent } from './types.ts';

export interface OpenStoreOptions {
  /** How many recent events are retained for watch replay (default 10,000). */
  historySize?: number;
  /** Injectable monotonic clock (ms), for the commit statistics and key expiry. Default performance.now. */
  clock?: () => number;
  /**
   * Keys under these prefixes are deleted `ttlMs` after their last write (kube-apiserver's
   * --event-ttl: Events are stored with an etcd lease renewed on each write).
   */
  expiring?: readonly ExpiringPrefix[];
  /**
   * Upper bound on the database file's size (SQLite max_page_count), like etcd's
   * --quota-backend-bytes. A batch that would grow the file beyond it fails as a whole with
   * StoreUnavailableError and the store keeps working (deletes still succeed).
   */
  quotaBytes?: number;
  /**
   * Called when a watcher's callback throws; that watcher is stopped, the others and the store
   * carry on. Default: rethrow it asynchronously (an uncaught exception, as a bug should be).
   */
  onWatcherError?: (error: unknown, prefix: string) => void;
}

export interface ExpiringPrefix {
  prefix: string;
  ttlMs: number;
}

export interface StoreStats {
  /** Transactions committed. */
  commits: number;
  /** Writes (creates, updates, deletes) committed. */
  writes: number;
  /** Largest number of writes in one transaction. */
  maxBatch: number;
  /** Total ms between sending batches to the worker and their acknowledgement. */
  commitMs: number;
}

export interface SqliteStore extends Store {
  /** The database file. */
  readonly file: string;
  /** Number of objects currently stored. */
  readonly size: number;
  /** Deletes the expired keys of the `expiring` prefixes now (a sweep also runs periodically). */
  expireNow(): void;
  readonly stats: Readonly<StoreStats>;
  /** Set once the store has failed stop (see the file comment); writes are then refused. */
  readonly failure: Error | undefined;
}

export const DEFAULT_HISTORY_SIZE = 10_000;
const OPEN_TIMEOUT_MS = 120_000;

/** Opens (creating if needed) the store in `dir`. Throws if another store holds the directory. */
export function openStore(dir: string, opts: OpenStoreOptions = {}): SqliteStore {
  return SqliteStoreImpl.open(dir, opts);
}

/** A commit worker started on a database: it posts its StartupReply to port1 and wakes `flag`. */
interface Opening {
  file: string;
  worker: Worker;
  port1: MessagePort;
  flag: Int32Array;
  quotaBytes: number;
}

/** Openings started ahead of openStore (startStoreOpen), by absolute state dir. */
const early = new Map<string, Opening>();

/**
 * Starts opening `dir`'s database in its commit worker now; openStore of the same dir takes it
 * over. `kite up` calls it first, so that the worker's start and SQLite's open (on a fresh dir:
 * the schema and its fsyncs) overlap the loading of the runtime's modules instead of following it.
 * The exclusive lock is taken as early, still before anything is written.
 */
export function startStoreOpen(dir: string): void {
  const absDir = resolve(dir);
  if (!early.has(absDir)) early.set(absDir, beginOpening(absDir, 0));
}

function takeOpening(absDir: string, quotaBytes: number): Opening {
  const started = early.get(absDir);
  early.delete(absDir);
  if (!started) return beginOpening(absDir, quotaBytes);
  if (started.quotaBytes !== quotaBytes) throw new Error(`opening ${started.file}: started early without quotaBytes ${quotaBytes}`);
  return started;
}

function beginOpening(absDir: string, quotaBytes: number): Opening {
  mkdirSync(absDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const file = join(absDir, 'state.db');
  // SQLite gives a new database 0644 and its -wal and -shm the database's mode: created 0600
  // here, all three hold Secrets readable by their owner only.
  createPrivateFile(file);

  const sab = new SharedArrayBuffer(4);
  const flag = new Int32Array(sab);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(COMMIT_WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { port: port2, sab, file, driver: sqliteDriverPath(), quotaBytes },
    transferList: [port2],
  });
  // Started early and never taken over (kite up failed meanwhile), it must not keep the process alive.
  worker.unref();
  return { file, worker, port1, flag, quotaBytes };
}

interface Entry {
  rv: number;
  obj: JsonObject;
}

/** A write accepted into a batch. `obj` is the new value, or for a delete the last state stamped with the deletion's rv. */
interface Op {
  type: 'create' | 'update' | 'delete';
  key: string;
  rv: number;
  obj: JsonObject;
  text: string | null;
  resolve: (v: JsonObject) => void;
  reject: (e: Error) => void;
}

/** A refused write, settled with the batch it was judged in. */
interface Refusal {
  error: Error;
  reject: (e: Error) => void;
}

interface Batch {
  id: number;
  ops: Op[];
  refusals: Refusal[];
  sentAt: number;
}

/** One expiring prefix: key -> expiry time, in write order (so in expiry order: one TTL per prefix). */
interface Expiry {
  prefix: string;
  ttlMs: number;
  deadlines: Map<string, number>;
}

interface Watcher {
  prefix: string;
  onEvent: (e: StoreEvent) => void;
  lastRv: number;
  active: boolean;
}

type WorkerReply =
  | { type: 'committed'; id: number }
  | { type: 'failed'; id: number; fatal: boolean; message: string; code?: string }
  | { type: 'closed'; error?: { message: string; code?: string } };

type StartupReply =
  | { ok: true; rows: [string, number, string][]; revision: number }
  | { ok: false; message: string; code?: string };

class SqliteStoreImpl implements SqliteStore {
  // committed state (the read path)
  private readonly values = new Map<string, Entry>();
  // sorted keys and, at the same positions, their values: list() is two binary searches and a slice
  private keys: string[] = [];
  private objs: JsonObject[] = [];
  /** Keys were created or deleted since the sorted index was built (see updateIndex). */
  private indexStale = false;
  private committedRev: number;

  // accepted, not yet committed
  private readonly overlay = new Map<string, Entry | { rv: number; obj: null }>();
  private nextRv: number;
  private open: Batch;
  private inFlight: Batch | undefined;
  private flushScheduled = false;
  private batchSeq = 0;

  // watch
  private readonly history: StoreEvent[] = [];
  private historyStart = 0; // index of the oldest retained event in `history`
  private readonly historySize: number;
  private readonly watchers = new Set<Watcher>();
  /**
   * The watchers that may want keys of one resource (`/registry/pods/`), in the order they were
   * added: each event is offered to those only, not to every watcher of every resource. Built
   * on first use, dropped whenever a watcher comes or goes.
   */
  private readonly watchersByResource = new Map<string, Watcher[]>();

  // expiry
  private readonly expiries: Expiry[];
  private readonly sweeper: NodeJS.Timeout | undefined;

  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private failed: Error | undefined;
  private readonly statsData: StoreStats = { commits: 0, writes: 0, maxBatch: 0, commitMs: 0 };

  static open(dir: string, opts: OpenStoreOptions): SqliteStoreImpl {
    const historySize = opts.historySize ?? DEFAULT_HISTORY_SIZE;
    if (!Number.isInteger(historySize) || historySize < 0) throw new RangeError(`historySize must be a non-negative integer, got ${historySize}`);
    const { file, worker, port1, flag } = takeOpening(resolve(dir), opts.quotaBytes ?? 0);
    // Block until the worker has opened and read the database: openStore() is synchronous.
    const waited = Atomics.wait(flag, 0, 0, OPEN_TIMEOUT_MS);
    const received = receiveMessageOnPort(port1);
    if (waited === 'timed-out' || !received) {
      void worker.terminate();
      port1.close();
      throw new Error(`opening ${file}: the store's commit worker did not start within ${OPEN_TIMEOUT_MS / 1000}s`);
    }
    const reply = received.message as StartupReply;
    if (!reply.ok) {
      port1.close();
      if (reply.code === 'SQLITE_BUSY' || reply.code === 'SQLITE_LOCKED') throw new StoreLockedError(file, reply.message);
      throw new Error(`opening ${file}: ${reply.message}`, { cause: reply });
    }
    for (const e of opts.expiring ?? []) {
      if (!(e.ttlMs > 0)) throw new RangeError(`ttlMs of ${e.prefix} must be positive, got ${e.ttlMs}`);
    }
    return new SqliteStoreImpl(file, worker, port1, reply.rows, reply.revision, historySize, opts.clock ?? (() => performance.now()), opts.onWatcherError, opts.expiring ?? []);
  }

  private constructor(
    readonly file: string,
    private readonly worker: Worker,
    private readonly port: MessagePort,
    rows: [string, number, string][],
    revision: number,
    historySize: number,
    private readonly clock: () => number,
    private readonly onWatcherError: ((error: unknown, prefix: string) => void) | undefined,
    expiring: readonly ExpiringPrefix[],
  ) {
    this.expiries = expiring.map((e) => ({ prefix: e.prefix, ttlMs: e.ttlMs, deadlines: new Map() }));
    let maxRv = revision;
    for (const [key, rv, text] of rows) {
      const obj = JSON.parse(text) as JsonObject;
      stampRv(obj, rv); // the rv column is authoritative
      this.values.set(key, { rv, obj: deepFreeze(obj) });
      this.keys.push(key);
      if (rv > maxRv) maxRv = rv;
    }
    this.keys.sort(compareKeys);
    this.objs = this.keys.map((k) => this.values.get(k)!.obj);
    const opened = clock();
    for (const key of this.keys) {
      const expiry = this.expiryOf(key);
      expiry?.deadlines.set(key, opened + expiry.ttlMs);
    }
    if (this.expiries.length > 0) {
      // Checking costs a peek per prefix; a quarter of the shortest TTL bounds how late a key goes.
      const every = Math.min(1000, Math.max(10, Math.min(...this.expiries.map((e) => e.ttlMs)) / 4));
      this.sweeper = setInterval(() => this.expireNow(), every);
      this.sweeper.unref();
    }
    this.committedRev = maxRv;
    this.nextRv = maxRv + 1;
    this.historySize = historySize;
    this.open = this.newBatch();
    port.on('message', (m: WorkerReply) => this.onReply(m));
    worker.on('error', (e) => this.failStop(new Error(`store commit worker crashed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => {
      if (!this.closing || this.inFlight) this.failStop(new Error(`store commit worker exited (code ${code})`));
    });
    worker.unref();
    port.unref(); // referenced only while a batch is at the worker, so an idle store never holds the process open
  }

  // ------------------------------------------------------------------ reads

  get revision(): number {
    return this.committedRev;
  }

  get oldestWatchableRevision(): number {
    const oldest = this.history[this.historyStart];
    return oldest ? oldest.rv - 1 : this.committedRev;
  }

  get size(): number {
    return this.values.size;
  }

  get stats(): Readonly<StoreStats> {
    return { ...this.statsData };
  }

  get failure(): Error | undefined {
    return this.failed;
  }

  get(key: string): JsonObject | undefined {
    return this.values.get(key)?.obj;
  }

  list(prefix: string): { items: JsonObject[]; revision: number } {
    this.ensureIndex();
    const keys = this.keys;
    const lo = lowerBound(keys, prefix);
    const after = prefixSuccessor(prefix);
    const hi = after === undefined ? keys.length : lowerBound(keys, after);
    return { items: this.objs.slice(lo, hi), revision: this.committedRev };
  }

  // ------------------------------------------------------------------ writes

  create(key: string, value: JsonObject): Promise<JsonObject> {
    return this.write('create', key, value, undefined);
  }

  update(key: string, value: JsonObject, expectedRv?: number): Promise<JsonObject> {
    return this.write('update', key, value, expectedRv);
  }

  delete(key: string, expectedRv?: number): Promise<JsonObject> {
    return this.write('delete', key, undefined, expectedRv);
  }

  private write(type: Op['type'], key: string, value: JsonObject | undefined, expectedRv: number | undefined): Promise<JsonObject> {
    if (this.failed) return Promise.reject(unavailable(key, `the store has failed and must be reopened: ${this.failed.message}`, this.failed));
    if (this.closing) return Promise.reject(unavailable(key, 'the store is closed'));
    if (typeof key !== 'string' || key === '') return Promise.reject(new TypeError(`store key must be a non-empty string, got ${String(key)}`));

    const cur = this.current(key);
    let refusal: StoreError | undefined;
    if (type === 'create') {
      if (cur) refusal = new StoreError('AlreadyExists', key, `${key} already exists`);
    } else if (!cur) {
      refusal = new StoreError('NotFound', key, `${key} not found`);
    } else if (expectedRv !== undefined && expectedRv !== cur.rv) {
      refusal = new StoreError('Conflict', key, `${key}: expected resourceVersion ${expectedRv}, stored is ${cur.rv}`);
    }

    let obj: JsonObject;
    let text: string | null;
    const rv = this.nextRv;
    if (refusal) {
      obj = EMPTY;
      text = null;
    } else if (type === 'delete') {
      const last = cur!.obj;
      const meta = isObject(last.metadata) ? last.metadata : {};
      obj = Object.freeze({ ...last, metadata: Object.freeze({ ...meta, resourceVersion: String(rv) }) });
      text = null;
    } else {
      try {
        ({ obj, text } = encode(value, rv));
      } catch (e) {
        return Promise.reject(e);
      }
    }

    return new Promise<JsonObject>((resolve, reject) => {
      if (refusal) {
        this.open.refusals.push({ error: refusal, reject });
      } else {
        this.nextRv = rv + 1;
        this.overlay.set(key, type === 'delete' ? { rv, obj: null } : { rv, obj });
        this.open.ops.push({ type, key, rv, obj, text, resolve, reject });
      }
      this.scheduleFlush();
    });
  }

  /** The newest accepted state of `key` (overlay over committed), or undefined if absent. */
  private current(key: string): Entry | undefined {
    const pending = this.overlay.get(key);
    if (pending) return pending.obj ? (pending as Entry) : undefined;
    return this.values.get(key);
  }

  private newBatch(): Batch {
    return { id: ++this.batchSeq, ops: [], refusals: [], sentAt: 0 };
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight) return; // an in-flight commit sends the open batch when it completes
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Sends the open batch to the worker if none is in flight; settles batches that have nothing to write. */
  private flush(): void {
    if (this.inFlight || this.failed) return;
    const batch = this.open;
    if (batch.ops.length === 0) {
      if (batch.refusals.length > 0) {
        this.open = this.newBatch();
        settleRefusals(batch);
      }
      this.checkDrained();
      return;
    }
    this.open = this.newBatch();
    this.inFlight = batch;
    const n = batch.ops.length;
    const keys = new Array<string>(n);
    const rvs = new Array<number>(n);
    const texts = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const op = batch.ops[i]!;
      keys[i] = op.key;
      rvs[i] = op.rv;
      texts[i] = op.text;
    }
    batch.sentAt = this.clock();
    this.port.ref();
    this.port.postMessage({ type: 'commit', id: batch.id, keys, rvs, texts, revision: batch.ops[n - 1]!.rv });
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'closed') return; // handled by close()
    const batch = this.inFlight;
    if (!batch || batch.id !== m.id) {
      this.failStop(new Error(`store commit worker acknowledged batch ${m.id}, expected ${batch?.id}`));
      return;
    }
    this.inFlight = undefined;
    this.port.unref();
    this.statsData.commitMs += this.clock() - batch.sentAt;
    if (m.type === 'committed') {
      this.applyCommitted(batch);
      this.flush(); // writes that arrived during the commit go out now
    } else if (m.fatal) {
      this.failStop(new Error(`store commit failed, outcome unknown until reopened: ${m.message}`, { cause: m }), batch);
    } else {
      this.rollBack(batch, new Error(`store commit failed and was rolled back: ${m.message}`, { cause: m }));
      this.checkDrained();
    }
  }

  private applyCommitted(batch: Batch): void {
    const events: StoreEvent[] = [];
    const touched = new Set<string>();
    for (const op of batch.ops) {
      const prev = this.values.get(op.key);
      let event: StoreEvent;
      if (op.type === 'delete') {
        this.values.delete(op.key);
        event = { type: 'DELETED', key: op.key, rv: op.rv, object: op.obj };
      } else {
        this.values.set(op.key, { rv: op.rv, obj: op.obj });
        if (prev) {
          event = { type: 'MODIFIED', key: op.key, rv: op.rv, object: op.obj, prev: prev.obj };
        } else {
          event = { type: 'ADDED', key: op.key, rv: op.rv, object: op.obj };
        }
      }
      events.push(Object.freeze(event));
      touched.add(op.key);
      const expiry = this.expiryOf(op.key);
      if (expiry) {
        // Re-inserted at the end: the Map stays in deadline order.
        expiry.deadlines.delete(op.key);
        if (op.type !== 'delete') expiry.deadlines.set(op.key, this.clock() + expiry.ttlMs);
      }
      const pending = this.overlay.get(op.key);
      if (pending && pending.rv === op.rv) this.overlay.delete(op.key); // no newer write to this key is pending
    }
    this.updateIndex(touched);
    this.committedRev = batch.ops[batch.ops.length - 1]!.rv;
    this.statsData.commits++;
    this.statsData.writes += batch.ops.length;
    if (batch.ops.length > this.statsData.maxBatch) this.statsData.maxBatch = batch.ops.length;
    this.record(events);
    this.notify(events);
    for (const op of batch.ops) op.resolve(op.obj);
    settleRefusals(batch);
  }

  /**
   * Index maintenance for the keys a batch touched. Updates of indexed keys patch the value in
   * place; a key created or deleted only marks the index stale, and the next list() re-sorts
   * once. A burst of 10,000 pod creations then costs one sort, not one rebuild per batch.
   */
  private updateIndex(touched: Set<string>): void {
    if (this.indexStale) return;
    const { keys, objs } = this;
    for (const k of touched) {
      const i = lowerBound(keys, k);
      const entry = this.values.get(k);
      if (keys[i] === k && entry) objs[i] = entry.obj;
      else if (keys[i] === k || entry) {
        this.indexStale = true;
        return;
      }
    }
  }

  private ensureIndex(): void {
    if (!this.indexStale) return;
    this.keys = [...this.values.keys()].sort(compareKeys);
    this.objs = this.keys.map((k) => this.values.get(k)!.obj);
    this.indexStale = false;
  }

  private record(events: StoreEvent[]): void {
    if (this.historySize === 0) return;
    for (const e of events) this.history.push(e);
    const excess = this.history.length - this.historyStart - this.historySize;
    if (excess > 0) this.historyStart += excess;
    // Compact occasionally rather than shifting on every event.
    if (this.historyStart > 4096 && this.historyStart * 2 > this.history.length) {
      this.history.splice(0, this.historyStart);
      this.historyStart = 0;
    }
  }

  private notify(events: StoreEvent[]): void {
    if (this.watchers.size === 0) return;
    for (const e of events) {
      const resource = resourcePrefixOf(e.key);
      // A watcher added meanwhile is not in the list, and wants no event of this batch (it
      // watches from the committed revision); one removed meanwhile is inactive.
      const candidates = resource === undefined ? this.watchers : this.watchersOf(resource);
      for (const w of candidates) {
        if (w.active && e.rv > w.lastRv && e.key.startsWith(w.prefix)) this.deliver(w, e);
      }
    }
  }

  /** The watchers whose prefix may match a key under `resource` (`/registry/pods/`), in order. */
  private watchersOf(resource: string): Watcher[] {
    let list = this.watchersByResource.get(resource);
    if (!list) {
      list = [];
      for (const w of this.watchers) if (w.prefix.startsWith(resource) || resource.startsWith(w.prefix)) list.push(w);
      this.watchersByResource.set(resource, list);
    }
    return list;
  }

  private deliver(w: Watcher, e: StoreEvent): void {
    w.lastRv = e.rv;
    try {
      w.onEvent(e);
    } catch (err) {
      // A throwing watcher is a bug in its owner: stop it, keep the others and the store going,
      // and surface the error as an uncaught exception.
      w.active = false;
      this.watchers.delete(w);
      this.watchersByResource.clear();
      const report = this.onWatcherError;
      if (report) report(err, w.prefix);
      else
        queueMicrotask(() => {
          throw err;
        });
    }
  }

  /** A clean failure: the database is as before `batch`; undo everything accepted since. */
  private rollBack(batch: Batch, cause: Error): void {
    const later = this.open;
    this.open = this.newBatch();
    this.overlay.clear();
    this.nextRv = this.committedRev + 1;
    for (const b of [batch, later]) {
      for (const op of b.ops) {
        op.reject(unavailable(op.key, b === batch ? cause.message : `rejected after a failed commit: ${cause.message}`, cause));
      }
      settleRefusals(b);
    }
  }

  /** An unknown outcome or a dead worker: refuse all writes from now on. */
  private failStop(error: Error, inFlight: Batch | undefined = this.inFlight): void {
    if (!this.failed) this.failed = error;
    const batches = [inFlight, this.open].filter((b): b is Batch => b !== undefined);
    this.inFlight = undefined;
    this.open = this.newBatch();
    this.overlay.clear();
    this.port.unref();
    for (const b of batches) {
      for (const op of b.ops) op.reject(unavailable(op.key, error.message, error));
      for (const r of b.refusals) r.reject(unavailable('', error.message, error));
    }
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.drained && !this.inFlight && this.open.ops.length === 0 && this.open.refusals.length === 0) {
      const done = this.drained;
      this.drained = undefined;
      done();
    }
  }

  // ------------------------------------------------------------------ expiry

  private expiryOf(key: string): Expiry | undefined {
    for (const e of this.expiries) if (key.startsWith(e.prefix)) return e;
    return undefined;
  }

  expireNow(): void {
    if (this.failed || this.closing) return;
    const now = this.clock();
    for (const expiry of this.expiries) {
      for (const [key, deadline] of expiry.deadlines) {
        if (deadline > now) break;
        expiry.deadlines.delete(key);
        const cur = this.current(key);
        // A write in flight renews the key when it commits.
        if (!cur || this.overlay.has(key)) continue;
        this.delete(key, cur.rv).catch(() => {
          // Refused (a concurrent write renewed it) or not made durable: if it is still there
          // unrenewed, try again on a later sweep.
          if (this.values.has(key) && !expiry.deadlines.has(key)) expiry.deadlines.set(key, now);
        });
      }
    }
  }

  // ------------------------------------------------------------------ watch

  watch(prefix: string, afterRv: number, onEvent: (e: StoreEvent) => void): () => void {
    const oldest = this.oldestWatchableRevision;
    if (afterRv < oldest) {
      throw new StoreError('Expired', prefix, `revision ${afterRv} is older than the oldest retained (${oldest}); relist and watch from the list's revision`);
    }
    const w: Watcher = { prefix, onEvent, lastRv: afterRv, active: true };
    // Replay synchronously: no commit can interleave, so replay + live delivery is gap-free.
    const start = this.historyStart;
    const first = this.history[start];
    if (first && afterRv < this.committedRev) {
      for (let i = start + Math.max(0, afterRv + 1 - first.rv); i < this.history.length && w.active; i++) {
        const e = this.history[i]!;
        if (e.key.startsWith(prefix)) this.deliver(w, e);
      }
    }
    if (w.active) {
      this.watchers.add(w);
      this.watchersByResource.clear();
    }
    return () => {
      w.active = false;
      if (this.watchers.delete(w)) this.watchersByResource.clear();
    };
  }

  // ------------------------------------------------------------------ close

  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.sweeper) clearInterval(this.sweeper);
    this.closing = (async () => {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        if (!this.flushScheduled) this.flush();
        this.checkDrained();
      });
      this.watchers.clear();
      this.watchersByResource.clear();
      if (this.failed) {
        await this.worker.terminate();
        this.port.close();
        return;
      }
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      const closed = new Promise<WorkerReply>((resolve) => this.port.once('message', resolve));
      this.worker.ref();
      this.port.ref();
      this.port.postMessage({ type: 'close' });
      // If the worker dies instead of answering, don't wait forever. (Its exit can be seen before
      // its last message is dispatched, so look in the port's queue before concluding it never came.)
      const reply = await Promise.race([
        closed,
        exited.then(
          (): WorkerReply =>
            (receiveMessageOnPort(this.port)?.message as WorkerReply | undefined) ?? {
              type: 'closed',
              error: { message: 'the commit worker exited before closing the database' },
            },
        ),
      ]);
      this.port.close();
      await exited;
      if (reply.type === 'closed' && reply.error) throw new Error(`closing ${this.file}: ${reply.error.message}`);
    })();
    return this.closing;
  }
}

// -------------------------------------------------------------------- helpers

const EMPTY: JsonObject = Object.freeze({});

function unavailable(key: string, message: string, cause?: Error): StoreUnavailableError {
  return new StoreUnavailableError(key, message, cause ? { cause } : undefined);
}

function settleRefusals(batch: Batch): void {
  for (const r of batch.refusals) r.reject(r.error);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The stored text of `value` stamped with `rv`, and a frozen deep copy equal to JSON.parse(text):
 * exactly what a restart would load. Only the top level and metadata are copied (shallowly) to
 * stamp the revision, so the caller's object is never touched.
 */
function encode(value: unknown, rv: number): { obj: JsonObject; text: string } {
  if (!isObject(value)) throw new TypeError(`store values must be JSON objects, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  const meta = value.metadata;
  const stamped = { ...value, metadata: { ...(isObject(meta) ? meta : {}), resourceVersion: String(rv) } };
  const text = JSON.stringify(stamped);
  const copy = jsonCopy(stamped);
  return { obj: copy === NOT_PLAIN ? deepFreeze(JSON.parse(text) as JsonObject) : (copy as JsonObject), text };
}

const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

/**
 * A frozen deep copy of plain JSON data (about twice as fast as JSON.parse + deepFreeze), or
 * NOT_PLAIN when anything would serialise differently from how it reads (undefined, functions,
 * non-finite numbers, -0, toJSON, class instances, sparse arrays, a `__proto__` key), in which
 * case the caller parses the JSON text instead.
 */
function jsonCopy(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : NOT_PLAIN;
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) {
        const n = v.length;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          if (!(i in v)) return NOT_PLAIN;
          const x = jsonCopy(v[i]);
          if (x === NOT_PLAIN) return NOT_PLAIN;
          out[i] = x;
        }
        return Object.freeze(out);
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        if (k === '__proto__') return NOT_PLAIN;
        const x = jsonCopy((v as Record<string, unknown>)[k]);
        if (x === NOT_PLAIN) return NOT_PLAIN;
        out[k] = x;
      }
      return Object.freeze(out);
    }
    default:
      return NOT_PLAIN; // undefined, function, symbol, bigint
  }
}

function stampRv(obj: JsonObject, rv: number): void {
  if (!isObject(obj.metadata)) obj.metadata = {};
  (obj.metadata as Record<string, unknown>).resourceVersion = String(rv);
}

/** Freezes a JSON value (objects and arrays) in place, recursively. */
export function deepFreeze<T>(v: T): T {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) deepFreeze(x);
    }
    Object.freeze(v);
  } else if (typeof v === 'object' && v !== null) {
    for (const k in v) {
      const x: unknown = (v as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null) deepFreeze(x);
    }
    Object.freeze(v);
  }
  return v;
}

/**
 * `/registry/pods/` of `/registry/pods/default/web`: a key up to and with its third `/`, or
 * undefined for a key without one (any key is valid; those are offered to every watcher).
 */
function resourcePrefixOf(key: string): string | undefined {
  const first = key.indexOf('/', 1);
  if (first === -1) return undefined;
  const second = key.indexOf('/', first + 1);
  return second === -1 ? undefined : key.slice(0, second + 1);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index whose key is ≥ `k`. */
function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The least string greater than every string that starts with `prefix` (keys compare by UTF-16
 * code units), or undefined when there is none (empty prefix, or all code units 0xFFFF).
 */
function prefixSuccessor(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}


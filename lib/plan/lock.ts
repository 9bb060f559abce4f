/**
 * The stack lock, like Terraform's state lock: a `coordination.k8s.io/v1` Lease
 * `kite-lock-<stack>` in `default`, in the cluster being changed. A second apply of the same
 * stack fails fast naming the holder.
 *
 * Held, the lock renews itself every third of its duration (as Kubernetes leader election renews
 * its Lease), each renewal a replace stating the resourceVersion it last saw: a renewal that finds
 * the Lease gone or changed by someone else aborts `lost` with LockLostError, and the apply stops
 * writing. A renewal that fails for another reason (the server briefly unreachable) is retried;
 * if none succeeded within the duration the lock counts as lost too (another run may take it).
 *
 * A lease not renewed within its duration has expired: its holder is dead (or cut off), so the
 * next run takes it over, as leader election does (with a resourceVersion precondition, so of
 * two runs taking it over one wins). A holder known to be gone (this host, its pid not running)
 * is not taken over before its lease expires (the pid check cannot see other pid namespaces):
 * the refusal says when it expires, and `forceUnlock` removes it whatever its state.
 */
import os from 'node:os';
import type { KubeObject } from '../api/meta.ts';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../kube/index.ts';
import { PARENT_NAMESPACE, STACK_ANNOTATION } from './inventory.ts';
import { refId, type ObjectRef } from './plan.ts';
import { formatMicroTime } from '../api/time.ts';
import { KiteError } from '../errors.ts';

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;
const DEFAULT_DURATION_SECONDS = 60;

export interface LockOptions {
  /** Who holds it, as other runs are told: default `user@host (pid N)`. */
  holder?: string;
  /** Expires unless renewed within this many seconds (default 60). */
  durationSeconds?: number;
  /** How often the held lock renews itself, in ms (default a third of the duration; 0: never, renew() by hand). */
  renewEveryMs?: number;
  /** The clock (tests). */
  now?: Date | (() => Date);
}

export interface LockInfo {
  stack: string;
  lease: ObjectRef;
  holder: string;
  /** When the holder took it (RFC 3339). */
  since: string | undefined;
  /** Last renewal (RFC 3339). */
  renewedAt: string | undefined;
  durationSeconds: number;
  /** When it expires unless renewed (undefined: no readable renew time, held until force-unlocked). */
  expiresAt: Date | undefined;
  /** Not renewed within its duration. */
  expired: boolean;
  /** The holder is a process of this host that no longer runs. */
  holderGone: boolean;
  /** The clock's time when this was read (messages say "in 42 s" from it). */
  readAt: Date;
}

export interface StackLock {
  readonly stack: string;
  readonly lease: ObjectRef;
  readonly holder: string;
  /** Aborted, with a LockLostError as its reason, when a renewal finds the lock lost. */
  readonly lost: AbortSignal;
  /** Extends the lease now; throws LockLostError if another run took it meanwhile. */
  renew(): Promise<void>;
  /**
   * Stops renewing and gives the lock up (only if still ours); true if it was removed. Throws
   * LockNotReleasedError, saying until when the lock stays, when the cluster could not be told.
   */
  release(): Promise<boolean>;
}

/** Someone else holds the stack's lock. */
export class LockedError extends KiteError {
  constructor(readonly info: LockInfo) {
    const since = info.since ? ` since ${secondsPrecision(info.since)}` : '';
    super(`stack ${info.stack} is locked by ${info.holder}${since} (Lease ${info.lease.namespace}/${info.lease.name}); ${advice(info)}`, {
      code: 'locked',
      object: refId(info.lease),
    });
  }
}

/** What the user can do about a held lock: wait for its expiry (a dead holder's), or force it. */
function advice(info: LockInfo): string {
  if (info.expired) return `it expired at ${clockTime(info.expiresAt!)}: run again to take it over, or run with --force-unlock`;
  if (info.holderGone && info.expiresAt) {
    return `that process is no longer running: the lock expires at ${expiry(info.expiresAt, info.readAt)}, when the next run takes it over, or run with --force-unlock now`;
  }
  return 'if that run is dead, run with --force-unlock';
}

/** The lock could not be given up (the cluster went away, say): it stays until it expires. */
export class LockNotReleasedError extends KiteError {
  constructor(stack: string, info: Pick<LockInfo, 'lease' | 'expiresAt' | 'readAt'>, cause: unknown) {
    const until = info.expiresAt ? `it expires at ${expiry(info.expiresAt, info.readAt)}` : 'it stays until removed';
    super(`the lock of stack ${stack} (Lease ${info.lease.namespace}/${info.lease.name}) could not be released: ${until}, or run with --force-unlock`, {
      code: 'lock-not-released',
      object: refId(info.lease),
      cause,
    });
  }
}

/** The lock was taken over (it had expired) or removed while this run held it. */
export class LockLostError extends KiteError {
  constructor(
    readonly stackName: string,
    readonly lease: ObjectRef,
    detail: string,
  ) {
    super(`lost the lock of stack ${stackName} (Lease ${lease.namespace}/${lease.name}): ${detail}`, { code: 'lock-lost', object: refId(lease) });
  }
}

export function leaseRef(stack: string): ObjectRef {
  return { ...LEASE, namespace: PARENT_NAMESPACE, name: `kite-lock-${stack}` };
}

export function defaultHolder(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? user;
  }
  return `${user}@${os.hostname()} (pid ${process.pid})`;
}

/** Takes the stack's lock, or throws LockedError naming who has it. The lock renews itself until released. */
export async function acquireLock(client: KubeClient, stack: string, opts: LockOptions = {}): Promise<StackLock> {
  const ref = leaseRef(stack);
  const holder = opts.holder ?? defaultHolder();
  const durationSeconds = opts.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const clock = clockOf(opts.now);

  const body = (transitions: number, rv?: string): KubeObject => {
    const t = formatMicroTime(clock());
    return {
      ...LEASE,
      metadata: { name: ref.name, namespace: ref.namespace!, annotations: { [STACK_ANNOTATION]: stack }, ...(rv ? { resourceVersion: rv } : {}) },
      spec: { holderIdentity: holder, leaseDurationSeconds: durationSeconds, acquireTime: t, renewTime: t, leaseTransitions: transitions },
    };
  };

  let lease: KubeObject | undefined;
  for (let attempt = 0; attempt < 3 && !lease; attempt++) {
    try {
      lease = await client.create<KubeObject>(body(0));
      break;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    let current: KubeObject;
    try {
      current = await client.get<KubeObject>(ref, ref.namespace, ref.name);
    } catch (e) {
      if (isNotFound(e)) continue; // released meanwhile: try creating again
      throw e;
    }
    const info = infoOf(stack, current, clock());
    if (!info.expired) throw new LockedError(info);
    // Expired: take it over, only if nobody else did first.
    const transitions = Number((current.spec as Record<string, unknown> | undefined)?.leaseTransitions ?? 0) + 1;
    try {
      lease = await client.replace<KubeObject>(body(transitions, current.metadata.resourceVersion));
    } catch (e) {
      if (!isConflict(e) && !isNotFound(e)) throw e;
      const now = await readLock(client, stack, { now: clock });
      if (now && !now.expired) throw new LockedError(now);
    }
  }
  if (!lease) {
    const now = await readLock(client, stack, { now: clock });
    if (now) throw new LockedError(now);
    throw new Error(`could not take the lock of stack ${stack} (Lease ${refId(ref)}): it kept changing`);
  }
  return new HeldLock(client, stack, holder, lease, durationSeconds, opts.renewEveryMs ?? (durationSeconds * 1000) / 3, clock);
}

/**
 * A lock this run holds. Renewals and the release run one after another (a release never races a
 * renewal with a resourceVersion the renewal is about to change).
 */
class HeldLock implements StackLock {
  readonly lease: ObjectRef;
  readonly #lost = new AbortController();
  readonly lost = this.#lost.signal;
  #current: KubeObject;
  #released = false;
  /** The last write to the Lease (renewal or release): the next one starts after it. */
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  /** When a renewal (or the acquisition) last succeeded, by the clock. */
  #renewedAt: number;

  constructor(
    private readonly client: KubeClient,
    readonly stack: string,
    readonly holder: string,
    lease: KubeObject,
    private readonly durationSeconds: number,
    private readonly renewEveryMs: number,
    private readonly clock: () => Date,
  ) {
    this.lease = leaseRef(stack);
    this.#current = lease;
    this.#renewedAt = clock().getTime();
    this.#schedule();
  }

  renew(): Promise<void> {
    return this.#serial(() => this.#renewNow());
  }

  release(): Promise<boolean> {
    clearTimeout(this.#timer);
    if (this.#released) return Promise.resolve(false);
    this.#released = true;
    return this.#serial(async () => {
      if (this.lost.aborted) return false;
      try {
        await this.client.delete(this.lease, this.lease.namespace, this.lease.name, {
          preconditions: { uid: this.#current.metadata.uid!, resourceVersion: this.#current.metadata.resourceVersion! },
        });
        return true;
      } catch (e) {
        if (isNotFound(e) || isConflict(e)) return false; // gone, or someone else's now
        // Held as last renewed: until the lease's own expiry, unless someone forces it.
        throw new LockNotReleasedError(this.stack, infoOf(this.stack, this.#current, this.clock()), e);
      }
    });
  }

  #serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(f, f);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #schedule(): void {
    if (this.renewEveryMs <= 0 || this.#released || this.lost.aborted) return;
    this.#timer = setTimeout(() => {
      this.renew().then(
        () => this.#schedule(),
        (e: unknown) => {
          if (e instanceof LockLostError) return;
          // Not a verdict on the lock (the server unreachable, say): try again, unless it has
          // gone unrenewed for its whole duration, when another run may rightly have taken it.
          const unrenewedMs = this.clock().getTime() - this.#renewedAt;
          if (unrenewedMs >= this.durationSeconds * 1000) this.#lose(`could not renew it for ${Math.round(unrenewedMs / 1000)} s: ${(e as Error)?.message ?? String(e)}`);
          else this.#schedule();
        },
      );
    }, this.renewEveryMs);
    this.#timer.unref?.();
  }

  async #renewNow(): Promise<void> {
    if (this.lost.aborted) throw this.lost.reason;
    if (this.#released) throw new LockLostError(this.stack, this.lease, 'it was released');
    const spec = { ...(this.#current.spec as Record<string, unknown>), renewTime: formatMicroTime(this.clock()) };
    try {
      const { managedFields: _server, ...metadata } = this.#current.metadata;
      this.#current = await this.client.replace<KubeObject>({ ...this.#current, metadata, spec });
      this.#renewedAt = this.clock().getTime();
    } catch (e) {
      if (!isConflict(e) && !isNotFound(e)) throw e;
      const other = await readLock(this.client, this.stack, { now: this.clock }).catch(() => undefined);
      throw this.#lose(other ? `it is now held by ${other.holder}` : 'it was removed (--force-unlock?)');
    }
  }

  #lose(detail: string): LockLostError {
    clearTimeout(this.#timer);
    const error = new LockLostError(this.stack, this.lease, detail);
    this.#lost.abort(error);
    return error;
  }
}

/** The stack's lock, if anyone holds it. */
export async function readLock(client: KubeClient, stack: string, opts: { now?: Date | (() => Date) } = {}): Promise<LockInfo | undefined> {
  const ref = leaseRef(stack);
  try {
    return infoOf(stack, await client.get<KubeObject>(ref, ref.namespace, ref.name), clockOf(opts.now)());
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Removes the stack's lock whoever holds it; returns what was removed. */
export async function forceUnlock(client: KubeClient, stack: string): Promise<LockInfo | undefined> {
  const ref = leaseRef(stack);
  const info = await readLock(client, stack);
  try {
    await client.delete(ref, ref.namespace, ref.name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  return info;
}

function infoOf(stack: string, lease: KubeObject, now: Date): LockInfo {
  const spec = (lease.spec ?? {}) as Record<string, unknown>;
  const holder = typeof spec.holderIdentity === 'string' && spec.holderIdentity ? spec.holderIdentity : '(unknown holder)';
  const since = typeof spec.acquireTime === 'string' ? spec.acquireTime : undefined;
  const renewedAt = typeof spec.renewTime === 'string' ? spec.renewTime : since;
  const durationSeconds = typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : DEFAULT_DURATION_SECONDS;
  const last = renewedAt ? Date.parse(renewedAt) : NaN;
  // A lease with no (readable) renew time is treated as held: only --force-unlock removes it.
  const expiresAt = Number.isFinite(last) ? new Date(last + durationSeconds * 1000) : undefined;
  const expired = !!expiresAt && expiresAt.getTime() < now.getTime();
  return { stack, lease: leaseRef(stack), holder, since, renewedAt, durationSeconds, expiresAt, expired, holderGone: holderGone(holder), readAt: now };
}

/** A `user@host (pid N)` holder of this host whose process no longer runs. */
function holderGone(holder: string): boolean {
  const m = /@([^@\s]+) \(pid (\d+)\)$/.exec(holder);
  if (!m || m[1] !== os.hostname()) return false;
  try {
    process.kill(Number(m[2]), 0); // signal 0: only asks whether the process exists
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: it runs, as another user
  }
}

function clockOf(now: Date | (() => Date) | undefined): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  return () => now;
}

/** `21:01:00`, the user's local time (what a terminal clock shows). */
function clockTime(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

/** `21:01:00 (in 58 s)` */
function expiry(at: Date, now: Date): string {
  return `${clockTime(at)} (in ${Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 1000))} s)`;
}

/** `2026-11-25T21:00:00.123456Z` → `2026-11-25T21:00:00Z` (for messages). */
function secondsPrecision(t: string): string {
  return t.replace(/\.\d+(Z|[+-]\d\d:\d\d)$/, '$1');
}

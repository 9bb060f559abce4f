/**
 * The stack lock, like Terraform's state lock: a `coordination.k8s.io/v1` Lease
 * `kite-lock-<stack>` in `default`, in the cluster being changed. A second apply of the same
 * stack fails fast naming the holder; a lease not renewed within its duration has expired and is
 * taken over (with a resourceVersion precondition, so of two runs taking it over one wins);
 * `forceUnlock` removes it whatever its state.
 */
import os from 'node:os';
import type { KubeObject } from '../api/meta.ts';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../kube/index.ts';
import { PARENT_NAMESPACE, STACK_ANNOTATION } from './inventory.ts';
import { refId, type ObjectRef } from './plan.ts';
import { formatMicroTime } from '../api/time.ts';
import { KiteError } from '../errors.ts';

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

export interface LockOptions {
  /** Who holds it, as other runs are told: default `user@host (pid N)`. */
  holder?: string;
  /** Expires unless renewed within this many seconds (default 60). */
  durationSeconds?: number;
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
  /** Not renewed within its duration. */
  expired: boolean;
}

export interface StackLock {
  readonly stack: string;
  readonly lease: ObjectRef;
  readonly holder: string;
  /** Extends the lease; throws LockLostError if another run took it meanwhile. Call during long waits. */
  renew(): Promise<void>;
  /** Gives the lock up (only if still ours); true if it was removed. */
  release(): Promise<boolean>;
}

/** Someone else holds the stack's lock. */
export class LockedError extends KiteError {
  constructor(readonly info: LockInfo) {
    const since = info.since ? ` since ${secondsPrecision(info.since)}` : '';
    super(`stack ${info.stack} is locked by ${info.holder}${since} (Lease ${info.lease.namespace}/${info.lease.name}); if that run is dead, run with --force-unlock`, {
      code: 'locked',
      object: refId(info.lease),
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

/** Takes the stack's lock, or throws LockedError naming who has it. */
export async function acquireLock(client: KubeClient, stack: string, opts: LockOptions = {}): Promise<StackLock> {
  const ref = leaseRef(stack);
  const holder = opts.holder ?? defaultHolder();
  const durationSeconds = opts.durationSeconds ?? 60;
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

  let current: KubeObject = lease;
  let released = false;
  return {
    stack,
    lease: ref,
    holder,
    async renew() {
      if (released) throw new LockLostError(stack, ref, 'it was released');
      const spec = { ...(current.spec as Record<string, unknown>), renewTime: formatMicroTime(clock()) };
      try {
        const { managedFields: _server, ...metadata } = current.metadata;
        current = await client.replace<KubeObject>({ ...current, metadata, spec });
      } catch (e) {
        if (isConflict(e) || isNotFound(e)) {
          const other = await readLock(client, stack, { now: clock }).catch(() => undefined);
          throw new LockLostError(stack, ref, other ? `it is now held by ${other.holder}` : 'it was removed (--force-unlock?)');
        }
        throw e;
      }
    },
    async release() {
      if (released) return false;
      released = true;
      try {
        await client.delete(ref, ref.namespace, ref.name, {
          preconditions: { uid: current.metadata.uid!, resourceVersion: current.metadata.resourceVersion! },
        });
        return true;
      } catch (e) {
        if (isNotFound(e) || isConflict(e)) return false; // gone, or someone else's now
        throw e;
      }
    },
  };
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
  const durationSeconds = typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : 60;
  const last = renewedAt ? Date.parse(renewedAt) : NaN;
  // A lease with no (readable) renew time is treated as held: only --force-unlock removes it.
  const expired = Number.isFinite(last) && last + durationSeconds * 1000 < now.getTime();
  return { stack, lease: leaseRef(stack), holder, since, renewedAt, durationSeconds, expired };
}

function clockOf(now: Date | (() => Date) | undefined): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  return () => now;
}


/** `2026-11-25T21:00:00.123456Z` → `2026-11-25T21:00:00Z` (for messages). */
function secondsPrecision(t: string): string {
  return t.replace(/\.\d+(Z|[+-]\d\d:\d\d)$/, '$1');
}

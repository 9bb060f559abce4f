/**
 * The stack lock (a Lease in `default`), against the real local runtime: a held lock refuses a
 * second run naming the holder; it renews itself, so it holds past its duration; an expired one is
 * taken over; renew/release only touch a lock still ours, and a lock found lost aborts `lost`;
 * a dead holder's lock says when it expires; force-unlock removes anyone's.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { LockedError, LockLostError, acquireLock, defaultHolder, forceUnlock, leaseRef, readLock } from '../../lib/plan/lock.ts';
import { eventually } from '../runtime/harness.ts';
import { runtimeForFile } from '../support/runtime-client.ts';

const env = runtimeForFile({ nodes: 1 });

const at = (iso: string) => () => new Date(iso);

async function lease(stack: string): Promise<KubeObject> {
  const ref = leaseRef(stack);
  return env.client.get<KubeObject>(ref, ref.namespace, ref.name);
}

describe('acquireLock', () => {
  it('creates a coordination.k8s.io/v1 Lease kite-lock-<stack> in default naming the holder', async () => {
    const lock = await acquireLock(env.client, 'shop', { holder: 'alice@laptop (pid 4242)', now: at('2026-11-25T21:00:00Z') });
    const l = await lease('shop');
    expect(l.apiVersion).toBe('coordination.k8s.io/v1');
    expect(l.metadata).toMatchObject({ name: 'kite-lock-shop', namespace: 'default' });
    expect(l.spec).toEqual({
      holderIdentity: 'alice@laptop (pid 4242)',
      leaseDurationSeconds: 60,
      acquireTime: '2026-11-25T21:00:00.000000Z',
      renewTime: '2026-11-25T21:00:00.000000Z',
      leaseTransitions: 0,
    });
    expect(await lock.release()).toBe(true);
    expect(await readLock(env.client, 'shop')).toBeUndefined();
  });

  it('refuses a second run while held, naming the holder and since when', async () => {
    const first = await acquireLock(env.client, 'shop', { holder: 'alice@laptop (pid 4242)', now: at('2026-11-25T21:00:00Z') });
    const err = await acquireLock(env.client, 'shop', { holder: 'bob@ci (pid 7)', now: at('2026-11-25T21:00:30Z') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as Error).message).toBe(
      'stack shop is locked by alice@laptop (pid 4242) since 2026-11-25T21:00:00Z (Lease default/kite-lock-shop); if that run is dead, run with --force-unlock',
    );
    expect((err as LockedError).info).toMatchObject({ stack: 'shop', holder: 'alice@laptop (pid 4242)', expired: false, durationSeconds: 60 });
    await first.release();
  });

  it('of two runs racing for the lock, exactly one gets it', async () => {
    const results = await Promise.allSettled(
      ['run-a', 'run-b', 'run-c'].map((holder) => acquireLock(env.client, 'race', { holder })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value;
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(LockedError);
      expect((l.reason as Error).message).toContain(`stack race is locked by ${winner.holder} since `);
    }
    await winner.release();
  });

  it('takes over an expired lock (not renewed within its duration), counting the transition', async () => {
    await acquireLock(env.client, 'old', { holder: 'dead@host (pid 1)', durationSeconds: 30, now: at('2026-11-25T21:00:00Z') });
    // Still held 29 s later...
    await expect(acquireLock(env.client, 'old', { holder: 'new@host (pid 2)', now: at('2026-11-25T21:00:29Z') })).rejects.toBeInstanceOf(LockedError);
    // ...expired after 30 s.
    const lock = await acquireLock(env.client, 'old', { holder: 'new@host (pid 2)', now: at('2026-11-25T21:00:31Z') });
    const l = await lease('old');
    expect(l.spec).toMatchObject({ holderIdentity: 'new@host (pid 2)', acquireTime: '2026-11-25T21:00:31.000000Z', leaseTransitions: 1 });
    await lock.release();
  });

  it('renews (extends) the lease; a lock taken over meanwhile is lost, and release leaves the new holder alone', async () => {
    let clock = new Date('2026-11-25T22:00:00Z');
    const mine = await acquireLock(env.client, 'renew', { holder: 'me', durationSeconds: 10, now: () => clock });
    clock = new Date('2026-11-25T22:00:08Z');
    await mine.renew();
    expect((await lease('renew')).spec).toMatchObject({ renewTime: '2026-11-25T22:00:08.000000Z', acquireTime: '2026-11-25T22:00:00.000000Z' });
    // Renewed at :08, so still held at :15.
    await expect(acquireLock(env.client, 'renew', { holder: 'other', now: at('2026-11-25T22:00:15Z') })).rejects.toBeInstanceOf(LockedError);
    const other = await acquireLock(env.client, 'renew', { holder: 'other', now: at('2026-11-25T22:00:19Z') });
    const lost = await mine.renew().catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(LockLostError);
    expect((lost as Error).message).toBe('lost the lock of stack renew (Lease default/kite-lock-renew): it is now held by other');
    expect(await mine.release()).toBe(false);
    expect((await readLock(env.client, 'renew'))?.holder).toBe('other');
    await other.release();
  });

  it('force-unlock removes a lock whoever holds it, and says whose it was', async () => {
    await acquireLock(env.client, 'stuck', { holder: 'crashed@host (pid 99)' });
    const removed = await forceUnlock(env.client, 'stuck');
    expect(removed).toMatchObject({ holder: 'crashed@host (pid 99)', stack: 'stuck' });
    expect(await readLock(env.client, 'stuck')).toBeUndefined();
    expect(await forceUnlock(env.client, 'stuck')).toBeUndefined();
    const again = await acquireLock(env.client, 'stuck');
    expect(again.holder).toBe(defaultHolder());
    expect(again.holder).toMatch(/^.+@.+ \(pid \d+\)$/);
    await again.release();
  });

  it('renews itself every third of its duration: held three durations long, a second run is refused the whole time', async () => {
    const mine = await acquireLock(env.client, 'held', { holder: 'long@apply (pid 1)', durationSeconds: 2 });
    try {
      const acquired = Date.parse(((await lease('held')).spec as { acquireTime: string }).acquireTime);
      let refusals = 0;
      let granted = 0;
      // Until the lease was renewed past three durations after it was taken, each try is refused.
      await eventually(
        async () => {
          const got = await acquireLock(env.client, 'held', { holder: 'second@apply (pid 2)' }).catch((e: unknown) => e as Error);
          if (got instanceof LockedError) refusals++;
          else if (got instanceof Error) throw got;
          else {
            granted++;
            await got.release();
          }
          return Date.parse(((await lease('held')).spec as { renewTime: string }).renewTime) > acquired + 6000;
        },
        { timeoutMs: 20_000, what: 'the lease renewed past three durations' },
      ).catch((e: unknown) => {
        throw new Error(`${(e as Error).message} (${refusals} refusals)`);
      });
      expect(granted).toBe(0);
      expect(refusals).toBeGreaterThan(3);
      expect(mine.lost.aborted).toBe(false);
    } finally {
      expect(await mine.release()).toBe(true);
    }
    expect(await readLock(env.client, 'held')).toBeUndefined();
  }, 30_000);

  it('a renewal that finds the lock removed aborts `lost` with LockLostError', async () => {
    const mine = await acquireLock(env.client, 'lost', { holder: 'me', durationSeconds: 1 });
    await forceUnlock(env.client, 'lost');
    await eventually(() => mine.lost.aborted, { what: 'the lock found lost' });
    expect(mine.lost.reason).toBeInstanceOf(LockLostError);
    expect((mine.lost.reason as Error).message).toBe('lost the lock of stack lost (Lease default/kite-lock-lost): it was removed (--force-unlock?)');
    expect(await mine.release()).toBe(false);
  });

  it('a lock whose holder (this host, its pid) is gone says when it expires and suggests --force-unlock', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // exited: its pid runs nothing now
    const holder = `ghost@${os.hostname()} (pid ${dead})`;
    await acquireLock(env.client, 'ghost', { holder, renewEveryMs: 0, now: at('2026-11-25T21:00:00Z') });
    const err = await acquireLock(env.client, 'ghost', { holder: 'me', now: at('2026-11-25T21:00:18Z') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    const expires = new Date('2026-11-25T21:01:00Z').toTimeString().slice(0, 8); // the user's local time
    expect((err as Error).message).toBe(
      `stack ghost is locked by ${holder} since 2026-11-25T21:00:00Z (Lease default/kite-lock-ghost); that process is no longer running: the lock expires at ${expires} (in 42 s), when the next run takes it over, or run with --force-unlock now`,
    );
    expect((err as LockedError).info).toMatchObject({ holderGone: true, expired: false });
    // A live holder of this host (this very process) is not gone.
    const live = await acquireLock(env.client, 'alive', { renewEveryMs: 0 });
    const refused = await acquireLock(env.client, 'alive', { holder: 'me' }).catch((e: unknown) => e);
    expect((refused as LockedError).info.holderGone).toBe(false);
    expect((refused as Error).message).toMatch(/; if that run is dead, run with --force-unlock$/);
    await live.release();
    await forceUnlock(env.client, 'ghost');
  });
});

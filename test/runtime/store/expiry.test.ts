// Keys under an expiring prefix (Events) are deleted a TTL after their last write, through the
// ordinary write path: watchers see DELETED, as for an etcd lease expiry. A manual clock drives
// the sweeps (expireNow) so nothing here waits on wall time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../../runtime/store/sqlite-store.ts';
import type { StoreEvent } from '../../../runtime/store/types.ts';

let dir: string;
let now: number;
let store: SqliteStore;
const TTL = 1000;
const open = () => openStore(dir, { clock: () => now, expiring: [{ prefix: '/registry/events/', ttlMs: TTL }] });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-expiry-'));
  now = 0;
  store = open();
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sweeps, then waits for the deletes it issued to commit (a later write shares or follows their batch). */
async function expire(): Promise<void> {
  store.expireNow();
  await store.create(`/registry/other/${Math.random()}`, {});
}

describe('expiring keys', () => {
  it('deletes a key a TTL after its last write, and only keys under the prefix', async () => {
    await store.create('/registry/events/default/a', { n: 1 });
    await store.create('/registry/pods/default/a', { n: 1 });
    now = TTL - 1;
    await expire();
    expect(store.get('/registry/events/default/a')).toBeDefined();
    now = TTL;
    await expire();
    expect(store.get('/registry/events/default/a')).toBeUndefined();
    expect(store.get('/registry/pods/default/a')).toBeDefined();
  });

  it('an update renews the TTL', async () => {
    await store.create('/registry/events/default/a', { n: 1 });
    await store.create('/registry/events/default/b', { n: 1 });
    now = 600;
    await store.update('/registry/events/default/a', { n: 2 });
    now = 1200;
    await expire();
    expect(store.get('/registry/events/default/a')).toBeDefined();
    expect(store.get('/registry/events/default/b')).toBeUndefined();
    now = 1600;
    await expire();
    expect(store.get('/registry/events/default/a')).toBeUndefined();
  });

  it('watchers see the expiry as DELETED', async () => {
    const seen: StoreEvent[] = [];
    const stop = store.watch('/registry/events/', store.revision, (e) => seen.push(e));
    await store.create('/registry/events/default/a', { n: 1 });
    now = TTL;
    await expire();
    stop();
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('keys loaded from disk get a full TTL from the open', async () => {
    await store.create('/registry/events/default/a', { n: 1 });
    await store.close();
    now = 10 * TTL;
    store = open();
    await expire();
    expect(store.get('/registry/events/default/a')).toBeDefined();
    now = 11 * TTL;
    await expire();
    expect(store.get('/registry/events/default/a')).toBeUndefined();
  });
});

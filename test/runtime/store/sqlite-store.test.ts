// The SQLite store against real database files in temp directories: CRUD and preconditions,
// revisions across reopen, list order, watch (replay, live, Expired, restart), group commit,
// read-only values, close, a rolled-back commit (quota) and the single-owner lock.
// The crash test (real SIGKILLs) is in crash.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, startStoreOpen, type OpenStoreOptions, type SqliteStore } from '../../../runtime/store/sqlite-store.ts';
import { loadSqlite } from '../../../runtime/store/sqlite-driver.ts';
import { StoreError, StoreUnavailableError, type JsonObject, type StoreEvent } from '../../../runtime/store/types.ts';

const dirs: string[] = [];
const stores: SqliteStore[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kite-store-'));
  dirs.push(d);
  return d;
}

function open(dir: string, opts?: OpenStoreOptions): SqliteStore {
  const s = openStore(dir, opts);
  stores.push(s);
  return s;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pod = (name: string, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  ...extra,
});
const key = (name: string, ns = 'default') => `/registry/pods/${ns}/${name}`;
const rvOf = (o: JsonObject | undefined) => (o?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;

async function refusal(p: Promise<unknown>): Promise<StoreError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StoreError);
  return e as StoreError;
}

/** Lets the store's setImmediate flush run: the open batch is then at the commit worker. */
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('CRUD', () => {
  it('creates, reads, updates and deletes, stamping resourceVersion without touching the input', async () => {
    const s = open(tempDir());
    expect(s.revision).toBe(0);
    const input = pod('web');
    const created = await s.create(key('web'), input);
    expect(rvOf(created)).toBe('1');
    expect(created).toMatchObject({ kind: 'Pod', metadata: { name: 'web', namespace: 'default' } });
    expect(input.metadata).toEqual({ name: 'web', namespace: 'default' }); // not mutated
    (input.metadata as Record<string, unknown>).name = 'changed'; // nor retained
    expect(s.get(key('web'))).toBe(created);
    expect(s.revision).toBe(1);

    const updated = await s.update(key('web'), { ...pod('web'), spec: { nodeName: 'n1' } }, 1);
    expect(rvOf(updated)).toBe('2');
    expect(s.get(key('web'))).toEqual(updated);

    const deleted = await s.delete(key('web'), 2);
    expect(rvOf(deleted)).toBe('3');
    expect(deleted.spec).toEqual({ nodeName: 'n1' }); // the last state
    expect(s.get(key('web'))).toBeUndefined();
    expect(s.revision).toBe(3);
  });

  it('ignores a resourceVersion sent by the caller and adds metadata when missing', async () => {
    const s = open(tempDir());
    const a = await s.create('/a', { metadata: { name: 'a', resourceVersion: '999' } });
    expect(rvOf(a)).toBe('1');
    const b = await s.create('/b', { data: 1 });
    expect(b).toEqual({ data: 1, metadata: { resourceVersion: '2' } });
  });

  it('stores JSON: undefined fields are dropped exactly as a restart would drop them', async () => {
    const dir = tempDir();
    const s = open(dir);
    const v = await s.create('/a', { metadata: { name: 'a' }, gone: undefined, when: new Date(0) });
    expect('gone' in v).toBe(false);
    expect(v.when).toBe('1970-01-01T00:00:00.000Z');
    await s.close();
    expect(open(dir).get('/a')).toEqual(v);
  });

  it('holds in memory exactly what a restart loads, for plain and awkward JSON alike', async () => {
    const dir = tempDir();
    const s = open(dir);
    class Custom {
      x = 1;
    }
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const values: JsonObject[] = [
      { metadata: { name: 'plain', labels: { a: 'b' } }, spec: { n: [1, 2.5, -3, true, null, 'é😀'], deep: { e: {} } } },
      { metadata: 'not an object', a: undefined, b: [undefined, () => 1], c: NaN, d: -0, e: Infinity },
      { date: new Date(86_400_000), custom: new Custom(), map: new Map([[1, 2]]), sparse },
      JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as JsonObject,
      Object.assign(Object.create(null) as JsonObject, { nullProto: { x: 1 } }),
      { lone: '\ud800x', nested: { toJSON: () => 'replaced' } },
    ];
    const stored: JsonObject[] = [];
    for (const [i, v] of values.entries()) stored.push(await s.create(`/v/${i}`, v));
    await s.close();
    const again = open(dir);
    for (const [i, v] of stored.entries()) {
      const loaded = again.get(`/v/${i}`)!;
      expect(JSON.stringify(v)).toBe(JSON.stringify(loaded));
      expect(v).toStrictEqual(loaded);
      expect(Object.isFrozen(v)).toBe(true);
    }
    expect(stored[3]!.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(stored[3])).toBe(Object.prototype);
    expect(stored[1]!.metadata).toEqual({ resourceVersion: '2' });
    expect(stored[1]!.b).toEqual([null, null]);
    expect(stored[2]!.date).toBe('1970-01-02T00:00:00.000Z');
  });

  it('rejects values that are not JSON objects', async () => {
    const s = open(tempDir());
    await expect(s.create('/a', [] as unknown as JsonObject)).rejects.toThrow(TypeError);
    await expect(s.create('/a', 'x' as unknown as JsonObject)).rejects.toThrow(TypeError);
    const circular: JsonObject = {};
    circular.self = circular;
    await expect(s.create('/a', circular)).rejects.toThrow(TypeError);
    await expect(s.create('', {})).rejects.toThrow(TypeError);
    expect(s.revision).toBe(0);
  });
});

describe('preconditions', () => {
  it('AlreadyExists, NotFound and Conflict, as StoreErrors naming the key', async () => {
    const s = open(tempDir());
    await s.create(key('a'), pod('a'));
    const exists = await refusal(s.create(key('a'), pod('a')));
    expect(exists.reason).toBe('AlreadyExists');
    expect(exists.key).toBe(key('a'));
    expect((await refusal(s.update(key('nope'), pod('nope')))).reason).toBe('NotFound');
    expect((await refusal(s.delete(key('nope')))).reason).toBe('NotFound');
    expect((await refusal(s.update(key('a'), pod('a'), 7))).reason).toBe('Conflict');
    expect((await refusal(s.delete(key('a'), 7))).reason).toBe('Conflict');
    expect(s.revision).toBe(1); // refusals write nothing
    // Without expectedRv, update and delete are unconditional.
    expect(rvOf(await s.update(key('a'), pod('a')))).toBe('2');
    expect(rvOf(await s.delete(key('a')))).toBe('3');
  });

  it('are exact within one batch: later writes see earlier ones', async () => {
    const s = open(tempDir());
    const base = await s.create(key('a'), pod('a')); // rv 1
    // All issued in the same turn: one transaction.
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>) =>
      p.then(
        (v) => (order.push(`${name}:ok`), v),
        (e: StoreError) => (order.push(`${name}:${e.reason}`), e),
      );
    const results = await Promise.all([
      track('create-b', s.create(key('b'), pod('b'))), // rv 2
      track('create-b-again', s.create(key('b'), pod('b'))), // AlreadyExists (sees the pending create)
      track('update-a', s.update(key('a'), pod('a', { spec: { v: 1 } }), 1)), // rv 3
      track('update-a-stale', s.update(key('a'), pod('a', { spec: { v: 2 } }), 1)), // Conflict (a is now at 3)
      track('update-a-fresh', s.update(key('a'), pod('a', { spec: { v: 3 } }), 3)), // rv 4
      track('delete-b', s.delete(key('b'), 2)), // rv 5
      track('recreate-b', s.create(key('b'), pod('b', { spec: { v: 'new' } }))), // rv 6
      track('update-c', s.update(key('c'), pod('c'))), // NotFound
    ]);
    expect(order).toEqual([
      'create-b:ok',
      'update-a:ok',
      'update-a-fresh:ok',
      'delete-b:ok',
      'recreate-b:ok',
      'create-b-again:AlreadyExists',
      'update-a-stale:Conflict',
      'update-c:NotFound',
    ]); // refusals are settled with their batch, after its writes are durable
    expect(s.stats.commits).toBe(2);
    expect(rvOf(results[6] as JsonObject)).toBe('6');
    expect(s.get(key('a'))!.spec).toEqual({ v: 3 });
    expect(s.get(key('b'))!.spec).toEqual({ v: 'new' });
    expect(s.revision).toBe(6);
    expect(base).not.toBe(s.get(key('a')));
  });
});

describe('revisions', () => {
  it('are global, contiguous and continue after reopen, even when the last write was a delete', async () => {
    const dir = tempDir();
    let s = open(dir);
    const rvs: string[] = [];
    for (const n of ['a', 'b', 'c']) rvs.push(rvOf(await s.create(key(n), pod(n)))!);
    rvs.push(rvOf(await s.update(key('a'), pod('a')))!);
    rvs.push(rvOf(await s.delete(key('c')))!);
    expect(rvs).toEqual(['1', '2', '3', '4', '5']);
    await s.close();

    s = open(dir);
    expect(s.revision).toBe(5);
    expect(s.size).toBe(2);
    expect(rvOf(s.get(key('a')))).toBe('4');
    expect(rvOf(await s.create(key('c'), pod('c')))).toBe('6');
    await s.close();
    s = open(dir);
    expect(s.revision).toBe(6);
  });
});

describe('list', () => {
  it('returns the values under a prefix in key order, with the revision', async () => {
    const s = open(tempDir());
    const names = ['web-2', 'db', 'web-10', 'web-1', 'api', 'z'];
    for (const n of names) await s.create(key(n), pod(n));
    await s.create(key('x', 'default2'), pod('x'));
    await s.create('/registry/services/default/web', { metadata: { name: 'web' } });
    const { items, revision } = s.list('/registry/pods/default/');
    expect(items.map((o) => (o.metadata as { name: string }).name)).toEqual([...names].sort());
    expect(revision).toBe(8);
    expect(s.list('/registry/pods/').items).toHaveLength(7);
    expect(s.list('/registry/pods/default').items).toHaveLength(7); // prefix, not path segment
    expect(s.list('/registry/nothing/').items).toEqual([]);
    expect(s.list('').items).toHaveLength(8);
    expect(s.list(key('web-1')).items.map((o) => rvOf(o))).toEqual(['4', '3']); // web-1, web-10
  });

  it('stays equal to a model under random batches of creates, deletes and recreates, and after reopen', async () => {
    const dir = tempDir();
    let s = open(dir);
    const model = new Map<string, number>();
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 40; round++) {
      const size = rand(3) === 0 ? 100 + rand(200) : 1 + rand(20); // both index paths
      const ps: Promise<unknown>[] = [];
      const pending = new Map(model);
      for (let i = 0; i < size; i++) {
        const k = `/k/${String(rand(300)).padStart(3, '0')}`;
        const v = round * 1000 + i;
        if (pending.has(k) && rand(2) === 0) {
          pending.delete(k);
          ps.push(s.delete(k));
        } else if (pending.has(k)) {
          pending.set(k, v);
          ps.push(s.update(k, { v }));
        } else {
          pending.set(k, v);
          ps.push(s.create(k, { v }));
        }
      }
      await Promise.all(ps);
      for (const [k, v] of pending) model.set(k, v);
      for (const k of model.keys()) if (!pending.has(k)) model.delete(k);
      const expected = [...model.keys()].sort();
      const { items } = s.list('/k/');
      expect(items.map((o) => o.v)).toEqual(expected.map((k) => model.get(k)));
      if (round % 10 === 9) {
        await s.close();
        s = open(dir);
      }
    }
  });

  it('lists 10,000 objects under one prefix', async () => {
    const s = open(tempDir());
    const ps: Promise<unknown>[] = [];
    for (let i = 0; i < 10_000; i++) ps.push(s.create(key(`pod-${i}`), pod(`pod-${i}`)));
    await Promise.all(ps);
    await s.create(key('other', 'kube-system'), pod('other'));
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      n = s.list('/registry/pods/default/').items.length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    expect(n).toBe(10_000);
    console.log(`listed 10,000 objects in ${times[10]!.toFixed(2)} ms (median of 21)`); // printed, not asserted: timing is the bench's
  });
});

describe('watch', () => {
  it('offers every event to exactly the watchers whose prefix it starts with, whatever the prefix, as they come and go', async () => {
    const s = open(tempDir());
    const prefixes = ['/', '/registry/', '/registry/po', '/registry/pods/', '/registry/pods/default/', '/registry/services/', '/a', '/a/b/'];
    const seen = new Map<string, string[]>(prefixes.map((p) => [p, []]));
    const stops = prefixes.map((p) => s.watch(p, s.revision, (e) => seen.get(p)!.push(`${e.type} ${e.key}`)));
    const keys = ['/registry/pods/default/a', '/registry/pods/other/b', '/registry/services/default/a', '/registry/pods', '/registry/nodes/n1', '/a', '/a/b/c', '/b'];
    for (const k of keys) await s.create(k, { metadata: { name: 'x' } });
    stops[3]!(); // '/registry/pods/' goes; a later watcher of the same resource comes
    const late: string[] = [];
    s.watch('/registry/pods/other/', s.revision, (e) => late.push(e.key));
    for (const k of keys) await s.update(k, { metadata: { name: 'y' } });
    for (const p of prefixes) {
      const want = keys.filter((k) => k.startsWith(p));
      const expected = [...want.map((k) => `ADDED ${k}`), ...(p === '/registry/pods/' ? [] : want.map((k) => `MODIFIED ${k}`))];
      expect(seen.get(p), p).toEqual(expected);
    }
    expect(late).toEqual(['/registry/pods/other/b']);
  });

  it('replays retained history after afterRv, then streams live events, filtered by prefix', async () => {
    const s = open(tempDir());
    await s.create(key('a'), pod('a')); // 1
    await s.create('/registry/services/default/a', { metadata: { name: 'a' } }); // 2
    await s.update(key('a'), pod('a', { spec: { v: 2 } })); // 3
    const seen: StoreEvent[] = [];
    const stop = s.watch('/registry/pods/', 1, (e) => seen.push(e));
    expect(seen.map((e) => [e.type, e.rv])).toEqual([['MODIFIED', 3]]); // replayed synchronously
    expect(seen[0]!.prev).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ resourceVersion: '1' }) }));

    await s.create(key('b'), pod('b')); // 4
    await s.create('/registry/services/default/b', {}); // 5 (other prefix)
    const last = await s.update(key('a'), pod('a', { spec: { v: 6 } })); // 6
    await s.delete(key('a')); // 7
    expect(seen.map((e) => [e.type, e.key, e.rv])).toEqual([
      ['MODIFIED', key('a'), 3],
      ['ADDED', key('b'), 4],
      ['MODIFIED', key('a'), 6],
      ['DELETED', key('a'), 7],
    ]);
    const del = seen[3]!;
    expect(rvOf(del.object)).toBe('7'); // the deletion's rv
    expect(del.object.spec).toEqual(last.spec); // on the last state
    expect(seen[2]!.prev).toBe(seen[0]!.object);

    stop();
    await s.create(key('c'), pod('c'));
    expect(seen).toHaveLength(4);

    const all: number[] = [];
    s.watch('', 0, (e) => all.push(e.rv)); // from the beginning
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('notifies watchers only after the commit, in revision order, before the writers resume', async () => {
    const s = open(tempDir());
    const log: string[] = [];
    s.watch('/', 0, (e) => log.push(`event ${e.rv} (revision ${s.revision}, get ${rvOf(s.get(e.key)) ?? '-'})`));
    const p1 = s.create('/a', {}).then(() => log.push('ack 1'));
    const p2 = s.create('/b', {}).then(() => log.push('ack 2'));
    const p3 = s.delete('/a').then(() => log.push('ack 3'));
    expect(s.get('/a')).toBeUndefined(); // accepted, not durable: invisible
    expect(s.revision).toBe(0);
    expect(log).toEqual([]);
    await Promise.all([p1, p2, p3]);
    expect(log).toEqual([
      'event 1 (revision 3, get -)',
      'event 2 (revision 3, get 2)',
      'event 3 (revision 3, get -)',
      'ack 1',
      'ack 2',
      'ack 3',
    ]);
  });

  it('throws Expired for a revision older than the retained history', async () => {
    const s = open(tempDir(), { historySize: 5 });
    expect(s.oldestWatchableRevision).toBe(0);
    for (let i = 1; i <= 10; i++) await s.create(`/k/${i}`, {});
    expect(s.oldestWatchableRevision).toBe(5); // events 6..10 retained
    let err: unknown;
    try {
      s.watch('/k/', 4, () => {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('Expired');
    const rvs: number[] = [];
    s.watch('/k/', 5, (e) => rvs.push(e.rv));
    expect(rvs).toEqual([6, 7, 8, 9, 10]);
  });

  it('keeps a long history bounded and replays from any retained point', async () => {
    const s = open(tempDir(), { historySize: 1000 });
    for (let round = 0; round < 12; round++) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => s.create(`/k/${round}/${i}`, {})));
    }
    expect(s.revision).toBe(12_000);
    expect(s.oldestWatchableRevision).toBe(11_000);
    const rvs: number[] = [];
    s.watch('/k/', 11_500, (e) => rvs.push(e.rv));
    expect(rvs).toHaveLength(500);
    expect(rvs[0]).toBe(11_501);
    expect(() => s.watch('/k/', 10_999, () => {})).toThrow(StoreError);
  });

  it('after a restart: history is empty, watching from the current revision works, older is Expired', async () => {
    const dir = tempDir();
    let s = open(dir);
    for (let i = 1; i <= 3; i++) await s.create(`/k/${i}`, {});
    await s.close();
    s = open(dir);
    expect(s.revision).toBe(3);
    expect(s.oldestWatchableRevision).toBe(3);
    expect(() => s.watch('/k/', 2, () => {})).toThrow(expect.objectContaining({ reason: 'Expired' }));
    const seen: StoreEvent[] = [];
    s.watch('/k/', 3, (e) => seen.push(e));
    expect(seen).toEqual([]);
    await s.update('/k/1', { x: 1 }, 1);
    expect(seen.map((e) => [e.type, e.rv, rvOf(e.prev)])).toEqual([['MODIFIED', 4, '1']]);
    expect(s.oldestWatchableRevision).toBe(3);
  });

  it('delivers each event once to a watch started from inside a callback', async () => {
    const s = open(tempDir());
    const inner: number[] = [];
    let started = false;
    s.watch('/', 0, (e) => {
      if (!started && e.rv === 2) {
        started = true;
        s.watch('/', 0, (e2) => inner.push(e2.rv)); // replays 1..3 (all recorded), then live
      }
    });
    await Promise.all([s.create('/a', {}), s.create('/b', {}), s.create('/c', {})]);
    await s.create('/d', {});
    expect(inner).toEqual([1, 2, 3, 4]);
  });

  it('stops a watcher whose callback throws and keeps the others', async () => {
    const errors: unknown[] = [];
    const s = open(tempDir(), { onWatcherError: (e) => errors.push(e) });
    const good: number[] = [];
    let bad = 0;
    s.watch('/', 0, () => {
      bad++;
      throw new Error('boom');
    });
    s.watch('/', 0, (e) => good.push(e.rv));
    await Promise.all([s.create('/a', {}), s.create('/b', {})]);
    await s.create('/c', {});
    expect(bad).toBe(1);
    expect(good).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);
  });
});

describe('group commit', () => {
  it('puts writes issued in the same turn into one transaction; all land and survive reopen', async () => {
    const dir = tempDir();
    let s = open(dir);
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => s.create(`/k/${String(i).padStart(4, '0')}`, { i })));
    const rvs = results.map((o) => Number(rvOf(o)));
    expect(rvs).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1)); // arrival order
    expect(s.stats).toMatchObject({ commits: 1, writes: 2000, maxBatch: 2000 });
    await s.close();
    s = open(dir);
    expect(s.size).toBe(2000);
    expect(s.list('/k/').items.map((o) => o.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('batches concurrent writers that each await their previous write', async () => {
    const dir = tempDir();
    const s = open(dir);
    const writers = 50;
    const perWriter = 20;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        let rv = Number(rvOf(await s.create(`/w/${w}`, { n: 0 })));
        for (let n = 1; n < perWriter; n++) rv = Number(rvOf(await s.update(`/w/${w}`, { n }, rv)));
      }),
    );
    expect(s.stats.writes).toBe(writers * perWriter);
    expect(s.stats.commits).toBeLessThanOrEqual(perWriter * 3); // ~one transaction per round, not per write
    expect(s.revision).toBe(writers * perWriter);
    expect(s.list('/w/').items.every((o) => o.n === perWriter - 1)).toBe(true);
  });

  it('accepts writes while a commit is in progress and sends them as the next batch', async () => {
    const s = open(tempDir());
    const first = s.create('/a', {});
    await nextTurn(); // the batch holding /a is now at the commit worker
    const second = [s.create('/b', {}), s.update('/a', { v: 1 }, 1)]; // sees the in-flight create
    await Promise.all([first, ...second]);
    expect(s.stats.commits).toBe(2);
    expect(s.get('/a')!.v).toBe(1);
  });
});

describe('values are read-only', () => {
  it('freezes what get, list, writes and watch events return', async () => {
    const s = open(tempDir());
    const events: StoreEvent[] = [];
    s.watch('/', 0, (e) => events.push(e));
    const created = await s.create('/a', { metadata: { name: 'a', labels: { app: 'x' } }, spec: { list: [{ n: 1 }] } });
    await s.update('/a', { metadata: { name: 'a' }, spec: { list: [] } });
    const deleted = await s.delete('/a');
    await s.create('/b', { metadata: { name: 'b' }, spec: { list: [{ n: 2 }] } });
    const got = s.get('/b')!;
    const listed = s.list('/').items[0]!;
    for (const v of [created, deleted, got, listed, ...events.map((e) => e.object), events[1]!.prev!]) {
      expect(Object.isFrozen(v)).toBe(true);
      expect(Object.isFrozen(v.metadata)).toBe(true);
      expect(() => {
        (v.metadata as Record<string, unknown>).name = 'mutated';
      }).toThrow(TypeError);
      expect(() => {
        (v as Record<string, unknown>).extra = 1;
      }).toThrow(TypeError);
    }
    expect(() => (got.spec as { list: unknown[] }).list.push(1)).toThrow(TypeError);
    expect(() => {
      ((got.spec as { list: { n: number }[] }).list[0]!).n = 9;
    }).toThrow(TypeError);
    expect(Object.isFrozen(events[0])).toBe(true);
    // The list array itself is the caller's.
    const { items } = s.list('/');
    items.push({});
    expect(s.list('/').items).toHaveLength(1);
    expect(s.get('/b')!.spec).toEqual({ list: [{ n: 2 }] });
  });
});

describe('close', () => {
  it('flushes pending writes, refuses later ones, and is idempotent', async () => {
    const dir = tempDir();
    const s = openStore(dir);
    const pending = Array.from({ length: 100 }, (_, i) => s.create(`/k/${i}`, { i }));
    const closed = s.close();
    await expect(s.create('/late', {})).rejects.toBeInstanceOf(StoreUnavailableError);
    await Promise.all(pending);
    await closed;
    await s.close();
    const again = open(dir);
    expect(again.size).toBe(100);
    expect(again.revision).toBe(100);
  });

  it('holds the directory: a second store on it is refused until the first closes', async () => {
    const dir = tempDir();
    const s = openStore(dir);
    await s.create('/a', {});
    expect(() => openStore(dir)).toThrow(/in use by another store/);
    await s.close();
    expect(open(dir).get('/a')).toBeDefined();
  });

  it('opened early (startStoreOpen, as kite up does): openStore takes it over, with its data and its lock', async () => {
    const dir = tempDir();
    const first = openStore(dir);
    await first.create('/a', { v: 1 });
    await first.close();
    startStoreOpen(dir);
    startStoreOpen(dir); // once per dir: the second call finds the first
    const s = open(dir);
    expect(s.get('/a')!.v).toBe(1);
    await s.create('/b', {});
    expect(s.revision).toBe(2);
    expect(() => openStore(dir)).toThrow(/in use by another store/);
  });

  it('opened early while another store holds the directory: openStore is refused as without it', async () => {
    const dir = tempDir();
    open(dir); // holds the directory
    startStoreOpen(dir);
    expect(() => openStore(dir)).toThrow(/in use by another store/);
    expect(() => openStore(dir)).toThrow(/in use by another store/); // the early opening was used once, not kept
  });

  it('creates the directory and keeps one database file in WAL mode with a revision row', async () => {
    const dir = join(tempDir(), 'nested', 'state');
    const s = openStore(dir);
    await s.create('/a', { metadata: { name: 'a' } });
    await s.delete('/a');
    await s.close();
    const Database = loadSqlite();
    const db = new Database(join(dir, 'state.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare("SELECT value FROM meta WHERE name = 'revision'").pluck().get()).toBe(2);
      expect(db.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('a commit that fails', () => {
  it('is rolled back with the writes accepted after it; memory matches the database; the store carries on', async () => {
    const dir = tempDir();
    const s = open(dir, { quotaBytes: 256 * 1024 });
    const events: StoreEvent[] = [];
    s.watch('/', 0, (e) => events.push(e));
    const blob = 'x'.repeat(8 * 1024);
    // Fill up to the quota, one write per commit, until a commit fails.
    let n = 0;
    let failure: unknown;
    for (; n < 100; n++) {
      try {
        await s.create(`/fill/${n}`, { blob });
      } catch (e) {
        failure = e;
        break;
      }
    }
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(String((failure as Error).message)).toMatch(/rolled back.*full/i);
    expect(s.get(`/fill/${n}`)).toBeUndefined();
    const rev = s.revision;
    expect(rev).toBe(n);
    expect(events).toHaveLength(n);

    // A failing batch and a batch accepted while it was in flight: both are refused.
    const big = s.create('/big', { blob: blob.repeat(8) });
    await nextTurn();
    const later = s.update('/fill/0', { small: true }, 1); // would fit, but assumed the failed batch
    await expect(big).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(later).rejects.toThrow(/after a failed commit/);
    expect(s.revision).toBe(rev);
    expect(s.get('/fill/0')!.blob).toBe(blob);
    expect(events).toHaveLength(n);

    // Deletes free space; revisions continue without a gap.
    const del = await s.delete('/fill/0');
    expect(rvOf(del)).toBe(String(rev + 1));
    expect(rvOf(await s.update('/fill/1', { small: true }))).toBe(String(rev + 2));
    expect(events.map((e) => e.rv)).toEqual(Array.from({ length: n + 2 }, (_, i) => i + 1));
    expect(s.failure).toBeUndefined();

    await s.close();
    const reopened = open(dir);
    expect(reopened.revision).toBe(rev + 2);
    expect(reopened.get('/big')).toBeUndefined();
    expect(reopened.get('/fill/0')).toBeUndefined();
    expect(reopened.get('/fill/1')).toEqual({ small: true, metadata: { resourceVersion: String(rev + 2) } });
    expect(reopened.size).toBe(n - 1);
  });

  it('fails stop when the commit worker dies: pending and later writes are refused, reads go on, reopen is all-or-nothing', async () => {
    const dir = tempDir();
    const s = openStore(dir);
    await s.create('/a', { v: 1 });
    const pending = Array.from({ length: 50 }, (_, i) => s.create(`/batch/${i}`, { i }));
    await nextTurn(); // the batch is at the worker
    await (s as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate(); // white box: the thread dies
    const outcomes = await Promise.allSettled(pending);
    // The kill may land before or after the commit; if the ack was lost, the writes are refused.
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.length === 0 || refused.length === 50).toBe(true);
    for (const o of refused) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    if (refused.length === 50) {
      expect(s.failure).toBeInstanceOf(Error);
      await expect(s.update('/a', { v: 2 })).rejects.toThrow(/must be reopened/);
      expect(s.get('/a')!.v).toBe(1);
    }
    await s.close();
    const again = open(dir);
    const landed = again.list('/batch/').items.length;
    expect([0, 50]).toContain(landed);
    expect(again.revision).toBe(landed === 50 ? 51 : 1);
  });
});

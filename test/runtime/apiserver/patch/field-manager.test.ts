/**
 * The API server's field manager around server-side apply: which managedFields a write goes on
 * from, the before-first-apply owner, the cap on update managers, client-side apply's record
 * (last-applied manager and updater), and the manager named by the User-Agent. The last-applied
 * table is upstream's TestApplyUsingLastAppliedAnnotation (k8s.io/apimachinery/pkg/util/
 * managedfields/internal/lastappliedmanager_test.go), on a ReplicaSet instead of a Deployment.
 */
import { describe, expect, it } from 'vitest';
import { applyServerSideApply, FieldSet, managerFromUserAgent, readManagedFields, recordUpdateManager } from '../../../../runtime/apiserver/patch/index.ts';

type Obj = Record<string, any>;
const T0 = '2025-06-01T10:00:00Z';
const T1 = '2025-06-01T11:00:00Z';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const managersOf = (o: unknown) => readManagedFields(o).map((e) => `${e.operation}:${e.manager}`);

const cm = (data: Record<string, string>, extra: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', ...extra }, data });
/** `obj` as the API server stores its create by `manager`. */
function created(obj: Obj, manager: string): Obj {
  const out = recordUpdateManager(undefined, obj, manager, 'Update', T0, { kind: obj.kind }) as Obj;
  out.metadata.uid = 'u1';
  return out;
}

describe('writes of metadata.managedFields (fieldmanager.go decodeLiveOrNew)', () => {
  const live = created(cm({ a: '1' }), 'creator');

  it('absent keeps the live list; a written list replaces it', () => {
    expect(managersOf(recordUpdateManager(live, { ...clone(live), metadata: { ...live.metadata, managedFields: undefined } }, 'editor', 'Update', T1))).toEqual(['Update:creator']);
    const moved = clone(live);
    moved.metadata.managedFields[0].manager = 'kubectl';
    moved.metadata.managedFields[0].operation = 'Apply';
    expect(managersOf(recordUpdateManager(live, moved, 'kubectl', 'Update', T1))).toEqual(['Apply:kubectl']);
  });

  it('[] and [{}] clear it, and an update of an object nobody tracks stays untracked', () => {
    for (const reset of [[], [{}]]) {
      const out = recordUpdateManager(live, { ...clone(live), metadata: { ...live.metadata, managedFields: reset }, data: { a: '2' } }, 'editor', 'Update', T1);
      expect(out.metadata).not.toHaveProperty('managedFields');
    }
    // ...but a create is tracked from the start
    expect(managersOf(recordUpdateManager(undefined, cm({ a: '1' }), 'kubectl-create', 'Update', T0))).toEqual(['Update:kubectl-create']);
  });

  it('a list that does not decode keeps the live one', () => {
    const bad = [
      { manager: 'x', operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} },
      { manager: 'x', operation: 'Update', apiVersion: '', fieldsType: 'FieldsV1', fieldsV1: {} },
      { manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsV1: {} },
      { manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV2', fieldsV1: {} },
      { manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'q:nope': {} } },
    ];
    for (const entry of bad) {
      const out = recordUpdateManager(live, { ...clone(live), metadata: { ...live.metadata, managedFields: [entry] } }, 'editor', 'Update', T1);
      expect(managersOf(out), JSON.stringify(entry)).toEqual(['Update:creator']);
    }
  });

  it('a status write ignores the list it carries', () => {
    const next = { ...clone(live), metadata: { ...live.metadata, managedFields: [] } };
    expect(managersOf(recordUpdateManager(live, next, 'kubelet', 'Update', T1, { subresource: 'status' }))).toEqual(['Update:creator']);
  });

  it('an empty manager is recorded as "unknown"; undefined (in-process) records nobody', () => {
    const next = { ...clone(live), data: { a: '2' } };
    expect(managersOf(recordUpdateManager(live, next, '', 'Update', T1))).toEqual(['Update:unknown']);
    expect(managersOf(recordUpdateManager(live, next, undefined, 'Update', T1))).toEqual(['Update:creator']);
  });

  it('keeps at most ten update managers, merging the oldest into ancient-changes (capmanagers.go)', () => {
    let obj = created(cm({}), 'm00');
    for (let i = 1; i <= 11; i++) {
      const next = { ...clone(obj), data: { ...obj.data, [`k${i}`]: 'v' } };
      obj = recordUpdateManager(obj, next, `m${String(i).padStart(2, '0')}`, 'Update', `2025-06-01T10:00:${String(i).padStart(2, '0')}Z`);
    }
    const names = readManagedFields(obj).map((e) => e.manager);
    expect(names).toHaveLength(10);
    expect(names).toContain('ancient-changes');
    expect(names).not.toContain('m01');
    expect(names).toContain('m11');
  });
});

describe('the first apply to an object nobody tracked (skipnonapplied.go)', () => {
  it('gives what was there to before-first-apply, so changing it is a conflict', () => {
    const live = { ...cm({ a: '1' }), metadata: { name: 'c', namespace: 'default', uid: 'u' } };
    const r = applyServerSideApply(live, cm({ a: '2' }), { manager: 'tool', kind: 'ConfigMap', now: T1 });
    expect(r.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
    const ok = applyServerSideApply(live, cm({ a: '1', b: '2' }), { manager: 'tool', kind: 'ConfigMap', now: T1 });
    expect(managersOf(ok.object)).toEqual(['Apply:tool', 'Update:before-first-apply']);
  });
});

describe('co-owners', () => {
  it('a second applier of the same value shares the field; when one drops it, it stays', () => {
    let live = applyServerSideApply(undefined, cm({ a: '1' }), { manager: 'one', kind: 'ConfigMap', now: T0 }).object!;
    live = applyServerSideApply(live, cm({ a: '1' }), { manager: 'two', kind: 'ConfigMap', now: T1 }).object!;
    const entries = readManagedFields(live);
    expect(entries.map((e) => [e.manager, e.fieldsV1])).toEqual([
      ['one', { 'f:data': { 'f:a': {} } }],
      ['two', { 'f:data': { 'f:a': {} } }],
    ]);
    live = applyServerSideApply(live, { ...cm({}), data: undefined }, { manager: 'one', kind: 'ConfigMap', now: T1 }).object!;
    expect(live.data).toEqual({ a: '1' });
    expect(managersOf(live)).toEqual(['Apply:two']);
    live = applyServerSideApply(live, { ...cm({}), data: undefined }, { manager: 'two', kind: 'ConfigMap', now: T1 }).object!;
    expect(live.data).toBeUndefined();
  });
});

// --- client-side apply's record ---------------------------------------------------------------

/** The ReplicaSet of upstream's cases: `label` on the object, `app` in selector and template. */
function rs(o: { label?: string; replicas: number; app?: string; images?: string[] }): Obj {
  const metadata = { name: 'my-rs', ...(o.label ? { labels: { app: o.label } } : {}) };
  if (!o.app) return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata, spec: { replicas: o.replicas } };
  const containers = (o.images ?? ['my-image']).map((image, i) => ({ name: i === 0 ? 'my-c' : `my-c${i + 1}`, image }));
  const template = { metadata: { labels: { app: o.app } }, spec: { containers } };
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata, spec: { replicas: o.replicas, selector: { matchLabels: { app: o.app } }, template } };
}

/** upstream testConflicts: the original, with its record, written by a client-side applier. */
function clientSideApplied(original: Obj, lastApplied: string): Obj {
  const obj = clone(original);
  obj.metadata.annotations = { [LAST_APPLIED]: lastApplied };
  return created(obj, 'test_client_side_apply');
}

interface LastAppliedCase {
  name: string;
  manager: string;
  /** The record's text; the original's JSON when absent. */
  lastApplied?: string;
  original: Obj;
  applied: Obj;
  conflicts?: string[];
}

const IMAGE_CONFLICT = '.spec.template.spec.containers[name="my-c"].image';

const CASES: LastAppliedCase[] = [
  {
    name: 'fields that differ from the record, or are not in it, still conflict',
    manager: 'kubectl',
    lastApplied: JSON.stringify(rs({ replicas: 3, app: 'my-app', images: ['my-image-v1', 'my-image2'] })),
    original: rs({ label: 'my-app', replicas: 100, app: 'my-app', images: ['my-image-v2'] }),
    applied: rs({ label: 'my-new-label', replicas: 333, app: 'my-new-label', images: ['my-image-new'] }),
    conflicts: ['.metadata.labels.app', '.spec.replicas', IMAGE_CONFLICT],
  },
  {
    name: 'what the record set and still holds is taken over',
    manager: 'kubectl',
    original: rs({ label: 'my-app', replicas: 3, app: 'my-app' }),
    applied: rs({ label: 'my-new-label', replicas: 333, app: 'my-new-label' }),
  },
  {
    name: 'only for the kubectl applier',
    manager: 'not_kubectl',
    original: rs({ label: 'my-app', replicas: 100, app: 'my-app' }),
    applied: rs({ label: 'my-new-label', replicas: 3, app: 'my-app', images: ['my-new-image'] }),
    conflicts: ['.metadata.labels.app', '.spec.replicas', IMAGE_CONFLICT],
  },
  {
    name: 'a record of another apiVersion is no record',
    manager: 'kubectl',
    lastApplied: JSON.stringify({ ...rs({ replicas: 3 }), apiVersion: 'extensions/v1beta1' }),
    original: rs({ replicas: 3 }),
    applied: rs({ replicas: 100 }),
    conflicts: ['.spec.replicas'],
  },
  {
    name: 'an unreadable record is no record',
    manager: 'kubectl',
    lastApplied: '{"apiVersion": "foo", "kind": "bar", "spec": "expect conflict due to invalid object"',
    original: rs({ replicas: 3 }),
    applied: rs({ replicas: 100 }),
    conflicts: ['.spec.replicas'],
  },
];

describe('the last-applied manager: kubectl server-side apply after client-side apply (lastappliedmanager.go)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const live = clientSideApplied(c.original, c.lastApplied ?? JSON.stringify(c.original));
      const applied = c.applied;
      const r = applyServerSideApply(live, applied, { manager: c.manager, kind: 'ReplicaSet', now: T1 });
      expect(r.conflicts.map((x) => x.field)).toEqual(c.conflicts ?? []);
      for (const x of r.conflicts) expect(x.message).toBe('conflict with "test_client_side_apply" using apps/v1');
      const forced = applyServerSideApply(live, applied, { manager: c.manager, kind: 'ReplicaSet', now: T1, force: true });
      expect(forced.object!.spec).toMatchObject(applied.spec);
      if (!c.conflicts) expect(r.object).toEqual(forced.object);
    });
  }
});

describe('the last-applied updater (lastappliedupdater.go)', () => {
  const original = cm({ a: '1', b: '2' });
  const live = clientSideApplied(original, `${JSON.stringify(original)}\n`);

  it('a kubectl server-side apply rewrites the record as the configuration it applied', () => {
    const applied = cm({ a: '1', 'x<y': '&' }, { annotations: { [LAST_APPLIED]: 'stale', keep: 'me' } });
    // (forced: the annotation it sends is the client-side applier's)
    const out = applyServerSideApply(live, applied, { manager: 'kubectl', kind: 'ConfigMap', now: T1, force: true }).object as Obj;
    expect(out.metadata.annotations[LAST_APPLIED]).toBe(
      '{"apiVersion":"v1","data":{"a":"1","x\\u003cy":"\\u0026"},"kind":"ConfigMap","metadata":{"annotations":{"keep":"me"},"name":"c","namespace":"default"}}\n',
    );
  });

  it('not for another applier, nor on an object without a record', () => {
    expect((applyServerSideApply(live, cm({ a: '1' }), { manager: 'other', kind: 'ConfigMap', now: T1 }).object as Obj).metadata.annotations[LAST_APPLIED]).toBe(`${JSON.stringify(original)}\n`);
    const bare = created(cm({ a: '1' }), 'creator');
    expect((applyServerSideApply(bare, cm({ a: '1' }), { manager: 'kubectl', kind: 'ConfigMap', now: T1 }).object as Obj).metadata.annotations).toBeUndefined();
  });
});

describe('the field manager of a write that names none (managerOrUserAgent)', () => {
  it('is the User-Agent up to the first slash, printable, at most 128 bytes', () => {
    expect(managerFromUserAgent('foo/1.0')).toBe('foo');
    expect(managerFromUserAgent('kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9')).toBe('kubectl');
    expect(managerFromUserAgent('kite (node v22.1.0)')).toBe('kite (node v22.1.0)');
    expect(managerFromUserAgent('a\u0000b\tc/d')).toBe('abc');
    expect(managerFromUserAgent('x'.repeat(200))).toBe('x'.repeat(128));
    expect(managerFromUserAgent(`${'x'.repeat(127)}é`)).toBe('x'.repeat(127));
    expect(managerFromUserAgent('')).toBe('');
  });
});

describe('FieldSet.parseFieldsV1 (FieldsToSet)', () => {
  it('reads the trie and refuses what is not one', () => {
    expect(FieldSet.parseFieldsV1({ 'f:a': { '.': {}, 'k:{"name":"x"}': {}, 'v:"s"': {}, 'i:3': {} } })?.paths()).toEqual([
      ['f:a'],
      ['f:a', 'i:3'],
      ['f:a', 'k:{"name":"x"}'],
      ['f:a', 'v:"s"'],
    ]);
    for (const bad of [[], 'x', { 'q:a': {} }, { 'k:notjson': {} }, { 'k:"str"': {} }, { 'i:x': {} }, { 'f:a': 1 }]) expect(FieldSet.parseFieldsV1(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

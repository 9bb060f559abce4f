import { describe, expect, it } from 'vitest';
import {
  applyServerSideApply,
  PatchError,
  readManagedFields,
  recordUpdateManager,
  type ApplyResult,
} from '../../../../runtime/apiserver/patch/index.ts';

type Obj = Record<string, any>;
const T0 = '2025-06-01T10:00:00Z';
const T1 = '2025-06-01T11:00:00Z';
const T2 = '2025-06-01T12:00:00Z';
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function ok(r: ApplyResult): Obj {
  expect(r.conflicts).toEqual([]);
  expect(r.ok).toBe(true);
  return r.object as Obj;
}

/** What the API server would do after the merge: default fields, bump resourceVersion. */
function storePod(o: Obj, rv: string): Obj {
  const s = clone(o);
  s.metadata.resourceVersion = rv;
  s.metadata.uid ??= 'pod-uid';
  s.spec.restartPolicy ??= 'Always';
  for (const c of s.spec.containers) {
    c.imagePullPolicy ??= 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  }
  return s;
}

const podV1 = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.24', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
    ],
  },
};

describe('server-side apply: a single manager', () => {
  it('creates the object on first apply and records FieldsV1 ownership', () => {
    const r = applyServerSideApply(undefined, podV1, { manager: 'kubectl', kind: 'Pod', now: T0 });
    const obj = ok(r);
    expect(r.created).toBe(true);
    expect(r.changed).toBe(true);
    expect(obj.spec).toEqual(podV1.spec);
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                // listMapKeys containerPort+protocol; protocol's default fills the key
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
              'k:{"name":"sidecar"}': { '.': {}, 'f:args': {}, 'f:image': {}, 'f:name': {} },
            },
          },
        },
      },
    ]);
  });

  it('re-applying the same configuration is a no-op', () => {
    const live = storePod(ok(applyServerSideApply(undefined, podV1, { manager: 'kubectl', kind: 'Pod', now: T0 })), '1');
    const r = applyServerSideApply(live, podV1, { manager: 'kubectl', kind: 'Pod', now: T1 });
    expect(r.changed).toBe(false);
    expect(ok(r)).toEqual(live); // same managedFields time, defaulted fields untouched
  });

  it('removes fields (a label, a port, a whole container) the manager owned and no longer applies', () => {
    const live = storePod(ok(applyServerSideApply(undefined, podV1, { manager: 'kubectl', kind: 'Pod', now: T0 })), '1');
    const v2 = {
      ...podV1,
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
    };
    const obj = ok(applyServerSideApply(live, v2, { manager: 'kubectl', kind: 'Pod', now: T1 }));
    expect(obj.metadata.labels).toEqual({ app: 'web' });
    // the defaulted, unowned fields stay; the port the applier owned is gone
    expect(obj.spec.containers).toEqual([
      { name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' },
    ]);
    expect(obj.spec.restartPolicy).toBe('Always');
    expect(obj.metadata.resourceVersion).toBe('1');
    expect(readManagedFields(obj)).toEqual([
      expect.objectContaining({
        manager: 'kubectl',
        time: T1,
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      }),
    ]);
  });

  it('ignores server-owned metadata, status and nulls in the applied body', () => {
    const live = storePod(ok(applyServerSideApply(undefined, podV1, { manager: 'kubectl', kind: 'Pod', now: T0 })), '7');
    live.status = { phase: 'Running' };
    const body = clone(podV1) as Obj;
    body.metadata.resourceVersion = '1';
    body.metadata.managedFields = [{ manager: 'evil', operation: 'Apply', fieldsV1: {} }];
    body.metadata.labels.tier = null;
    body.status = { phase: 'Failed' };
    const obj = ok(applyServerSideApply(live, body, { manager: 'kubectl', kind: 'Pod', now: T1 }));
    expect(obj.status).toEqual({ phase: 'Running' });
    expect(obj.metadata.resourceVersion).toBe('7');
    expect(obj.metadata.labels).toEqual({ app: 'web' }); // null = not applied -> owned label pruned
    expect(obj.metadata.managedFields.map((e: Obj) => e.manager)).toEqual(['kubectl']);
  });

  it('orders associative lists like structured-merge-diff (applied order, live-only items kept)', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] },
    };
    const obj = ok(
      applyServerSideApply(live, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'c' }, { name: 'a', image: 'a2' }] } }, { manager: 'm', kind: 'Pod', now: T0, force: true }),
    );
    expect(obj.spec.containers).toEqual([{ name: 'c', image: 'c' }, { name: 'a', image: 'a2' }, { name: 'b', image: 'b' }]);
  });

  it('rejects list items without their keys, duplicate keys, and a missing field manager', () => {
    const noName = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ image: 'x' }] } };
    expect(() => applyServerSideApply(undefined, noName, { manager: 'm', kind: 'Pod' })).toThrow(
      '.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
    const dup = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }, { name: 'a' }] } };
    expect(() => applyServerSideApply(undefined, dup, { manager: 'm', kind: 'Pod' })).toThrow('duplicate entries for key [name="a"]');
    expect(() => applyServerSideApply(undefined, podV1, { manager: '', kind: 'Pod' })).toThrow(PatchError);
  });
});

// --- conflicts ------------------------------------------------------------------------------

const rsManifest = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'api:1' }] } },
  },
};

/** The live RS after `kubectl apply` (client-side): created with fieldManager=kubectl-client-side-apply. */
function liveFromClientSideApply(): Obj {
  const created = clone(rsManifest) as Obj;
  created.metadata.uid = 'rs-uid';
  created.metadata.resourceVersion = '10';
  created.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
  return recordUpdateManager(undefined, created, 'kubectl-client-side-apply', 'Update', T0, { kind: 'ReplicaSet' });
}

describe('server-side apply: conflicts between managers', () => {
  it('recordUpdateManager makes the creator own every field it wrote (incl. defaults)', () => {
    expect(liveFromClientSideApply().metadata.managedFields).toEqual([
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {} } },
              },
            },
          },
        },
      },
    ]);
  });

  it('changing a field another manager owns is a conflict (409 FieldManagerConflict)', () => {
    const live = liveFromClientSideApply();
    const applied = clone(rsManifest) as Obj;
    applied.spec.replicas = 5;
    applied.spec.template.spec.containers[0].image = 'api:2';
    const r = applyServerSideApply(live, applied, { manager: 'kubectl', kind: 'ReplicaSet', now: T1 });
    expect(r.ok).toBe(false);
    expect(r.object).toBeUndefined();
    expect(r.conflicts).toEqual([
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        field: '.spec.replicas',
        message: 'conflict with "kubectl-client-side-apply" using apps/v1',
      },
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        field: '.spec.template.spec.containers[name="app"].image',
        message: 'conflict with "kubectl-client-side-apply" using apps/v1',
      },
    ]);
    expect(r.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="app"].image',
    );

    const one = applyServerSideApply(live, { ...rsManifest, spec: { ...rsManifest.spec, replicas: 5 } }, { manager: 'kubectl', kind: 'ReplicaSet' });
    expect(one.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });

  it('applying the same values is not a conflict: ownership becomes shared', () => {
    const live = liveFromClientSideApply();
    const obj = ok(applyServerSideApply(live, rsManifest, { manager: 'kubectl', kind: 'ReplicaSet', now: T1 }));
    const entries = readManagedFields(obj);
    expect(entries.map((e) => `${e.operation}:${e.manager}`)).toEqual(['Apply:kubectl', 'Update:kubectl-client-side-apply']);
    for (const e of entries) expect((e.fieldsV1['f:spec'] as Obj)['f:replicas']).toEqual({});
  });

  it('force=true takes the conflicting fields over', () => {
    const live = liveFromClientSideApply();
    const applied = { ...rsManifest, spec: { ...rsManifest.spec, replicas: 5 } };
    const obj = ok(applyServerSideApply(live, applied, { manager: 'kubectl', kind: 'ReplicaSet', force: true, now: T1 }));
    expect(obj.spec.replicas).toBe(5);
    const [apply, update] = readManagedFields(obj);
    expect(apply!.manager).toBe('kubectl');
    expect((apply!.fieldsV1['f:spec'] as Obj)['f:replicas']).toEqual({});
    expect(update!.manager).toBe('kubectl-client-side-apply');
    expect((update!.fieldsV1['f:spec'] as Obj)['f:replicas']).toBeUndefined();
    expect((update!.fieldsV1['f:spec'] as Obj)['f:selector']).toEqual({}); // the rest stays theirs
  });

  it('two appliers owning different fields coexist; each only prunes its own', () => {
    const base = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    let live = ok(applyServerSideApply(undefined, { ...base, metadata: { name: 'p', labels: { a: '1', shared: 's' } } }, { manager: 'alice', kind: 'Pod', now: T0 }));
    live = ok(applyServerSideApply(live, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { b: '2', shared: 's' } } }, { manager: 'bob', kind: 'Pod', now: T1 }));
    expect(live.metadata.labels).toEqual({ a: '1', shared: 's', b: '2' });

    // alice changing bob's label conflicts (Apply managers are printed without "using")
    const r = applyServerSideApply(live, { ...base, metadata: { name: 'p', labels: { a: '1', b: 'x', shared: 's' } } }, { manager: 'alice', kind: 'Pod' });
    expect(r.conflicts).toEqual([expect.objectContaining({ manager: 'bob', operation: 'Apply', field: '.metadata.labels.b', message: 'conflict with "bob"' })]);

    // alice drops her labels: `a` goes, `shared` stays because bob still owns it
    live = ok(applyServerSideApply(live, base, { manager: 'alice', kind: 'Pod', now: T2 }));
    expect(live.metadata.labels).toEqual({ shared: 's', b: '2' });
    expect(live.spec.containers).toEqual([{ name: 'c', image: 'i' }]);

    // bob's spec-less apply never touched the containers
    const bob = readManagedFields(live).find((e) => e.manager === 'bob')!;
    expect(bob.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:b': {}, 'f:shared': {} } } });
  });

  it('an Update manager (e.g. a scaler) takes ownership, and a later stale apply conflicts with it', () => {
    let live = ok(applyServerSideApply(undefined, rsManifest, { manager: 'kubectl', kind: 'ReplicaSet', now: T0 }));
    const scaled = clone(live);
    scaled.spec.replicas = 10;
    live = recordUpdateManager(live, scaled, 'hpa-controller', 'Update', T1);
    const entries = readManagedFields(live);
    expect(entries.map((e) => `${e.operation}:${e.manager}`)).toEqual(['Apply:kubectl', 'Update:hpa-controller']);
    expect(entries[1]!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect((entries[0]!.fieldsV1['f:spec'] as Obj)['f:replicas']).toBeUndefined();

    const r = applyServerSideApply(live, rsManifest, { manager: 'kubectl', kind: 'ReplicaSet', now: T2 });
    expect(r.conflicts.map((c) => c.message)).toEqual(['conflict with "hpa-controller" using apps/v1']);
    // omitting replicas lets the controller keep it
    const withoutReplicas = clone(rsManifest) as Obj;
    delete withoutReplicas.spec.replicas;
    expect(ok(applyServerSideApply(live, withoutReplicas, { manager: 'kubectl', kind: 'ReplicaSet', now: T2 })).spec.replicas).toBe(10);
  });
});

describe('recordUpdateManager', () => {
  it('status-subresource writers are separate managers that only own status', () => {
    const pod = storePod(ok(applyServerSideApply(undefined, podV1, { manager: 'kubectl', kind: 'Pod', now: T0 })), '1');
    const next = clone(pod);
    next.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const out = recordUpdateManager(pod, next, 'kubelet', 'Update', T1, { subresource: 'status' });
    const kubelet = readManagedFields(out).find((e) => e.manager === 'kubelet')!;
    expect(kubelet).toEqual({
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:phase': {} } },
      subresource: 'status',
    });
    // status changes through the main resource are not tracked for Pods
    expect(readManagedFields(recordUpdateManager(pod, next, 'someone', 'Update', T1)).map((e) => e.manager)).toEqual(['kubectl']);
  });

  it('removed fields leave every manager; a no-op write records nothing', () => {
    const live = liveFromClientSideApply();
    const next = clone(live);
    delete next.spec.template.spec.containers[0].imagePullPolicy;
    const out = recordUpdateManager(live, next, 'editor', 'Update', T1);
    expect(readManagedFields(out).map((e) => e.manager)).toEqual(['kubectl-client-side-apply']);
    expect(JSON.stringify((out as Obj).metadata.managedFields)).not.toContain('imagePullPolicy');
    expect(recordUpdateManager(live, clone(live), 'editor', 'Update', T1)).toEqual(live);
  });

  it('an explicit empty managedFields list clears ownership, and the object stays untracked (skipnonapplied.go)', () => {
    const live = liveFromClientSideApply();
    const next = clone(live);
    next.metadata.managedFields = [];
    next.metadata.labels = { x: 'y' };
    const out = recordUpdateManager(live, next, 'editor', 'Update', T1);
    expect(out.metadata).not.toHaveProperty('managedFields');
  });
});

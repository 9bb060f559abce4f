import { afterEach, describe, expect, test } from 'vitest';
import { ApiError } from '../../../runtime/apiserver/status.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { Pod, PodPhase, ReplicationController } from '../../../lib/api/model.ts';
import type { ApiClient } from '../../../runtime/client/client.ts';
import { getPodsToDelete, REPLICATION_CONTROLLER, ReplicaSetController, slowStartBatch } from '../../../runtime/controllers/replicaset.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { countCreations, deleteRetrying, eventsFor, pod, podsOf, replicaSet, setPodStatus } from './helpers.ts';

let cp: TestControlPlane | undefined;
let controllers: ReplicaSetController[] = [];

afterEach(async () => {
  for (const c of controllers) await c.stop();
  controllers = [];
  await cp?.close();
  cp = undefined;
});

async function setup(opts: { clock?: () => Date; client?: (c: ApiClient) => ApiClient; rc?: boolean } = {}) {
  cp = await startControlPlane();
  const client = opts.client ? opts.client(cp.client) : cp.client;
  const rsc = new ReplicaSetController(client, { clock: opts.clock, ...(opts.rc ? { kind: REPLICATION_CONTROLLER } : {}) }).start();
  controllers.push(rsc);
  return { client: cp.client, rsc };
}

const NAME_RE = /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe('ReplicaSet controller', () => {
  test('creates the replicas with generated names, template labels and a controller ownerReference', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 3));
    const pods = await eventually(() => {
      const p = podsOf(client, 'default', rs.metadata.uid);
      return p.length === 3 && p;
    });
    for (const p of pods) {
      expect(p.metadata.name).toMatch(NAME_RE);
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.spec.containers[0]?.image).toBe('nginx');
    }
    const status = await eventually(() => {
      const cur = client.get('replicasets', 'default', 'web')!;
      return cur.status?.replicas === 3 && cur.status.observedGeneration === 1 && cur.status;
    });
    expect(status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    // events: upstream wording
    await eventually(() => eventsFor(client, 'default', 'web').filter((e) => e.reason === 'SuccessfulCreate').length === 3);
    const ev = eventsFor(client, 'default', 'web').find((e) => e.reason === 'SuccessfulCreate')!;
    expect(ev.type).toBe('Normal');
    expect(ev.message).toMatch(/^Created pod: web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(ev.source).toEqual({ component: 'replicaset-controller' });
  });

  test('expectations: exactly N pods are ever created, however the watch interleaves', async () => {
    const { client, rsc } = await setup();
    const created = countCreations(client, 'default');
    const rs = await client.create('replicasets', 'default', replicaSet('web', 100));
    await eventually(() => client.get('replicasets', 'default', 'web')?.status?.replicas === 100, { what: '100 replicas' });
    await rsc.idle();
    // touch the ReplicaSet: another full sync must not create anything
    await client.patch('replicasets', 'default', 'web', 'merge', { metadata: { annotations: { touched: 'yes' } } });
    await eventually(() => client.get('replicasets', 'default', 'web')?.metadata.annotations?.touched);
    await rsc.idle();
    expect(created.count).toBe(100);
    expect(podsOf(client, 'default', rs.metadata.uid)).toHaveLength(100);
    expect(rsc.expectations.satisfied('default/web')).toBe(true);
    created.stop();
  });

  test('a burst larger than burstReplicas is created in several syncs (slow start within each)', async () => {
    cp = await startControlPlane();
    const rsc = new ReplicaSetController(cp.client, { burstReplicas: 7 }).start();
    controllers.push(rsc);
    const created = countCreations(cp.client, 'default');
    await cp.client.create('replicasets', 'default', replicaSet('web', 20));
    await eventually(() => cp!.client.get('replicasets', 'default', 'web')?.status?.replicas === 20);
    await rsc.idle();
    expect(created.count).toBe(20);
    created.stop();
  });

  test('slowStartBatch: batches 1, 2, 4, … and stops after the first failing batch', async () => {
    const sizes: number[] = [];
    let inBatch = 0;
    let calls = 0;
    const ok = await slowStartBatch(10, 1, async () => {
      calls++;
      inBatch++;
      await Promise.resolve();
      if (inBatch > 0) {
        sizes.push(inBatch);
        inBatch = 0;
      }
    });
    expect(ok).toEqual({ successes: 10 });
    expect(sizes).toEqual([1, 2, 4, 3]);
    let n = 0;
    const failing = await slowStartBatch(100, 1, async () => {
      n++;
      if (n === 5) throw new Error('quota');
    });
    // batches 1, 2, 4: the third batch (calls 4..7) fails on call 5
    expect(n).toBe(7);
    expect(failing.successes).toBe(6);
    expect((failing.error as Error).message).toBe('quota');
    expect(calls).toBe(10);
  });

  test('scale up and down; victims follow the ranking (unassigned, pending, not ready first)', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 4));
    const pods = await eventually(() => {
      const p = podsOf(client, 'default', rs.metadata.uid);
      return p.length === 4 && p.map((x) => x.metadata.name as string).sort();
    });
    const [unassigned, pending, notReady, ready] = pods as [string, string, string, string];
    await client.bind('default', pending, 'node-a');
    await client.bind('default', notReady, 'node-b');
    await client.bind('default', ready, 'node-c');
    await setPodStatus(client, 'default', notReady, { ip: '10.1.0.2', ready: false });
    await setPodStatus(client, 'default', ready, { ip: '10.1.0.3', ready: true });
    await eventually(() => client.get('replicasets', 'default', 'web')?.status?.readyReplicas === 1);

    await client.patch('replicasets', 'default', 'web', 'merge', { spec: { replicas: 2 } });
    await eventually(() => client.get('replicasets', 'default', 'web')?.status?.replicas === 2, { what: 'scale to 2' });
    // the unassigned pod is deleted at once; the assigned one waits for its kubelet (graceful)
    expect(client.get('pods', 'default', unassigned)).toBeUndefined();
    expect(client.get('pods', 'default', pending)?.metadata.deletionTimestamp).toBeDefined();
    expect(client.get('pods', 'default', notReady)?.metadata.deletionTimestamp).toBeUndefined();
    expect(client.get('pods', 'default', ready)?.metadata.deletionTimestamp).toBeUndefined();

    await client.patch('replicasets', 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await eventually(() => client.get('replicasets', 'default', 'web')?.status?.replicas === 1, { what: 'scale to 1' });
    expect(client.get('pods', 'default', notReady)?.metadata.deletionTimestamp).toBeDefined();
    expect(client.get('pods', 'default', ready)?.metadata.deletionTimestamp).toBeUndefined();
    await eventually(() => eventsFor(client, 'default', 'web').some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${notReady}`));

    await client.patch('replicasets', 'default', 'web', 'merge', { spec: { replicas: 3 } });
    await eventually(() => client.get('replicasets', 'default', 'web')?.status?.replicas === 3, { what: 'scale to 3' });
    const active = podsOf(client, 'default', rs.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    expect(active).toHaveLength(3);
  });

  test('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    const { client } = await setup();
    await client.create('pods', 'default', pod('orphan', { app: 'web' }));
    await client.create('pods', 'default', pod('other', { app: 'other' }));
    const rs = await client.create('replicasets', 'default', replicaSet('web', 2));
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 2);
    const orphan = client.get('pods', 'default', 'orphan')!;
    expect(orphan.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(client.get('pods', 'default', 'other')!.metadata.ownerReferences ?? []).toEqual([]);
    expect(client.list('pods', 'default').items).toHaveLength(3);

    // relabel the adopted pod: released, and replaced
    await client.patch('pods', 'default', 'orphan', 'merge', { metadata: { labels: { app: 'debug' } } });
    await eventually(() => (client.get('pods', 'default', 'orphan')!.metadata.ownerReferences ?? []).length === 0, { what: 'release' });
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 2, { what: 'replacement' });
    expect(client.list('pods', 'default').items).toHaveLength(4);

    // and a pod that starts matching is adopted, making one replica too many
    await client.patch('pods', 'default', 'orphan', 'merge', { metadata: { labels: { app: 'web' } } });
    await eventually(() => {
      const owned = podsOf(client, 'default', rs.metadata.uid);
      return owned.length === 2 && owned.some((p) => p.metadata.name === 'orphan');
    }, { what: 'adopt again and scale down' });
  });

  test('does not adopt pods controlled by someone else', async () => {
    const { client } = await setup();
    await client.create('pods', 'default', {
      ...pod('owned', { app: 'web' }),
      metadata: { name: 'owned', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'x', uid: 'u-x', controller: true }] },
    });
    const rs = await client.create('replicasets', 'default', replicaSet('web', 1));
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 1);
    expect(client.get('pods', 'default', 'owned')!.metadata.ownerReferences?.[0]?.uid).toBe('u-x');
  });

  test('status: ready and available replicas (minReadySeconds on the injected clock)', async () => {
    let now = Date.parse('2024-01-01T00:00:05Z');
    const { client } = await setup({ clock: () => new Date(now) });
    const rs = await client.create('replicasets', 'default', replicaSet('web', 3, { app: 'web' }, { minReadySeconds: 10 }));
    const names = await eventually(() => {
      const p = podsOf(client, 'default', rs.metadata.uid);
      return p.length === 3 && p.map((x) => x.metadata.name as string);
    });
    await setPodStatus(client, 'default', names[0]!, { ip: '10.0.0.1', ready: true, readySince: '2024-01-01T00:00:00Z' });
    await setPodStatus(client, 'default', names[1]!, { ip: '10.0.0.2', ready: true, readySince: '2024-01-01T00:00:00Z' });
    await setPodStatus(client, 'default', names[2]!, { ip: '10.0.0.3', ready: false });
    const st = await eventually(() => {
      const s = client.get('replicasets', 'default', 'web')!.status;
      return s?.readyReplicas === 2 && s;
    });
    expect(st).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, observedGeneration: 1 });
    now = Date.parse('2024-01-01T00:00:11Z');
    await client.patch('replicasets', 'default', 'web', 'merge', { metadata: { annotations: { resync: '1' } } });
    const st2 = await eventually(() => {
      const s = client.get('replicasets', 'default', 'web')!.status;
      return s?.availableReplicas === 2 && s;
    });
    expect(st2).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  });

  test('terminal and terminating pods are not counted and are replaced', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 2));
    const names = await eventually(() => {
      const p = podsOf(client, 'default', rs.metadata.uid);
      return p.length === 2 && p.map((x) => x.metadata.name as string);
    });
    await setPodStatus(client, 'default', names[0]!, { phase: 'Failed', ready: false });
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 3, { what: 'replacement of the failed pod' });
    // status counts the active pods only (the failed one stays until someone deletes it)
    await eventually(() => client.get('replicasets', 'default', 'web')!.status?.replicas === 2 && podsOf(client, 'default', rs.metadata.uid).length === 3);
  });

  test('failed creates: FailedCreate event and the ReplicaFailure condition, cleared once creates succeed', async () => {
    let fail = true;
    // A fault-injecting client in front of the real one (as an admission webhook or a quota would refuse).
    const faulty = (c: ApiClient): ApiClient =>
      Object.assign(Object.create(Object.getPrototypeOf(c)), c, {
        create: (resource: string, ns: string | undefined, obj: KubeObject, opts?: object) => {
          if (resource === 'pods' && fail) return Promise.reject(new ApiError(403, 'Forbidden', `pods "${obj.metadata.generateName}xxxxx" is forbidden: exceeded quota: compute-resources`));
          return c.create(resource, ns, obj, opts);
        },
      });
    const { client } = await setup({ client: faulty });
    await client.create('replicasets', 'default', replicaSet('web', 3));
    const cond = await eventually(() => client.get('replicasets', 'default', 'web')!.status?.conditions?.[0]);
    expect(cond).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-xxxxx" is forbidden: exceeded quota: compute-resources' });
    expect(typeof cond.lastTransitionTime).toBe('string');
    await eventually(() => eventsFor(client, 'default', 'web').some((e) => e.reason === 'FailedCreate' && e.type === 'Warning' && e.message === 'Error creating: pods "web-xxxxx" is forbidden: exceeded quota: compute-resources'));
    fail = false;
    // the failed sync is retried with backoff
    await eventually(() => {
      const s = client.get('replicasets', 'default', 'web')!.status;
      return s?.replicas === 3 && !s.conditions;
    }, { what: 'recovery' });
  });

  test('ReplicationController: same behaviour, selector defaulted from the template labels', async () => {
    const { client } = await setup({ rc: true });
    const rc = await client.create('replicationcontrollers', 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    const pods = await eventually(() => {
      const p = podsOf(client, 'default', rc.metadata.uid);
      return p.length === 2 && p;
    });
    for (const p of pods) {
      expect(p.metadata.name).toMatch(NAME_RE);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await eventually(() => client.get('replicationcontrollers', 'default', 'web')!.status?.replicas === 2);
    await eventually(() => eventsFor(client, 'default', 'web').some((e) => e.reason === 'SuccessfulCreate' && e.source?.component === 'replication-controller'));
    // a matching orphan is adopted by the RC (scale down to 2 follows)
    await client.create('pods', 'default', pod('stray', { app: 'web', tier: 'fe' }));
    await eventually(() => {
      const owned = podsOf(client, 'default', rc.metadata.uid);
      return owned.length === 2 && owned.some((p) => p.metadata.name === 'stray') && owned;
    });
  });

  test('a ReplicaSet being deleted neither creates pods nor adopts', async () => {
    const { client } = await setup();
    const rs = await client.create('replicasets', 'default', replicaSet('web', 1));
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 1);
    await deleteRetrying(client, 'replicasets', 'default', 'web', { propagationPolicy: 'Foreground' });
    await client.create('pods', 'default', pod('late', { app: 'web' }));
    const p = podsOf(client, 'default', rs.metadata.uid)[0]!;
    await client.delete('pods', 'default', p.metadata.name!);
    await eventually(() => podsOf(client, 'default', rs.metadata.uid).length === 0);
    // give the controller its chance, then check nothing was created or adopted
    await controllers[0]!.idle();
    expect(client.list('pods', 'default').items.map((x) => x.metadata.name)).toEqual(['late']);
  });
});

describe('getPodsToDelete (ActivePodsWithRanks)', () => {
  const now = new Date('2024-01-01T01:00:00Z');
  function p(name: string, o: { node?: string; phase?: PodPhase; ready?: boolean; readySince?: string; cost?: number; restarts?: number; created?: string; uid?: string } = {}): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        uid: o.uid ?? name,
        creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
        ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
      },
      spec: { nodeName: o.node, containers: [{ name: 'c', image: 'x' }] },
      status: {
        phase: o.phase ?? 'Running',
        conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2024-01-01T00:00:00Z' }],
        containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: o.ready !== false, image: '', imageID: '' }],
      },
    };
  }
  const names = (pods: Pod[]) => pods.map((x) => x.metadata.name);

  test('unassigned < assigned; Pending < Unknown < Running; not ready < ready', () => {
    const pods = [p('running', { node: 'n' }), p('unknown', { node: 'n', phase: 'Unknown' }), p('pending', { node: 'n', phase: 'Pending' }), p('unassigned'), p('notready', { node: 'n', ready: false })];
    expect(names(getPodsToDelete(pods, [], 4, now))).toEqual(['unassigned', 'pending', 'unknown', 'notready']);
  });

  test('lower deletion cost first, then more co-located pods', () => {
    const pods = [p('a', { node: 'n1' }), p('b', { node: 'n2' }), p('cheap', { node: 'n1', cost: -5 }), p('c', { node: 'n2' })];
    // related pods (same controller): n2 has 3 active pods, n1 has 1
    const related = [p('r1', { node: 'n2' }), p('r2', { node: 'n2' }), p('r3', { node: 'n2' }), p('r4', { node: 'n1' })];
    expect(names(getPodsToDelete(pods, related, 3, now))).toEqual(['cheap', 'b', 'c']);
  });

  test('ready for a shorter time first (log2 buckets), then more restarts, then newer', () => {
    const pods = [
      p('old', { node: 'n', readySince: '2024-01-01T00:00:01Z' }),
      p('new-ready', { node: 'n', readySince: '2024-01-01T00:59:58Z' }),
      p('restarts', { node: 'n', readySince: '2024-01-01T00:00:01Z', restarts: 3 }),
      p('newer', { node: 'n', readySince: '2024-01-01T00:00:01Z', created: '2024-01-01T00:50:00Z' }),
    ];
    expect(names(getPodsToDelete(pods, [], 3, now))).toEqual(['new-ready', 'restarts', 'newer']);
  });

  test('ready times in the same log2 bucket are ordered by UID (LogarithmicScaleDown)', () => {
    const pods = [p('a', { node: 'n', readySince: '2024-01-01T00:00:00Z', uid: 'uid-b', restarts: 9 }), p('b', { node: 'n', readySince: '2024-01-01T00:00:01Z', uid: 'uid-a' })];
    expect(names(getPodsToDelete(pods, [], 1, now))).toEqual(['b']);
  });

  test('deleting all: no ranking', () => {
    const pods = [p('x', { node: 'n' }), p('y')];
    expect(names(getPodsToDelete(pods, [], 2, now))).toEqual(['x', 'y']);
  });
});

describe('ReplicationController adapter and expectations', () => {
  test('an RC selector defaults to the template labels; an RS selector is a LabelSelector', () => {
    const rc: ReplicationController = { apiVersion: 'v1', kind: 'ReplicationController', metadata: {}, spec: { template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [] } } } };
    expect(REPLICATION_CONTROLLER.selector(rc).matches({ app: 'web', tier: 'fe', x: 'y' })).toBe(true);
    expect(REPLICATION_CONTROLLER.selector(rc).matches({ app: 'web' })).toBe(false);
    expect(REPLICATION_CONTROLLER.selector({ ...rc, spec: { ...rc.spec, selector: { app: 'web' } } }).matches({ app: 'web' })).toBe(true);
  });

  test('expectations: satisfied when observed, or after 5 minutes', async () => {
    const { ControllerExpectations } = await import('../../../runtime/controllers/expectations.ts');
    let now = 0;
    const e = new ControllerExpectations(() => now);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a'); // counted once
    e.deletionObserved('ns/rs', 'ns/other'); // not expected
    expect(e.get('ns/rs')).toEqual({ add: 0, del: 1 });
    expect(e.satisfied('ns/rs')).toBe(false);
    now += 5 * 60 * 1000 + 1;
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ReplicationController, Service } from '../../../lib/api/model.ts';
import { REPLICATION_CONTROLLER, ReplicaSetController } from '../../../runtime/controllers/replicaset.ts';
import { startKubelets, type KubeletFleet } from '../../../runtime/kubelet/fleet.ts';
import { startScheduler, type Scheduler } from '../../../runtime/scheduler/scheduler.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;
let nodes: KubeletFleet | undefined;
let scheduler: Scheduler | undefined;
let rs: ReplicaSetController | undefined;
let rc: ReplicaSetController | undefined;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await rs?.stop();
  await rc?.stop();
  await scheduler?.stop();
  await nodes?.stop();
  rs = rc = scheduler = nodes = undefined;
  await cp.close();
});

/** The seed's manifests (valid Services and ReplicationControllers). */
const seed = (file: string): Array<Service | ReplicationController> =>
  parseAllDocuments(readFileSync(new URL(`../../fixtures/seed/${file}`, import.meta.url), 'utf8')).map((d) => d.toJS()).filter(Boolean);

describe('scheduler with the ReplicaSet controller and simulated nodes', () => {
  it('spreads the seed node-js RC (3 replicas) over 3 nodes, all Running', async () => {
    nodes = await startKubelets(cp.client, { count: 3, cpu: '2', memory: '4Gi' });
    scheduler = startScheduler(cp.client, { initialBackoffMs: 20, maxBackoffMs: 100 });
    rc = new ReplicaSetController(cp.client, { kind: REPLICATION_CONTROLLER }).start();
    for (const doc of seed('node-js-rc.yaml')) {
      if (doc.kind === 'Service') await cp.client.create('services', 'default', doc);
      else await cp.client.create('replicationcontrollers', 'default', doc);
    }
    const running = () => cp.client.list('pods', 'default').items.filter((p) => p.status?.phase === 'Running');
    await eventually(() => running().length === 3, { what: '3 running pods' });
    expect(new Set(running().map((p) => p.spec.nodeName)).size).toBe(3);
  });

  it('the seed node-js-constraints RC stays Pending with the FailedScheduling message on 1-cpu nodes', async () => {
    nodes = await startKubelets(cp.client, { count: 3, cpu: '1', memory: '4Gi' });
    scheduler = startScheduler(cp.client, { initialBackoffMs: 20, maxBackoffMs: 100 });
    rc = new ReplicaSetController(cp.client, { kind: REPLICATION_CONTROLLER }).start();
    const [rcDoc] = seed('node-js-constraints-rc.yaml');
    if (rcDoc?.kind !== 'ReplicationController') throw new Error('the seed has no ReplicationController');
    await cp.client.create('replicationcontrollers', 'default', rcDoc);
    const msg = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..';
    await eventually(
      () => {
        const pods = cp.client.list('pods', 'default').items;
        return pods.length === 3 && pods.every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.message === msg));
      },
      { what: '3 unschedulable pods' },
    );
    const events = cp.client.list('events', 'default').items.filter((e) => e.reason === 'FailedScheduling');
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.message === msg && e.type === 'Warning')).toBe(true);
  });
});

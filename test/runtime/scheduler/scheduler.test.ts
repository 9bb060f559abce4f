import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import type { ReplicationController, Taint } from '../../../lib/api/model.ts';
import { startScheduler, type Scheduler } from '../../../runtime/scheduler/scheduler.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { createNode, eventsFor, podBody, podScheduled } from './helpers.ts';

let cp: TestControlPlane;
let scheduler: Scheduler | undefined;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  await cp.close();
});

const start = () => (scheduler = startScheduler(cp.client, { initialBackoffMs: 20, maxBackoffMs: 100, onError: () => {} }));

const nodeOf = (name: string) => cp.client.get('pods', 'default', name)?.spec?.nodeName as string | undefined;

function countByNode(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    const node = nodeOf(n);
    if (node) out[node] = (out[node] ?? 0) + 1;
  }
  return out;
}

const SEED_NO_CPU =
  '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..';

describe('scheduler', () => {
  it('binds a pod, sets PodScheduled=True and records Scheduled', async () => {
    await createNode(cp.client, 'kite-node-1');
    start();
    await cp.client.create('pods', 'default', podBody('web'));
    await eventually(() => nodeOf('web') === 'kite-node-1', { what: 'pod bound' });
    expect(podScheduled(cp.client.get('pods', 'default', 'web'))).toMatchObject({ type: 'PodScheduled', status: 'True' });
    const ev = await eventually(() => eventsFor(cp.client, 'web', 'Scheduled')[0], { what: 'Scheduled event' });
    expect(ev).toMatchObject({ type: 'Normal', message: 'Successfully assigned default/web to kite-node-1', source: { component: 'default-scheduler' } });
  });

  it("spreads a ReplicaSet's pods across nodes", async () => {
    for (const n of ['kite-node-1', 'kite-node-2', 'kite-node-3']) await createNode(cp.client, n);
    start();
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: '7d0c4b8e-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true };
    const names = Array.from({ length: 6 }, (_, i) => `web-${i}`);
    await Promise.all(names.map((n) => cp.client.create('pods', 'default', podBody(n, { labels: { app: 'web' }, owner, cpu: '10m' }))));
    await eventually(() => names.every((n) => nodeOf(n)), { what: 'all bound' });
    expect(countByNode(names)).toEqual({ 'kite-node-1': 2, 'kite-node-2': 2, 'kite-node-3': 2 });
  });

  it('spreads the pods selected by a Service even without an owner, over resource balance', async () => {
    for (const n of ['kite-node-1', 'kite-node-2', 'kite-node-3']) await createNode(cp.client, n);
    await cp.client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } });
    // The Service's pods already on nodes 1 and 2; unrelated, heavier pods on node 3.
    await cp.client.create('pods', 'default', podBody('api-0', { labels: { app: 'api' }, nodeName: 'kite-node-1' }));
    await cp.client.create('pods', 'default', podBody('api-1', { labels: { app: 'api' }, nodeName: 'kite-node-2' }));
    await cp.client.create('pods', 'default', podBody('batch-0', { cpu: '1', nodeName: 'kite-node-3' }));
    await cp.client.create('pods', 'default', podBody('batch-1', { cpu: '1', nodeName: 'kite-node-3' }));
    start();
    await cp.client.create('pods', 'default', podBody('api-2', { labels: { app: 'api' } }));
    await eventually(() => nodeOf('api-2'), { what: 'api-2 bound' });
    expect(nodeOf('api-2')).toBe('kite-node-3');
    // Without the Service, the same pod would go by resources (node 3 is the busiest).
    await cp.client.create('pods', 'default', podBody('lonely', { labels: { app: 'other' } }));
    await eventually(() => nodeOf('lonely'), { what: 'lonely bound' });
    expect(nodeOf('lonely')).not.toBe('kite-node-3');
  });

  it('fits pods by requests and reports the exact FitError when none fits', async () => {
    for (const n of ['kite-node-1', 'kite-node-2', 'kite-node-3']) await createNode(cp.client, n, { cpu: '1', memory: '2Gi' });
    start();
    for (let i = 0; i < 3; i++) await cp.client.create('pods', 'default', podBody(`fit-${i}`, { cpu: '600m' }));
    await eventually(() => [0, 1, 2].every((i) => nodeOf(`fit-${i}`)), { what: 'three bound' });
    expect(Object.keys(countByNode(['fit-0', 'fit-1', 'fit-2'])).sort()).toEqual(['kite-node-1', 'kite-node-2', 'kite-node-3']);

    await cp.client.create('pods', 'default', podBody('extra', { cpu: '600m' }));
    const cond = await eventually(() => {
      const c = podScheduled(cp.client.get('pods', 'default', 'extra'));
      return c?.status === 'False' ? c : undefined;
    });
    expect(cond).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: SEED_NO_CPU });
    const ev = await eventually(() => eventsFor(cp.client, 'extra', 'FailedScheduling')[0]);
    expect(ev).toMatchObject({ type: 'Warning', message: SEED_NO_CPU, source: { component: 'default-scheduler' } });
    expect(cp.client.get('pods', 'default', 'extra')!.status?.phase).toBe('Pending');

    // Deleting a bound pod frees its node: the pending pod is retried and lands there.
    const freed = nodeOf('fit-1');
    await cp.client.delete('pods', 'default', 'fit-1', { gracePeriodSeconds: 0 });
    await eventually(() => nodeOf('extra') === freed, { what: 'pending pod placed after a delete' });
  });

  it('reports mixed reasons sorted as strings, with counts', async () => {
    await createNode(cp.client, 'kite-node-1', { cpu: '1', memory: '8Gi' });
    await createNode(cp.client, 'kite-node-2', { cpu: '8', memory: '256Mi' });
    await createNode(cp.client, 'kite-node-3', { cpu: '1', memory: '8Gi' });
    await createNode(cp.client, 'kite-node-4', { unschedulable: true });
    start();
    await cp.client.create('pods', 'default', podBody('big', { cpu: '2', memory: '1Gi' }));
    const cond = await eventually(() => (podScheduled(cp.client.get('pods', 'default', 'big'))?.status === 'False' ? podScheduled(cp.client.get('pods', 'default', 'big')) : undefined));
    expect(cond!.message).toBe(
      '0/4 nodes are available: 1 Insufficient memory, 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..',
    );
  });

  it('the seed node-js-constraints pod (limits only, 1500m) fits no 1-cpu node, then fits a node added later', async () => {
    for (const n of ['kite-node-1', 'kite-node-2', 'kite-node-3']) await createNode(cp.client, n, { cpu: '1', memory: '4Gi' });
    start();
    const rc: ReplicationController = parse(readFileSync(new URL('../../fixtures/seed/node-js-constraints-rc.yaml', import.meta.url), 'utf8'));
    const template = rc.spec.template;
    const pod = await cp.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'node-js-constraints-x7k2p', labels: template.metadata?.labels }, spec: template.spec });
    expect(pod.spec.containers[0]?.resources?.requests).toEqual({ cpu: '1500m', memory: '512Mi' });
    const cond = await eventually(() => {
      const c = podScheduled(cp.client.get('pods', 'default', 'node-js-constraints-x7k2p'));
      return c?.status === 'False' ? c : undefined;
    });
    expect(cond).toMatchObject({ reason: 'Unschedulable', message: SEED_NO_CPU });
    const ev = await eventually(() => eventsFor(cp.client, 'node-js-constraints-x7k2p', 'FailedScheduling')[0]);
    expect(ev.message).toBe(SEED_NO_CPU);

    await createNode(cp.client, 'kite-node-4', { cpu: '2', memory: '4Gi' });
    await eventually(() => nodeOf('node-js-constraints-x7k2p') === 'kite-node-4', { what: 'retried on node add' });
    expect(podScheduled(cp.client.get('pods', 'default', 'node-js-constraints-x7k2p'))).toMatchObject({ status: 'True' });
  });

  it('honours nodeSelector, and retries when a node gets the label', async () => {
    for (const n of ['kite-node-1', 'kite-node-2', 'kite-node-3']) await createNode(cp.client, n);
    start();
    await cp.client.create('pods', 'default', podBody('ssd', { nodeSelector: { disktype: 'ssd' } }));
    const cond = await eventually(() => (podScheduled(cp.client.get('pods', 'default', 'ssd'))?.status === 'False' ? podScheduled(cp.client.get('pods', 'default', 'ssd')) : undefined));
    expect(cond!.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
    );
    const node = cp.client.get('nodes', undefined, 'kite-node-2')!;
    await cp.client.update('nodes', { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, disktype: 'ssd' } } });
    await eventually(() => nodeOf('ssd') === 'kite-node-2', { what: 'scheduled on the labelled node' });
  });

  it('skips tainted nodes unless the pod tolerates the taint', async () => {
    const taint: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };
    await createNode(cp.client, 'kite-node-1', { taints: [taint] });
    await createNode(cp.client, 'kite-node-2', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    start();
    await cp.client.create('pods', 'default', podBody('plain'));
    const cond = await eventually(() => (podScheduled(cp.client.get('pods', 'default', 'plain'))?.status === 'False' ? podScheduled(cp.client.get('pods', 'default', 'plain')) : undefined));
    expect(cond!.message).toBe(
      '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..',
    );
    await cp.client.create('pods', 'default', podBody('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }));
    await eventually(() => nodeOf('tolerant') === 'kite-node-2', { what: 'tolerating pod placed' });
  });

  it('counts pods against allocatable.pods and host ports', async () => {
    await createNode(cp.client, 'kite-node-1', { pods: 2 });
    start();
    await cp.client.create('pods', 'default', podBody('a', { hostPort: 8080 }));
    await eventually(() => nodeOf('a'));
    await cp.client.create('pods', 'default', podBody('b', { hostPort: 8080 }));
    await cp.client.create('pods', 'default', podBody('c'));
    await eventually(() => nodeOf('c'));
    const cond = await eventually(() => (podScheduled(cp.client.get('pods', 'default', 'b'))?.status === 'False' ? podScheduled(cp.client.get('pods', 'default', 'b')) : undefined));
    // Both a (host port) and c are there now: the first failing filter decides (NodePorts before NodeResourcesFit).
    expect(cond!.message).toMatch(/^0\/1 nodes are available: 1 (node\(s\) didn't have free ports for the requested pod ports|Too many pods)\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.\.$/);
    await cp.client.create('pods', 'default', podBody('d'));
    const d = await eventually(() => (podScheduled(cp.client.get('pods', 'default', 'd'))?.status === 'False' ? podScheduled(cp.client.get('pods', 'default', 'd')) : undefined));
    expect(d!.message).toBe('0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..');
  });

  it('says so when there are no nodes, and schedules once one registers', async () => {
    start();
    await cp.client.create('pods', 'default', podBody('early'));
    const cond = await eventually(() => (podScheduled(cp.client.get('pods', 'default', 'early'))?.status === 'False' ? podScheduled(cp.client.get('pods', 'default', 'early')) : undefined));
    expect(cond).toMatchObject({ reason: 'Unschedulable', message: 'no nodes available to schedule pods' });
    await createNode(cp.client, 'kite-node-1');
    await eventually(() => nodeOf('early') === 'kite-node-1');
  });

  it('leaves pods of other schedulers and pods being deleted alone', async () => {
    await createNode(cp.client, 'kite-node-1');
    start();
    const other = podBody('other');
    other.spec.schedulerName = 'my-scheduler';
    await cp.client.create('pods', 'default', other);
    await cp.client.create('pods', 'default', podBody('mine'));
    await eventually(() => nodeOf('mine'));
    await scheduler!.idle();
    expect(nodeOf('other')).toBeUndefined();
    expect(podScheduled(cp.client.get('pods', 'default', 'other'))).toBeUndefined();
  });

  it('schedules a burst of pods on many nodes without overcommitting any', async () => {
    for (let i = 1; i <= 10; i++) await createNode(cp.client, `kite-node-${i}`, { cpu: '1', memory: '8Gi' });
    start();
    const names = Array.from({ length: 60 }, (_, i) => `burst-${i}`);
    await Promise.all(names.map((n) => cp.client.create('pods', 'default', podBody(n, { cpu: '200m' }))));
    // 10 nodes × 5 pods of 200m fit; the other 10 stay pending.
    await eventually(() => names.filter((n) => nodeOf(n)).length === 50 && names.filter((n) => podScheduled(cp.client.get('pods', 'default', n))?.status === 'False').length === 10, {
      what: '50 bound, 10 unschedulable',
    });
    expect(Object.values(countByNode(names)).every((c) => c === 5)).toBe(true);
  });
});

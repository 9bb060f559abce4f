import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Node, Pod, Toleration } from '../../lib/api/model.ts';
import {
  NODE_STATUS_UNKNOWN_MESSAGE,
  NODE_STATUS_UNKNOWN_REASON,
  startNodeLifecycleController,
  TAINT_NODE_UNREACHABLE,
  type NodeLifecycleController,
} from '../../runtime/controllers/node-lifecycle.ts';
import { startKubelets, type KubeletFleet } from '../../runtime/kubelet/fleet.ts';
import { TAINT_NODE_UNSCHEDULABLE } from '../../lib/api/taints.ts';
import { setNodeStopped } from '../../runtime/kubelet/node.ts';
import { startScheduler, type Scheduler } from '../../runtime/scheduler/scheduler.ts';
import { eventually, startControlPlane, type TestControlPlane } from './harness.ts';

let cp: TestControlPlane;
let nodes: KubeletFleet | undefined;
let nlc: NodeLifecycleController | undefined;
let scheduler: Scheduler | undefined;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await scheduler?.stop();
  await nlc?.stop();
  await nodes?.stop();
  scheduler = undefined;
  nlc = undefined;
  nodes = undefined;
  await cp.close();
});

const kubelet = { leaseRenewIntervalMs: 50, nodeStatusUpdateIntervalMs: 50, nodeStatusReportIntervalMs: 60_000 };

function pod(name: string, o: { nodeName?: string; tolerations?: Toleration[] } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: { ...(o.nodeName ? { nodeName: o.nodeName } : {}), ...(o.tolerations ? { tolerations: o.tolerations } : {}), containers: [{ name: 'web', image: 'nginx' }] },
  };
}

const getPod = (name: string) => cp.client.get('pods', 'default', name);
const getNode = (name: string) => cp.client.get('nodes', undefined, name)!;
const cond = (o: Pod | Node | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type);

describe('node lifecycle controller', () => {
  it('a stopped node goes NotReady (Unknown), is tainted, its pods turn unready then are evicted; started again it is Ready and untainted', async () => {
    nodes = await startKubelets(cp.client, { count: 2, cpu: '2', memory: '4Gi', ...kubelet });
    nlc = startNodeLifecycleController(cp.client, { nodeMonitorGracePeriodMs: 400, nodeMonitorPeriodMs: 50, podEvictionTimeoutMs: 600 });
    scheduler = startScheduler(cp.client, { initialBackoffMs: 20, maxBackoffMs: 100 });

    await cp.client.create('pods', 'default', pod('bare', { nodeName: 'kite-node-1' }));
    // Tolerates unreachable forever: never evicted.
    await cp.client.create('pods', 'default', pod('stays', { nodeName: 'kite-node-1', tolerations: [{ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }] }));
    await eventually(() => cond(getPod('bare'), 'Ready')?.status === 'True' && cond(getPod('stays'), 'Ready')?.status === 'True', { what: 'pods running' });
    // Healthy nodes stay Ready well past the grace period.
    await eventually(() => nlc!.scheduledEvictions().size === 0 && !getNode('kite-node-1').spec?.taints);

    await setNodeStopped(cp.client, 'kite-node-1', true);

    const ready = await eventually(() => (cond(getNode('kite-node-1'), 'Ready')?.status === 'Unknown' ? cond(getNode('kite-node-1'), 'Ready') : undefined), {
      what: 'node Ready=Unknown',
    });
    expect(ready).toMatchObject({ reason: NODE_STATUS_UNKNOWN_REASON, message: NODE_STATUS_UNKNOWN_MESSAGE });
    expect(cond(getNode('kite-node-1'), 'MemoryPressure')).toMatchObject({ status: 'Unknown', reason: NODE_STATUS_UNKNOWN_REASON });
    const taints = await eventually(() => getNode('kite-node-1').spec?.taints, { what: 'taints' });
    expect(taints.map((t) => `${t.key}:${t.effect}`).sort()).toEqual([`${TAINT_NODE_UNREACHABLE}:NoExecute`, `${TAINT_NODE_UNREACHABLE}:NoSchedule`]);
    expect(taints.find((t) => t.effect === 'NoExecute')!.timeAdded).toBeTruthy();
    // The healthy node is untouched.
    expect(cond(getNode('kite-node-2'), 'Ready')!.status).toBe('True');

    await eventually(() => cond(getPod('bare'), 'Ready')?.status === 'False', { what: 'pod Ready=False' });
    const events = cp.client.list('events', 'default').items;
    expect(events.some((e) => e.involvedObject.kind === 'Node' && e.reason === 'NodeNotReady' && e.message === 'Node kite-node-1 status is now: NodeNotReady')).toBe(true);
    await eventually(() => cp.client.list('events', 'default').items.some((e) => e.involvedObject.name === 'bare' && e.reason === 'NodeNotReady' && e.type === 'Warning'));

    // New pods avoid the unreachable node.
    await cp.client.create('pods', 'default', pod('new'));
    await eventually(() => getPod('new')?.spec?.nodeName === 'kite-node-2', { what: 'new pod on the healthy node' });

    // After the eviction timeout the pod is deleted; its kubelet is down, so it stays Terminating.
    const evicted = await eventually(() => (getPod('bare')?.metadata.deletionTimestamp ? getPod('bare') : undefined), { what: 'eviction' });
    expect(cond(evicted, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    await eventually(() => cp.client.list('events', 'default').items.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/bare'));
    expect(getPod('stays')!.metadata.deletionTimestamp).toBeUndefined();

    await setNodeStopped(cp.client, 'kite-node-1', false);
    await eventually(() => cond(getNode('kite-node-1'), 'Ready')?.status === 'True' && !getNode('kite-node-1').spec?.taints, { what: 'Ready and untainted' });
    // The kubelet finishes the deletion; the tolerating pod is Ready again.
    await eventually(() => !getPod('bare'), { what: 'evicted pod gone' });
    await eventually(() => cond(getPod('stays'), 'Ready')?.status === 'True', { what: 'pod Ready again' });
  });

  it('evicts at once a pod that does not tolerate a NoExecute taint, after tolerationSeconds one that does', async () => {
    nodes = await startKubelets(cp.client, { count: 1, cpu: '2', memory: '4Gi', ...kubelet });
    nlc = startNodeLifecycleController(cp.client, { nodeMonitorGracePeriodMs: 60_000, nodeMonitorPeriodMs: 50, podEvictionTimeoutMs: 60_000 });
    await cp.client.create('pods', 'default', pod('plain', { nodeName: 'kite-node-1' }));
    await cp.client.create('pods', 'default', pod('tolerant', { nodeName: 'kite-node-1', tolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }] }));
    await eventually(() => cond(getPod('plain'), 'Ready')?.status === 'True' && cond(getPod('tolerant'), 'Ready')?.status === 'True');
    const node = getNode('kite-node-1');
    await cp.client.update('nodes', { ...node, spec: { ...node.spec, taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
    // The kubelet is running: evicted pods are deleted for good.
    await eventually(() => !getPod('plain'), { what: 'untolerating pod evicted' });
    expect(getPod('tolerant')).toBeTruthy();
    await eventually(() => !getPod('tolerant'), { what: 'tolerating pod evicted after 1s', timeoutMs: 5_000 });
  });

  it('a cordoned node gets node.kubernetes.io/unschedulable:NoSchedule (no timeAdded) beside its other taints; uncordoned, it loses only that', async () => {
    nodes = await startKubelets(cp.client, { count: 1, cpu: '2', memory: '4Gi', ...kubelet });
    nlc = startNodeLifecycleController(cp.client, { nodeMonitorGracePeriodMs: 60_000, nodeMonitorPeriodMs: 50 });
    const own = { key: 'example.com/own', value: 'x', effect: 'NoSchedule' as const };
    await cp.client.patch('nodes', undefined, 'kite-node-1', 'merge', { spec: { unschedulable: true, taints: [own] } });
    await eventually(() => getNode('kite-node-1').spec?.taints?.length === 2, { what: 'cordon taint' });
    expect(getNode('kite-node-1').spec?.taints).toEqual([own, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }]);
    await cp.client.patch('nodes', undefined, 'kite-node-1', 'merge', { spec: { unschedulable: null } });
    await eventually(() => getNode('kite-node-1').spec?.taints?.length === 1, { what: 'cordon taint removed' });
    expect(getNode('kite-node-1').spec?.taints).toEqual([own]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../../lib/api/model.ts';
import { PodIPAllocator } from '../../../runtime/kubelet/ipam.ts';
import { simulatedBackend } from '../../../runtime/kubelet/backends/index.ts';
import { startKubelets, type KubeletFleet } from '../../../runtime/kubelet/fleet.ts';
import { Kubelet } from '../../../runtime/kubelet/kubelet.ts';
import { KUBELET_VERSION, NODE_LEASE_NAMESPACE, setNodeStopped } from '../../../runtime/kubelet/node.ts';
import { statusImage } from '../../../runtime/kubelet/status.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;
let nodes: KubeletFleet | undefined;
let single: Kubelet | undefined;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await nodes?.stop();
  await single?.stop();
  nodes = undefined;
  single = undefined;
  await cp.close();
});

const fast = { leaseRenewIntervalMs: 50, nodeStatusUpdateIntervalMs: 50, nodeStatusReportIntervalMs: 60_000 };

function pod(name: string, nodeName: string, extra: Partial<PodSpec> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, containers: [{ name: 'web', image: 'nginx' }, { name: 'sidecar', image: 'busybox:1.36' }], ...extra },
  };
}

const get = (name: string) => cp.client.get('pods', 'default', name);
const ready = (p: Pod | undefined) => p?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

describe('simulated nodes', () => {
  it('register Nodes with labels, capacity, conditions, nodeInfo and a Lease', async () => {
    nodes = await startKubelets(cp.client, { count: 2, cpu: '2', memory: '4Gi', ...fast });
    const node = cp.client.get('nodes', undefined, 'kite-node-2')!;
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'kite-node-2', 'kubernetes.io/os': 'linux' });
    expect(node.metadata.labels!['kubernetes.io/arch']).toBeTruthy();
    expect(node.spec).toMatchObject({ podCIDR: '127.200.2.0/24', podCIDRs: ['127.200.2.0/24'] });
    expect(node.status!.capacity).toMatchObject({ cpu: '2', memory: '4Gi', pods: '110' });
    expect(node.status!.allocatable).toMatchObject({ cpu: '2', memory: '4Gi', pods: '110' });
    expect(node.status!.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    expect(node.status!.conditions![3]!).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(node.status!.conditions![3]!.lastHeartbeatTime).toMatch(/Z$/);
    expect(node.status!.nodeInfo).toMatchObject({ kubeletVersion: KUBELET_VERSION, containerRuntimeVersion: 'kite://0.1.0', operatingSystem: 'linux' });
    // Deprecated, unset by 1.31+ kubelets, but always serialized (no omitempty): an empty string, as a 1.32 cluster shows.
    expect(node.status!.nodeInfo!.kubeProxyVersion).toBe('');
    expect(node.status!.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'kite-node-2' },
    ]);
    expect(cp.client.get('namespaces', undefined, NODE_LEASE_NAMESPACE)).toBeTruthy();
    const lease = cp.client.get('leases', NODE_LEASE_NAMESPACE, 'kite-node-2')!;
    expect(lease.spec).toMatchObject({ holderIdentity: 'kite-node-2', leaseDurationSeconds: 40 });
    expect(lease.spec!.renewTime).toMatch(/\.\d{6}Z$/);
    expect(lease.metadata.ownerReferences![0]).toMatchObject({ kind: 'Node', name: 'kite-node-2', uid: node.metadata.uid });
    // The lease is renewed.
    const rv = lease.metadata.resourceVersion;
    await eventually(() => cp.client.get('leases', NODE_LEASE_NAMESPACE, 'kite-node-2')!.metadata.resourceVersion !== rv, { what: 'lease renewal' });
  });

  it('run a bound pod at once: Running, Ready, an IP from the node range, container statuses', async () => {
    nodes = await startKubelets(cp.client, { count: 2, cpu: '2', memory: '4Gi', ...fast });
    await cp.client.create('pods', 'default', pod('web', 'kite-node-1'));
    const p = await eventually(() => (ready(get('web')) ? get('web') : undefined), { what: 'pod ready' });
    expect(p.status!.phase).toBe('Running');
    expect(p.status!.qosClass).toBe('BestEffort');
    expect(p.status!.hostIP).toBe('127.0.0.1');
    expect(p.status!.podIP).toMatch(/^127\.200\.1\.\d+$/);
    expect(p.status!.podIPs).toEqual([{ ip: p.status!.podIP }]);
    expect(p.status!.startTime).toBeTruthy();
    expect(p.status!.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(p.status!.containerStatuses!.map((c) => c.name)).toEqual(['sidecar', 'web']);
    expect(p.status!.containerStatuses![1]!).toMatchObject({
      name: 'web',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'docker.io/library/nginx:latest',
      state: { running: { startedAt: p.status!.startTime } },
    });
    expect(p.status!.containerStatuses![1]!.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(p.status!.containerStatuses![1]!.containerID).toMatch(/^kite:\/\/[0-9a-f]{64}$/);
    const events = cp.client.list('events', 'default').items.filter((e) => e.involvedObject.name === 'web').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual(
      expect.arrayContaining(['Pulled: Container image "nginx" already present on machine', 'Created: Created container: web', 'Started: Started container web']),
    );

    // A second pod gets another address.
    await cp.client.create('pods', 'default', pod('web2', 'kite-node-1'));
    const p2 = await eventually(() => (ready(get('web2')) ? get('web2') : undefined));
    expect(p2.status!.podIP).not.toBe(p.status!.podIP);
  });

  it('finish a graceful deletion and release the IP', async () => {
    nodes = await startKubelets(cp.client, { count: 1, cpu: '2', memory: '4Gi', ...fast });
    const node = nodes.nodes[0]!;
    const free = node.ipam.free;
    await cp.client.create('pods', 'default', pod('web', 'kite-node-1'));
    await eventually(() => ready(get('web')));
    expect(node.ipam.free).toBe(free - 1);
    const deleting = await cp.client.delete('pods', 'default', 'web');
    // The API keeps the pod (graceful) until the kubelet deletes it with grace 0.
    expect(deleting.metadata.deletionTimestamp).toBeTruthy();
    await eventually(() => !get('web'), { what: 'pod gone' });
    expect(node.ipam.free).toBe(free);
  });

  it('stop: no heartbeats, pods left alone; start: heartbeats and pods resume', async () => {
    nodes = await startKubelets(cp.client, { count: 1, cpu: '2', memory: '4Gi', ...fast });
    const node = nodes.nodes[0]!;
    await setNodeStopped(cp.client, 'kite-node-1', true);
    await eventually(() => node.isStopped, { what: 'node sees the annotation' });
    // A renewal already on its way when the annotation arrived may still land.
    await node.heartbeatIdle();
    const renew = cp.client.get('leases', NODE_LEASE_NAMESPACE, 'kite-node-1')!.spec!.renewTime;
    await cp.client.create('pods', 'default', pod('late', 'kite-node-1'));
    // Several renew intervals pass without a renewal or a status for the pod.
    await new Promise((r) => setTimeout(r, 300));
    expect(cp.client.get('leases', NODE_LEASE_NAMESPACE, 'kite-node-1')!.spec!.renewTime).toBe(renew);
    expect(get('late')!.status!.phase).toBe('Pending');

    await setNodeStopped(cp.client, 'kite-node-1', false);
    await eventually(() => ready(get('late')), { what: 'pod started after start' });
    expect(cp.client.get('leases', NODE_LEASE_NAMESPACE, 'kite-node-1')!.spec!.renewTime).not.toBe(renew);
  });

  it('a single node with its own field-selected watch, restarted: keeps pod IPs', async () => {
    single = new Kubelet(cp.client, { backend: simulatedBackend, name: 'kite-node-5', cpu: '1', memory: '1Gi', ...fast });
    await single.start();
    await cp.client.create('pods', 'default', pod('a', 'kite-node-5'));
    await cp.client.create('pods', 'default', pod('elsewhere', 'kite-node-6'));
    const a = await eventually(() => (ready(get('a')) ? get('a') : undefined));
    expect(a.status!.podIP).toMatch(/^127\.200\.5\./);
    expect(get('elsewhere')!.status!.phase).toBe('Pending');
    await single.stop();

    single = new Kubelet(cp.client, { backend: simulatedBackend, name: 'kite-node-5', cpu: '1', memory: '1Gi', ...fast });
    await single.start();
    expect(single.ipam.ipOf(a.metadata.uid!)).toBe(a.status!.podIP);
    await cp.client.create('pods', 'default', pod('b', 'kite-node-5'));
    const b = await eventually(() => (ready(get('b')) ? get('b') : undefined));
    expect(b.status!.podIP).not.toBe(a.status!.podIP);
    expect(get('a')!.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
  });

  it('restores the Ready status the node controller took away', async () => {
    nodes = await startKubelets(cp.client, { count: 1, cpu: '2', memory: '4Gi', ...fast });
    const node = cp.client.get('nodes', undefined, 'kite-node-1')!;
    const conditions = node.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown' } : c));
    await cp.client.updateStatus('nodes', { ...node, status: { ...node.status, conditions } });
    await eventually(() => cp.client.get('nodes', undefined, 'kite-node-1')!.status!.conditions!.find((c) => c.type === 'Ready')!.status === 'True', {
      what: 'Ready again',
    });
  });
});

describe('pod IPs and images', () => {
  it('allocates the lowest free address, skipping network, gateway and broadcast', () => {
    const ipam = new PodIPAllocator('127.201.3.0/30');
    expect(ipam.allocate('a')).toBe('127.201.3.2');
    expect(ipam.allocate('a')).toBe('127.201.3.2');
    expect(ipam.allocate('b')).toBeUndefined();
    ipam.release('a');
    expect(ipam.reserve('127.201.3.2', 'c')).toBe(true);
    expect(ipam.reserve('127.201.3.2', 'd')).toBe(false);
    expect(ipam.contains('127.201.3.3')).toBe(false);
  });

  it('normalizes image references as container statuses show them', () => {
    expect(statusImage('nginx')).toBe('docker.io/library/nginx:latest');
    expect(statusImage('bitnami/apache:latest')).toBe('docker.io/bitnami/apache:latest');
    expect(statusImage('gcr.io/kuar-demo/kuard-amd64:blue')).toBe('gcr.io/kuar-demo/kuard-amd64:blue');
  });
});

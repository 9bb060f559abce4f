/** The kubelet core with a scripted backend: what any backend (simulated, process) can rely on. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../../lib/api/model.ts';
import type { KubeletBackend, KubeletHost, PodSyncContext } from '../../../runtime/kubelet/backend.ts';
import { chooseKubeletBackend } from '../../../runtime/kubelet/backends/index.ts';
import { Kubelet } from '../../../runtime/kubelet/kubelet.ts';
import { setNodeStopped } from '../../../runtime/kubelet/node.ts';
import type { ContainerState, PodContainerStatuses } from '../../../runtime/kubelet/status.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';

/** A backend whose containers are in whatever state the test says. */
class ScriptedBackend implements KubeletBackend {
  host!: KubeletHost;
  state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  ready = false;
  readonly calls: string[] = [];

  async start(): Promise<void> {
    this.calls.push('start');
  }

  async stop(): Promise<void> {
    this.calls.push('stop');
  }

  async syncPod(pod: Pod, ctx: PodSyncContext): Promise<PodContainerStatuses> {
    expect(ctx.podIP).toMatch(/^127\.200\.4\./);
    return {
      initContainerStatuses: [],
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        state: this.state,
        lastState: {},
        ready: this.ready,
        restartCount: 0,
        image: c.image ?? '',
        imageID: '',
        started: !!this.state.running,
      })),
    };
  }

  async killPod(pod: Pod, gracePeriodSeconds: number): Promise<void> {
    this.calls.push(`kill ${pod.metadata.name} ${gracePeriodSeconds}`);
  }
}

let cp: TestControlPlane;
let kubelet: Kubelet | undefined;
let backend: ScriptedBackend;

beforeEach(async () => {
  cp = await startControlPlane();
  backend = new ScriptedBackend();
  kubelet = new Kubelet(cp.client, {
    name: 'kite-node-4',
    cpu: '1',
    memory: '1Gi',
    backend: (host) => ((backend.host = host), backend),
    leaseRenewIntervalMs: 50,
    nodeStatusUpdateIntervalMs: 50,
  });
  await kubelet.start();
});

afterEach(async () => {
  await kubelet?.stop();
  kubelet = undefined;
  await cp.close();
});

const get = (name: string) => cp.client.get('pods', 'default', name);
const conditions = (p: Pod | undefined) => (p?.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`);

async function createPod(name: string, extra: Partial<PodSpec> = {}): Promise<Pod> {
  return cp.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'kite-node-4', containers: [{ name: 'app', image: 'example/app:1' }], ...extra } });
}

describe('kubelet core', () => {
  it('posts the status the backend reports, and again when the backend says the pod changed', async () => {
    await createPod('web');
    const pending = await eventually(() => get('web')?.status?.containerStatuses && get('web'));
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.status?.podIP).toMatch(/^127\.200\.4\./);
    expect(pending.status?.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(conditions(pending)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);

    backend.state = { running: { startedAt: '2025-01-01T00:00:00Z' } };
    backend.ready = true;
    backend.host.podChanged('default/web');
    const running = await eventually(() => get('web')?.status?.phase === 'Running' && get('web'));
    expect(conditions(running)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(running.status?.podIP).toBe(pending.status?.podIP);

    // Nothing changed: no write.
    const rv = running.metadata.resourceVersion;
    backend.host.podChanged('default/web');
    await kubelet!.idle();
    expect(get('web')!.metadata.resourceVersion).toBe(rv);
  });

  it('reports terminated containers with the phase their restartPolicy gives', async () => {
    backend.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:01Z' } };
    await createPod('job', { restartPolicy: 'Never' });
    await eventually(() => get('job')?.status?.phase === 'Succeeded', { what: 'Succeeded' });
  });

  it('has the backend kill a deleted pod (with its grace period) before deleting it, and releases its IP', async () => {
    await createPod('web', { terminationGracePeriodSeconds: 7 });
    await eventually(() => get('web')?.status?.podIP);
    const free = kubelet!.ipam.free;
    await cp.client.delete('pods', 'default', 'web');
    await eventually(() => !get('web'), { what: 'pod gone' });
    expect(backend.calls).toContain('kill web 7');
    expect(kubelet!.ipam.free).toBe(free + 1);
  });

  it('has the backend kill a pod that vanished (deleted with grace 0)', async () => {
    await createPod('web');
    await eventually(() => get('web')?.status?.podIP);
    await cp.client.delete('pods', 'default', 'web', { gracePeriodSeconds: 0 });
    await eventually(() => backend.calls.includes('kill web 0'), { what: 'kill' });
  });

  it('stops the backend on `kite node stop` and starts it again on `kite node start`', async () => {
    expect(backend.calls).toEqual(['start']);
    await setNodeStopped(cp.client, 'kite-node-4', true);
    await eventually(() => backend.calls.includes('stop'));
    await setNodeStopped(cp.client, 'kite-node-4', false);
    await eventually(() => backend.calls.filter((c) => c === 'start').length === 2);
  });
});

describe('backend choice', () => {
  it('kite up --simulate runs the simulated backend; without it, processes', () => {
    expect(chooseKubeletBackend({ simulate: true })).toEqual({ backend: 'simulated' });
    expect(chooseKubeletBackend({ simulate: false })).toEqual({ backend: 'process' });
  });
});

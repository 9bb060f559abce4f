import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { KubeClient, KubeconfigError, loadKubeconfig, type ResourceRef, type Watch, type WatchEvent, type WatchOptions } from '../../lib/kube/index.ts';
import type { ObjectRef } from '../../lib/plan/plan.ts';
import { readiness } from '../../lib/plan/readiness.ts';
import { waitForReady, type WaitState } from '../../lib/plan/wait.ts';
import { Readable } from 'node:stream';
import type { Pod } from '../../lib/api/model.ts';
import { loadOrCreateCredentials } from '../../runtime/apiserver/tls.ts';
import type { ContainerLogOptions } from '../../runtime/kubelet/backend.ts';
import { startKubeletServer, type RunningKubeletServer } from '../../runtime/kubelet/server.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

/** A real client that counts its open watches (to see that the wait closes them all). */
class CountingClient extends KubeClient {
  open = 0;
  started = 0;
  override watch<T = KubeObject>(ref: ResourceRef, opts: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Watch {
    const w = super.watch(ref, opts, onEvent);
    this.open++;
    this.started++;
    const settle = () => this.open--;
    w.done.then(settle, settle);
    return w;
  }
}

const logCalls: Array<{ ns: string | undefined; pod: string | undefined } & ContainerLogOptions> = [];
const LOG = Array.from({ length: 15 }, (_, i) => `log line ${i + 1}`);

let rt: TestRuntime;
let client: CountingClient;
let kubelet: RunningKubeletServer;
/** A node whose kubelet serves only logs (LOG), for pods whose status the tests write themselves. */
const LOGS_NODE = 'kite-node-logs';

/** Registers the logs node for the time of `body` (the scheduler would count it otherwise). */
async function withLogsNode(body: () => Promise<void>): Promise<void> {
  await rt.runtime.client.create('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: LOGS_NODE }, spec: { unschedulable: true } });
  try {
    const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } };
    await rt.runtime.client.patch('nodes', undefined, LOGS_NODE, 'merge', { status }, { subresource: 'status' });
    await body();
  } finally {
    await rt.runtime.client.delete('nodes', undefined, LOGS_NODE);
  }
}

beforeAll(async () => {
  rt = await startTestRuntime();
  const { token } = await loadOrCreateCredentials(rt.dir);
  kubelet = await startKubeletServer({
    pod: (ns, name) => rt.runtime.client.get('pods', ns, name) as Pod | undefined,
    nodeName: LOGS_NODE,
    token,
    backend: {
      start: async () => {},
      stop: async () => {},
      syncPod: () => Promise.reject(new Error('not a running node')),
      killPod: async () => {},
      logs: async (p, o) => {
        logCalls.push({ ns: p.metadata.namespace, pod: p.metadata.name, ...o });
        const lines = o.tailLines !== undefined ? LOG.slice(-o.tailLines) : LOG;
        return Readable.from(lines.map((l) => `${l}\n`));
      },
    },
  });
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new CountingClient(target);
});

afterAll(async () => {
  client?.close();
  await kubelet?.close();
  await rt?.close();
});

async function kubectl(args: string[], input?: unknown): Promise<string> {
  // Several objects: a stream of JSON documents.
  const text = Array.isArray(input) ? input.map((o) => JSON.stringify(o)).join('\n') : JSON.stringify(input);
  const r = await rt.kubectl(args, input === undefined ? {} : { input: text });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Writes a pod's status through the real API (the pod is on a node no kubelet serves). */
async function patchStatus(ns: string, name: string, status: Record<string, unknown>): Promise<void> {
  await kubectl(['patch', 'pod', name, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
}

async function namespace(name: string): Promise<string> {
  await kubectl(['apply', '-f', '-'], { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

const pod = (ns: string, name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra },
});

const ref = (kind: string, ns: string | undefined, name: string, apiVersion = 'v1'): ObjectRef => ({ apiVersion, kind, ...(ns ? { namespace: ns } : {}), name });

describe('waitForReady', () => {
  it('waits for a ReplicaSet of 3 to become ready, reporting progress', async () => {
    const ns = await namespace('wait-rs');
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'api', namespace: ns },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } },
      },
    };
    const updates: WaitState[] = [];
    let applied: Promise<string> | undefined;
    const result = await waitForReady(client, [ref('ReplicaSet', ns, 'api', 'apps/v1')], {
      timeoutMs: 20_000,
      onUpdate: (s) => {
        updates.push(s);
        // Applied after the wait has seen the object missing: the whole progression is observed.
        applied ??= kubectl(['apply', '-f', '-'], rs);
      },
    });
    await applied;
    expect(result.ready.map((r) => r.name)).toEqual(['api']);
    expect(result.failed).toEqual([]);
    expect(result.timedOut).toEqual([]);

    const details = updates.flatMap((u) => u.changed.map((c) => `${c.status}: ${c.detail}`));
    expect(details[0]).toBe('waiting: not found');
    expect(details.at(-1)).toBe('ready: 3/3 ready');
    // In between: the replica counts as the controller and the (simulated) kubelets report them.
    for (const d of details.slice(1, -1)) expect(d).toMatch(/^waiting: [0-3]\/3 ready/);
    expect(details.length).toBeGreaterThan(2);
    expect(updates.at(-1)!.done).toBe(true);
    expect(updates.slice(0, -1).every((u) => !u.done)).toBe(true);
    expect(client.open).toBe(0);
  });

  it('a Service with a selector is ready once its endpoints have an address; ExternalName and selector-less ones at once', async () => {
    const ns = await namespace('wait-svc');
    await kubectl(['apply', '-f', '-'], [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: ns }, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: ns }, spec: { ports: [{ port: 5432 }] } },
    ]);
    const seen: string[] = [];
    let created: Promise<string> | undefined;
    const result = await waitForReady(client, [ref('Service', ns, 'web'), ref('Service', ns, 'ext'), ref('Service', ns, 'manual')], {
      timeoutMs: 20_000,
      onUpdate: (s) => {
        for (const c of s.changed) seen.push(`${c.ref.name} ${c.status}: ${c.detail}`);
        if (!created && s.objects.find((o) => o.ref.name === 'web')?.status === 'waiting') {
          created = kubectl(['apply', '-f', '-'], pod(ns, 'web-1', {}, { app: 'web' }));
        }
      },
    });
    await created;
    expect(result.ready.map((r) => r.name).sort()).toEqual(['ext', 'manual', 'web']);
    expect(seen.slice(0, 3)).toEqual([
      'web waiting: no ready endpoints; no pods match the selector',
      'ext ready: ExternalName db.example.com',
      'manual ready: no selector',
    ]);
    expect(seen.at(-1)).toBe('web ready: 1 ready endpoint');
  });

  it('ExternalName alone is ready at once', async () => {
    const ns = await namespace('wait-ext');
    await kubectl(['apply', '-f', '-'], { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: ns }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    const result = await waitForReady(client, [ref('Service', ns, 'ext'), ref('Namespace', undefined, ns)], { timeoutMs: 5_000 });
    expect(result.ready.map((r) => r.kind)).toEqual(['Service', 'Namespace']);
  });

  it('fails fast on an unschedulable pod, with the FailedScheduling message', async () => {
    const ns = await namespace('wait-unsched');
    await kubectl(['apply', '-f', '-'], {
      ...pod(ns, 'big'),
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '64' } } }] },
    });
    const t0 = performance.now();
    const result = await waitForReady(client, [ref('Pod', ns, 'big')], { timeoutMs: 25_000 });
    expect(performance.now() - t0).toBeLessThan(10_000);
    const live = JSON.parse(await kubectl(['get', 'pod', 'big', '-n', ns, '-o', 'json'])) as { status: { conditions: Array<{ type: string; reason?: string; message?: string }> } };
    const cond = live.status.conditions.find((c) => c.type === 'PodScheduled')!;
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toMatch(/^0\/3 nodes are available: 3 Insufficient cpu\./);
    expect(result.failed).toEqual([{ ref: ref('Pod', ns, 'big'), reason: cond.message }]);
    expect(result.ready).toEqual([]);
    expect(client.open).toBe(0);
  });

  it('does not fail an unschedulable pod while pods in its namespace are terminating (they may free the room)', async () => {
    const ns = await namespace('wait-unsched-terminating');
    // A pod no kubelet finishes: deleted gracefully, it stays Terminating until forced.
    await kubectl(['apply', '-f', '-'], pod(ns, 'leaving', { nodeName: 'kite-node-absent' }));
    await kubectl(['delete', 'pod', 'leaving', '-n', ns, '--wait=false']);
    await kubectl(['apply', '-f', '-'], {
      ...pod(ns, 'big'),
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '64' } } }] },
    });
    const details: string[] = [];
    let forced: Promise<string> | undefined;
    const result = await waitForReady(client, [ref('Pod', ns, 'big')], {
      timeoutMs: 25_000,
      onUpdate: (s) => {
        for (const c of s.changed) details.push(c.detail);
        if (!forced && s.changed.some((c) => c.detail.includes('waiting for terminating pods'))) {
          forced = kubectl(['delete', 'pod', 'leaving', '-n', ns, '--force', '--grace-period=0']);
        }
      },
    });
    await forced;
    expect(details.some((d) => /^Unschedulable; 0\/3 nodes are available: 3 Insufficient cpu\..* \(waiting for terminating pods to free resources\)$/.test(d))).toBe(true);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.reason).toMatch(/^0\/3 nodes are available: 3 Insufficient cpu\./);
  });

  it('fails fast on a ReplicaSet whose pod is unschedulable, naming the pod; the other objects are unfinished', async () => {
    const ns = await namespace('wait-unsched-rs');
    await kubectl(['apply', '-f', '-'], [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'huge', namespace: ns },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'huge' } },
          template: { metadata: { labels: { app: 'huge' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '64' } } }] } },
        },
      },
      pod(ns, 'stuck', { nodeName: 'kite-node-absent' }),
    ]);
    const result = await waitForReady(client, [ref('ReplicaSet', ns, 'huge', 'apps/v1'), ref('Pod', ns, 'stuck')], { timeoutMs: 25_000 });
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.ref.name).toBe('huge');
    expect(result.failed[0]!.reason).toMatch(/^pod huge-[a-z0-9]{5}: 0\/3 nodes are available: 3 Insufficient cpu\./);
    expect(result.unfinished).toEqual([{ ref: ref('Pod', ns, 'stuck'), detail: 'Pending' }]);
    expect(result.timedOut).toEqual([]);
  });

  it('fails fast on CrashLoopBackOff, with the last log lines of the previous container', () => withLogsNode(async () => {
    const ns = await namespace('wait-crash');
    // Bound to a node whose kubelet serves only logs: nothing but this test writes the pod's status.
    await kubectl(['apply', '-f', '-'], pod(ns, 'crasher', { nodeName: LOGS_NODE }));
    const now = new Date().toISOString();
    await patchStatus(ns, 'crasher', {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'app',
          image: 'docker.io/library/nginx:1.27',
          imageID: '',
          ready: false,
          started: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=app pod=crasher_wait-crash(x)' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
        },
      ],
    });
    logCalls.length = 0;
    const t0 = performance.now();
    const result = await waitForReady(client, [ref('Pod', ns, 'crasher')], { timeoutMs: 25_000 });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(result.failed).toHaveLength(1);
    const reason = result.failed[0]!.reason;
    expect(reason.split('\n')).toEqual([
      'container app: CrashLoopBackOff, last exit code 1 (Error), 4 restarts',
      'last log lines (crasher/app, previous run):',
      ...LOG.slice(-10).map((l) => `  ${l}`),
    ]);
    expect(logCalls).toEqual([expect.objectContaining({ ns, pod: 'crasher', container: 'app', previous: true, tailLines: 10 })]);
  }));

  it('at the timeout reports each object not ready with its last detail, probe failures included', async () => {
    const ns = await namespace('wait-timeout');
    await kubectl(['apply', '-f', '-'], [pod(ns, 'pending', { nodeName: 'kite-node-absent' }), pod(ns, 'unready', { nodeName: 'kite-node-absent' })]);
    const now = new Date().toISOString();
    await patchStatus(ns, 'unready', {
      phase: 'Running',
      podIP: '127.200.99.9',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'app', image: 'docker.io/library/nginx:1.27', imageID: '', ready: false, started: true, restartCount: 0, state: { running: { startedAt: now } } }],
    });
    const uid = (await kubectl(['get', 'pod', 'unready', '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).trim();
    await kubectl(['create', '-f', '-'], {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'unready.probe', namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'unready', uid, fieldPath: 'spec.containers{app}' },
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      type: 'Warning',
      source: { component: 'kubelet', host: 'kite-node-absent' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 3,
    });
    const t0 = performance.now();
    const result = await waitForReady(client, [ref('Pod', ns, 'pending'), ref('Pod', ns, 'unready')], { timeoutMs: 1_500 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_400);
    expect(result.failed).toEqual([]);
    expect(result.ready).toEqual([]);
    expect(result.timedOut).toEqual([
      { ref: ref('Pod', ns, 'pending'), detail: 'Pending' },
      { ref: ref('Pod', ns, 'unready'), detail: 'Running, 0/1 containers ready; Readiness probe failed: HTTP probe failed with statuscode: 503' },
    ]);
    expect(client.open).toBe(0);
  });

  it('stops when aborted, and closes its watches', async () => {
    const ns = await namespace('wait-abort');
    await kubectl(['apply', '-f', '-'], pod(ns, 'idle', { nodeName: 'kite-node-absent' }));
    const ac = new AbortController();
    const started = client.started;
    const result = await waitForReady(client, [ref('Pod', ns, 'idle')], {
      timeoutMs: 30_000,
      signal: ac.signal,
      onUpdate: (s) => {
        if (!s.done) ac.abort();
      },
    });
    expect(result.aborted).toBe(true);
    expect(result.unfinished).toEqual([{ ref: ref('Pod', ns, 'idle'), detail: 'Pending' }]);
    expect(client.started).toBeGreaterThan(started);
    expect(client.open).toBe(0);
  });

  it('returns at once for no objects', async () => {
    const result = await waitForReady(client, [], { timeoutMs: 1000 });
    expect(result).toMatchObject({ ready: [], failed: [], timedOut: [], unfinished: [], aborted: false });
  });
});

describe('readiness', () => {
  const rs = (spec: number, status: Record<string, number>, generation = 1): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'api', namespace: 'prod', uid: 'rs-uid', generation },
    spec: { replicas: spec },
    status,
  });

  it('ReplicaSet: observed generation, ready and total replicas all count', () => {
    expect(readiness(rs(3, { observedGeneration: 1, replicas: 3, readyReplicas: 3 }))).toEqual({ ready: true, detail: '3/3 ready' });
    expect(readiness(rs(3, { observedGeneration: 1, replicas: 3, readyReplicas: 3 }, 2))).toMatchObject({ ready: false, detail: '3/3 ready (waiting for the controller)' });
    expect(readiness(rs(3, { observedGeneration: 1, replicas: 5, readyReplicas: 3 }))).toMatchObject({ ready: false, detail: '3/3 ready (2 extra pods going away)' });
    expect(readiness(rs(5, { observedGeneration: 1, replicas: 5, readyReplicas: 3 }))).toMatchObject({ ready: false, detail: '3/5 ready' });
    expect(
      readiness(rs(2, { observedGeneration: 1, replicas: 0 }), {}).ready,
    ).toBe(false);
  });

  it('ReplicaSet: ReplicaFailure is a failure', () => {
    const obj = rs(2, { observedGeneration: 1, replicas: 0 });
    (obj.status as Record<string, unknown>).conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "api-x" is forbidden: exceeded quota' }];
    expect(readiness(obj)).toMatchObject({ ready: false, failure: 'FailedCreate: pods "api-x" is forbidden: exceeded quota', reason: 'ReplicaFailure' });
  });

  it('ReplicaSet: counts its own pods by state, fails on an image pull back-off', () => {
    const owned = (name: string, status: Record<string, unknown>, owner = 'rs-uid'): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'prod', uid: `${name}-uid`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api', uid: owner, controller: true }] },
      spec: { containers: [{ name: 'api', image: 'x' }] },
      status,
    });
    const creating = { phase: 'Pending', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] };
    const obj = rs(3, { observedGeneration: 1, replicas: 3, readyReplicas: 1 });
    expect(readiness(obj, { pods: [owned('a', creating), owned('b', creating), owned('c', creating, 'someone-else')] })).toEqual({ ready: false, detail: '1/3 ready; 2 ContainerCreating' });
    const pulling = { phase: 'Pending', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] };
    expect(readiness(obj, { pods: [owned('a', creating), owned('b', pulling)] })).toMatchObject({
      ready: false,
      failure: 'pod b: container api: ImagePullBackOff: Back-off pulling image "x"',
      reason: 'ImagePullBackOff',
    });
  });

  it('Pod: Succeeded counts as done, Failed is a failure, deletion is not ready', () => {
    const p = (status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'job', namespace: 'prod', ...meta },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'x' }] },
      status,
    });
    expect(readiness(p({ phase: 'Succeeded' }))).toEqual({ ready: true, detail: 'Completed' });
    expect(
      readiness(p({ phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 2, reason: 'Error' } } }] })),
    ).toMatchObject({ ready: false, failure: 'pod failed: container main exited with code 2 (Error)', reason: 'Failed' });
    expect(readiness(p({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, { deletionTimestamp: '2025-01-01T00:00:00Z' })).ready).toBe(false);
  });

  it('Service: EndpointSlice endpoints count unless marked not ready', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { selector: { app: 'web' } } };
    const slice = (ready: boolean | undefined): KubeObject => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', namespace: 'prod', labels: { 'kubernetes.io/service-name': 'web' } },
      endpoints: [{ addresses: ['10.0.0.5'], ...(ready === undefined ? {} : { conditions: { ready } }) }],
    });
    expect(readiness(svc, { endpointSlices: [slice(false)] }).ready).toBe(false);
    expect(readiness(svc, { endpointSlices: [slice(true)] })).toEqual({ ready: true, detail: '1 ready endpoint' });
    expect(readiness(svc, { endpointSlices: [slice(undefined)] }).ready).toBe(true);
    expect(readiness({ ...svc, spec: { clusterIP: 'None' } })).toEqual({ ready: true, detail: 'no selector' });
  });

  it('Service: Endpoints addresses count, notReadyAddresses do not', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { selector: { app: 'web' } } };
    const endpoints = (subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'prod' }, subsets });
    expect(readiness(svc, { endpoints: endpoints([{ notReadyAddresses: [{ ip: '10.0.0.5' }], ports: [{ port: 80 }] }]) }).ready).toBe(false);
    expect(readiness(svc, { endpoints: endpoints([{ addresses: [{ ip: '10.0.0.5' }, { ip: '10.0.0.6' }], ports: [{ port: 80 }] }]) })).toEqual({ ready: true, detail: '2 ready endpoints' });
    const pending: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', labels: { app: 'web' } }, spec: {}, status: { phase: 'Pending' } };
    expect(readiness(svc, { endpoints: endpoints([]), pods: [pending] })).toEqual({ ready: false, detail: 'no ready endpoints; pod web-1: Pending' });
  });

  it('Namespace: Active; other kinds: exist', () => {
    expect(readiness({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, status: { phase: 'Terminating' } })).toEqual({ ready: false, detail: 'Terminating' });
    expect(readiness({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual({ ready: true, detail: 'exists' });
    expect(readiness(undefined)).toEqual({ ready: false, detail: 'not found' });
  });
});

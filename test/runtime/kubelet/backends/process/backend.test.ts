/**
 * The process backend under the real kubelet core and control plane (no scheduler: pods are
 * bound by spec.nodeName): exec and logs as the kubelet server calls them, and the waiting
 * reasons of containers that cannot start.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../../../lib/api/model.ts';
import { StreamRefused } from '../../../../../runtime/kubelet/backend.ts';
import { ProcessBackend } from '../../../../../runtime/kubelet/backends/process/index.ts';
import { detectHostFeatures } from '../../../../../runtime/kubelet/backends/process/host-features.ts';
import { openImageCatalog } from '../../../../../runtime/kubelet/backends/process/images.ts';
import { Kubelet } from '../../../../../runtime/kubelet/kubelet.ts';
import { setNodeStopped } from '../../../../../runtime/kubelet/node.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../../../harness.ts';
import { killMarked, markerProcesses, shell } from './helpers.ts';

const MARKER = `backend-${process.pid}`;
const NODE = 'kite-node-7';
let cp: TestControlPlane;
let kubelet: Kubelet;
let backend: ProcessBackend;

beforeAll(async () => {
  cp = await startControlPlane();
  const catalog = openImageCatalog({ cwd: cp.dir });
  const features = await detectHostFeatures();
  kubelet = new Kubelet(cp.client, {
    name: NODE,
    cpu: '2',
    memory: '2Gi',
    backend: (host) => (backend = new ProcessBackend(host, { root: `${cp.dir}/kubelet`, catalog, features, backoffInitialMs: 300 })),
  });
  await kubelet.start();
});

afterAll(async () => {
  await kubelet?.stop();
  killMarked(MARKER);
  killMarked(`${MARKER}-kill`);
  killMarked(`${MARKER}-node`);
  await cp?.close();
});

async function runPod(name: string, containers: Container[]): Promise<Pod> {
  return cp.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, containers } });
}

const waitingOf = (name: string) => cp.client.get('pods', 'default', name)?.status?.containerStatuses?.[0]?.state?.waiting;
const running = (name: string) => eventually(() => cp.client.get('pods', 'default', name)?.status?.containerStatuses?.every((s) => s.state?.running) && cp.client.get('pods', 'default', name)!, { what: `${name} running` });

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('exec', () => {
  it('runs in the container env, streams output and returns the exit code; refuses a container that does not run', async () => {
    const pod = await running((await runPod('exec-me', [shell('main', 'exec sleep 1000', MARKER, { env: [{ name: 'KITE_TEST_MARKER', value: MARKER }, { name: 'GREETING', value: 'hello' }] })])).metadata.name!);
    const out = collect();
    const err = collect();
    const stdin = new PassThrough();
    stdin.end('from stdin\n');
    const r = await backend.exec(pod, 'main', ['/bin/sh', '-c', 'echo "$GREETING $POD_NAME"; cat; echo oops >&2; exit 7'], { stdin, stdout: out.stream, stderr: err.stream, tty: false });
    expect(r.exitCode).toBe(7);
    expect(out.text()).toBe('hello exec-me\nfrom stdin\n');
    expect(err.text()).toBe('oops\n');
    await expect(backend.exec(pod, 'nope', ['true'], { tty: false })).rejects.toBeInstanceOf(StreamRefused);
  });
});

describe('logs', () => {
  it('reads the current run, and the previous one after a restart', async () => {
    // The first run exits, the second stays: "current" is then one run for good.
    const flag = join(cp.dir, 'talker-ran');
    await runPod('talker', [shell('main', `echo "run at $(date +%s%N)"; if [ -e ${flag} ]; then exec sleep 1000; fi; touch ${flag}`, MARKER)]);
    const pod = await eventually(() => {
      const p = cp.client.get('pods', 'default', 'talker');
      return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p;
    }, { what: 'a restart' });
    const read = async (previous: boolean) => {
      const s = await backend.logs(pod, { follow: false, previous, timestamps: false });
      let text = '';
      for await (const chunk of s as AsyncIterable<Buffer>) text += chunk.toString();
      return text;
    };
    expect(await read(true)).toMatch(/^run at \d+\n$/);
    expect(await eventually(async () => /^run at \d+\n$/.test(await read(false)), { what: "the second run's line" })).toBe(true);
    await expect(backend.logs(pod, { container: 'other', follow: false, previous: false, timestamps: false })).rejects.toThrow('container other is not valid for pod talker');
  });
});

describe('containers that cannot start', () => {
  it('an image the catalog does not map: ErrImagePull, then ImagePullBackOff, with Failed events', async () => {
    await runPod('unmapped', [{ name: 'main', image: 'registry.example.com/nobody/nothing:1' }]);
    await eventually(() => waitingOf('unmapped')?.reason === 'ErrImagePull', { what: 'ErrImagePull' });
    await eventually(() => waitingOf('unmapped')?.reason === 'ImagePullBackOff', { what: 'ImagePullBackOff' });
    expect(waitingOf('unmapped')?.message).toBe('Back-off pulling image "registry.example.com/nobody/nothing:1"');
    const failed = cp.client.list('events', 'default').items.filter((e) => e.involvedObject.name === 'unmapped' && e.reason === 'Failed').map((e) => e.message);
    expect(failed).toContain('Error: ErrImagePull');
    expect(failed.some((m) => m?.startsWith('Failed to pull image "registry.example.com/nobody/nothing:1"'))).toBe(true);
  });

  it('a missing ConfigMap: CreateContainerConfigError, and the container starts once it exists', async () => {
    await runPod('configured', [
      shell('main', 'echo "$FROM_CM"; exec sleep 1000', MARKER, {
        env: [{ name: 'KITE_TEST_MARKER', value: MARKER }, { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }],
      }),
    ]);
    await eventually(() => waitingOf('configured')?.reason === 'CreateContainerConfigError', { what: 'CreateContainerConfigError' });
    expect(waitingOf('configured')?.message).toBe('configmap "settings" not found');
    await cp.client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { k: 'v' } });
    await running('configured');
  });

  it('a program that does not exist: StartError in lastState, then CrashLoopBackOff', async () => {
    await runPod('missing', [{ name: 'main', image: 'busybox', command: ['/no/such/program'] }]);
    await eventually(() => waitingOf('missing')?.reason === 'CrashLoopBackOff', { what: 'CrashLoopBackOff' });
    const s = cp.client.get('pods', 'default', 'missing')!.status!.containerStatuses![0]!;
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(s.lastState?.terminated?.message).toContain('exec: "/no/such/program": executable file not found in $PATH');
  });
});

describe('killPod', () => {
  it('resolves once nothing of the pod runs', async () => {
    const marker = `${MARKER}-kill`;
    await runPod('short', [shell('main', 'sleep 1000 & exec sleep 1001', marker)]);
    const pod = await running('short');
    await eventually(() => markerProcesses(marker).length === 2, { what: 'both processes' });
    await backend.killPod(pod, 2);
    expect(markerProcesses(marker)).toEqual([]);
  });
});

describe('kite node stop', () => {
  it("stops the node's processes, as a failed machine; back up, its pods run again", async () => {
    const marker = `${MARKER}-node`;
    await runPod('on-node', [shell('main', 'exec sleep 1000', marker)]);
    await eventually(() => markerProcesses(marker).length === 1, { what: 'the pod runs' });
    const first = markerProcesses(marker);
    await setNodeStopped(cp.client, NODE, true);
    await eventually(() => markerProcesses(marker).length === 0, { what: "the node's processes ended" });
    await setNodeStopped(cp.client, NODE, false);
    await eventually(() => markerProcesses(marker).length === 1 && markerProcesses(marker)[0] !== first[0], { what: 'the pod runs again' });
  });
});

// The kubelet server with a real `ws` client, served by real kubelets: one whose process backend
// runs the pods' containers as local processes (exec runs in a running container, logs are what
// it wrote), one whose simulated backend runs nothing.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Container } from '../../../lib/api/model.ts';
import { openKubeletBackend, simulatedBackend, type OpenedKubeletBackend } from '../../../runtime/kubelet/backends/index.ts';
import { Kubelet } from '../../../runtime/kubelet/kubelet.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';
import { killMarked, shell } from './backends/process/helpers.ts';

const TOKEN = 'kubelet-test-token';
const MARKER = `kubelet-server-${process.pid}`;
const PROCESSES = 'kite-node-1';
const SIMULATED = 'kite-node-2';

let cp: TestControlPlane;
let opened: OpenedKubeletBackend;
const kubelets: Kubelet[] = [];
/** The kubelet server ports, as the nodes publish them. */
let port: number;
let bare: number;

const kubeletPort = (node: string) => cp.client.get('nodes', undefined, node)?.status?.daemonEndpoints?.kubeletEndpoint?.Port;
const stateOf = (pod: string) => cp.client.get('pods', 'default', pod)?.status?.containerStatuses?.[0]?.state;

async function runPod(name: string, node: string, containers: Container[], restartPolicy: 'Always' | 'Never' = 'Always'): Promise<void> {
  await cp.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, restartPolicy, terminationGracePeriodSeconds: 2, containers } });
}

beforeAll(async () => {
  cp = await startControlPlane();
  opened = await openKubeletBackend('process', { stateDir: cp.dir, cwd: cp.dir, backoffInitialMs: 300 });
  for (const [name, backend] of [[PROCESSES, opened.factory], [SIMULATED, simulatedBackend]] as const) {
    const kubelet = new Kubelet(cp.client, { name, cpu: '2', memory: '2Gi', backend, serverToken: TOKEN });
    kubelets.push(kubelet);
    await kubelet.start();
  }
  port = await eventually(() => kubeletPort(PROCESSES), { what: 'the kubelet port of the node running processes' });
  bare = await eventually(() => kubeletPort(SIMULATED), { what: 'the kubelet port of the simulated node' });
  // `web` writes three lines and stays; `done` runs once and exits; `sim` is on the simulated node.
  await runPod('web', PROCESSES, [shell('c', 'echo zero; echo one; echo two; exec sleep 1000', MARKER)]);
  await runPod('done', PROCESSES, [shell('c', 'exit 0', MARKER)], 'Never');
  await runPod('sim', SIMULATED, [{ name: 'c', image: 'busybox' }]);
  await eventually(() => stateOf('web')?.running && stateOf('sim')?.running && stateOf('done')?.terminated, { what: 'web and sim running, done terminated', timeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  for (const k of kubelets) await k.stop();
  killMarked(MARKER);
  opened?.close();
  await cp?.close();
});

interface Session {
  stdout: string;
  stderr: string;
  status: Record<string, unknown> | undefined;
  protocol: string;
}

/** One exec as kubectl does it, into `pod/container`: channel-framed binary messages, stdin closed with `[255, 0]`. */
function exec(port: number, target: string, query: string, opts: { stdin?: string; resize?: [number, number]; protocol?: string } = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/exec/default/${target}?${query}`, [opts.protocol ?? 'v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${TOKEN}` } });
    const s: Session = { stdout: '', stderr: '', status: undefined, protocol: '' };
    ws.on('open', () => {
      s.protocol = ws.protocol;
      if (opts.resize) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: opts.resize[0], Height: opts.resize[1] }))]));
      if (opts.stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(opts.stdin)]));
        ws.send(Buffer.from([255, 0]));
      }
    });
    ws.on('message', (data: Buffer) => {
      const text = data.subarray(1).toString();
      if (data[0] === 1) s.stdout += text;
      else if (data[0] === 2) s.stderr += text;
      else if (data[0] === 3) {
        expect(s.status).toBeUndefined();
        s.status = JSON.parse(text) as Record<string, unknown>;
      }
    });
    ws.on('close', () => resolve(s));
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(body), { statusCode: res.statusCode })));
    });
  });
}

const cmd = (...argv: string[]) => argv.map((a) => `command=${encodeURIComponent(a)}`).join('&');

function get(port: number, path: string, token = TOKEN): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('kubelet server: exec over WebSocket', () => {
  it('streams stdout and stderr apart, in the container env, and ends with one Success status', async () => {
    const s = await exec(port, 'web/c', `${cmd('sh', '-c', 'echo out $POD_NAME; echo err >&2')}&stdout=true&stderr=true`);
    expect(s).toEqual({ stdout: 'out web\n', stderr: 'err\n', status: { metadata: {}, status: 'Success' }, protocol: 'v5.channel.k8s.io' });
  });

  it('reports a non-zero exit code as NonZeroExitCode with the code as its cause', async () => {
    const s = await exec(port, 'web/c', `${cmd('sh', '-c', 'exit 3')}&stdout=true&stderr=true`);
    expect(s.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('feeds stdin until the close signal; v4 and a TTY with a resize are accepted', async () => {
    const s = await exec(port, 'web/c', `${cmd('cat')}&stdin=true&stdout=true&stderr=true`, { stdin: 'hello\nworld\n' });
    expect(s.stdout).toBe('hello\nworld\n');
    expect(s.status).toEqual({ metadata: {}, status: 'Success' });
    // The process backend gives the command no terminal: the size is taken and the command runs as without one.
    const tty = await exec(port, 'web/c', `${cmd('echo', 'sized')}&stdout=true&tty=true`, { resize: [120, 40], protocol: 'v4.channel.k8s.io' });
    expect(tty).toEqual({ stdout: 'sized\n', stderr: '', status: { metadata: {}, status: 'Success' }, protocol: 'v4.channel.k8s.io' });
  });

  it("sends the backend's refusal as the status: a container the pod does not have, one that does not run", async () => {
    const other = await exec(port, 'web/other', `${cmd('ls')}&stdout=true`);
    expect(other.status).toEqual({ metadata: {}, status: 'Failure', reason: 'BadRequest', message: 'container other is not valid for pod web' });
    const exited = await exec(port, 'done/c', `${cmd('ls')}&stdout=true`);
    expect(exited.status).toEqual({ metadata: {}, status: 'Failure', reason: 'BadRequest', message: 'container c is not running' });
  });

  it('refuses without the token, unknown pods, other protocols, and exec on a node without processes', async () => {
    await expect(get(port, '/containerLogs/default/web/c', 'wrong')).resolves.toMatchObject({ code: 401 });
    await expect(exec(port, 'web/c', cmd('ls'), { protocol: 'v3.channel.k8s.io' })).rejects.toMatchObject({ statusCode: 400 });
    const gone = await get(port, '/containerLogs/default/nope/c');
    expect(gone.code).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
    const refused = await exec(bare, 'sim/c', cmd('ls')).catch((e: Error & { statusCode: number }) => e);
    expect(refused).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((refused as Error).message).message).toBe(`pod sim runs on simulated node ${SIMULATED}: its containers are not processes, so there is nothing to exec into`);
  });
});

describe('kubelet server: container logs', () => {
  it('streams what the container wrote, with tailLines and limitBytes, and refuses a previous run that is not there', async () => {
    await eventually(async () => (await get(port, '/containerLogs/default/web/c')).body === 'zero\none\ntwo\n', { what: "web's three lines" });
    expect(await get(port, '/containerLogs/default/web/c?tailLines=2')).toEqual({ code: 200, body: 'one\ntwo\n' });
    expect(await get(port, '/containerLogs/default/web/c?limitBytes=6')).toEqual({ code: 200, body: 'zero\no' });
    const prev = await get(port, '/containerLogs/default/web/c?previous=true');
    expect(prev.code).toBe(400);
    expect(JSON.parse(prev.body)).toMatchObject({ reason: 'BadRequest', message: 'previous terminated container "c" in pod "web" not found' });
  });

  it('a node without processes has empty logs and nothing to follow', async () => {
    expect(await get(bare, '/containerLogs/default/sim/c')).toEqual({ code: 200, body: '' });
    const follow = await get(bare, '/containerLogs/default/sim/c?follow=true');
    expect(follow.code).toBe(400);
  });
});

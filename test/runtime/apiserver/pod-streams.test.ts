// pods/log and pods/exec end to end: the real kubectl and the real `kite` CLI → the API server,
// which proxies to the pod's node's kubelet server → a backend. The node here is one this test
// registers, served by a real kubelet server whose backend runs exec commands as host
// processes and reads logs from a real container log store the test writes (the process
// backend's own end-to-end tests are in test/runtime/kubelet/process-streams.test.ts).
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../lib/api/model.ts';
import { loadOrCreateCredentials } from '../../../runtime/apiserver/tls.ts';
import { openContainerLogStore, type ContainerLogWriter } from '../../../runtime/kubelet/backends/process/logs.ts';
import { startKubeletServer, type RunningKubeletServer } from '../../../runtime/kubelet/server.ts';
import { hostProcessBackend } from '../../support/host-process-backend.ts';
import { KITE_BIN, REPO, type RunResult } from '../../support/kite.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

const NODE = 'kite-node-streams';
let rt: TestRuntime;
let kubelet: RunningKubeletServer;
let live: ContainerLogWriter;

function write(w: ContainerLogWriter, text: string): Promise<void> {
  return new Promise((resolve, reject) => w.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

/** The real kite CLI against the runtime, with stdin (flags before a `--`, which ends them). */
function kite(args: string[], input?: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [KITE_BIN, args[0]!, '--state-dir', rt.dir, ...args.slice(1)], { cwd: REPO }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });
}

const podOn = (name: string, node: string, labels: Record<string, string> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName: node, containers: [{ name: 'web', image: 'busybox' }] },
});

async function registerNode(name: string, port: number): Promise<void> {
  await rt.runtime.client.create('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { unschedulable: true } });
  const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } };
  await rt.runtime.client.patch('nodes', undefined, name, 'merge', { status }, { subresource: 'status' });
}

beforeAll(async () => {
  rt = await startTestRuntime();
  const { token } = await loadOrCreateCredentials(rt.dir);
  const logs = openContainerLogStore(join(rt.dir, 'test-logs'));
  kubelet = await startKubeletServer({
    pod: (ns, name) => rt.runtime.client.get('pods', ns, name),
    nodeName: NODE,
    token,
    backend: hostProcessBackend({ logs, run: () => 1 }),
  });
  await registerNode(NODE, kubelet.port);
  for (const name of ['app', 'other']) await rt.runtime.client.create('pods', 'default', podOn(name, NODE, { app: 'web' }));
  const app = rt.runtime.client.get('pods', 'default', 'app')!;
  const first = logs.open(app, 'web', 0);
  await write(first, 'first run\n');
  await first.close();
  live = logs.open(app, 'web', 1);
  await write(live, 'second run 1\nsecond run 2\n');
  const other = logs.open(rt.runtime.client.get('pods', 'default', 'other')!, 'web', 1);
  await write(other, 'other line\n');
  await other.close();
}, 60_000);

afterAll(async () => {
  await live?.close();
  await kubelet?.close();
  await rt?.close();
});

describe('kubectl logs through the kubelet', () => {
  it('prints the current run, the previous one with -p, the tail, and timestamps', async () => {
    expect(await rt.kubectl(['logs', 'app'])).toEqual({ code: 0, stdout: 'second run 1\nsecond run 2\n', stderr: '' });
    expect((await rt.kubectl(['logs', 'app', '-p'])).stdout).toBe('first run\n');
    expect((await rt.kubectl(['logs', 'app', '--tail=1'])).stdout).toBe('second run 2\n');
    expect((await rt.kubectl(['logs', 'app', '--timestamps'])).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second run 1\n/);
  });

  it('follows with -f: new lines arrive while it runs, and it ends with the run', async () => {
    const child = spawn('kubectl', ['--kubeconfig', rt.kubeconfig, 'logs', '-f', 'app'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await eventually(() => out === 'second run 1\nsecond run 2\n', { what: 'the lines so far', timeoutMs: 20_000 });
      await write(live, 'second run 3\n');
      await eventually(() => out.endsWith('second run 3\n'), { what: 'the new line', timeoutMs: 20_000 });
      await live.close();
      expect(await exited).toBe(0);
      expect(out).toBe('second run 1\nsecond run 2\nsecond run 3\n');
    } finally {
      child.kill();
    }
  });
});

describe('kubectl exec through the kubelet', () => {
  it("returns the command's streams and exit code", async () => {
    const r = await rt.kubectl(['exec', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\ncommand terminated with exit code 3\n');
  });

  it('passes stdin with -i', async () => {
    const r = await rt.kubectl(['exec', '-i', 'app', '--', 'cat'], { input: 'one\ntwo\n' });
    expect(r).toEqual({ code: 0, stdout: 'one\ntwo\n', stderr: '' });
  });
});

describe('kite logs and kite exec', () => {
  it('kite logs prints what kubectl logs prints; -l prefixes each line with its pod and container', async () => {
    expect(await kite(['logs', 'app'])).toEqual({ code: 0, stdout: 'second run 1\nsecond run 2\nsecond run 3\n', stderr: '' });
    expect((await kite(['logs', 'app', '-p'])).stdout).toBe('first run\n');
    expect((await kite(['logs', 'app', '--tail', '1'])).stdout).toBe('second run 3\n');
    const all = await kite(['logs', '-l', 'app=web']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').sort()).toEqual(['', '[pod/app/web] second run 1', '[pod/app/web] second run 2', '[pod/app/web] second run 3', '[pod/other/web] other line']);
    const missing = await kite(['logs', 'nope']);
    expect(missing).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });

  it("kite exec gives the command's streams, stdin with -i, and its exit code", async () => {
    const r = await kite(['exec', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
    expect(r).toEqual({ code: 4, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 4\n' });
    expect(await kite(['exec', '-i', 'app', '--', 'cat'], 'piped\n')).toEqual({ code: 0, stdout: 'piped\n', stderr: '' });
    expect((await kite(['exec', 'app', '-c', 'nope', '--', 'true'])).stderr).toBe('error: container nope is not valid for pod app\n');
  });
});

describe('a node whose kubelet does not answer', () => {
  it("gives kube-apiserver's dial errors", async () => {
    const gone = await startKubeletServer({ pod: () => undefined, nodeName: 'kite-node-gone', token: 'x', backend: hostProcessBackend() });
    const port = gone.port;
    await gone.close();
    await registerNode('kite-node-gone', port);
    await rt.runtime.client.create('pods', 'default', podOn('stranded', 'kite-node-gone'));
    const logs = await rt.kubectl(['logs', 'stranded']);
    expect(logs.code).toBe(1);
    expect(logs.stderr.trim()).toBe(`Error from server: Get "http://127.0.0.1:${port}/containerLogs/default/stranded/web": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const exec = await rt.kubectl(['exec', 'stranded', '--', 'true']);
    expect(exec.code).toBe(1);
    expect(exec.stderr.trim()).toBe(`Error from server: error dialing backend: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });
});

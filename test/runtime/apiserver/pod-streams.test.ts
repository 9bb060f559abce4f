// pods/log and pods/exec end to end: the real kubectl and the real `kite` CLI → the API server,
// which proxies to the pod's node's kubelet server → the process backend, which runs the pods'
// containers as local processes (logs are what they wrote, exec runs in a running container).
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../lib/api/model.ts';
import { KITE_BIN, REPO, type RunResult } from '../../support/kite.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';
import { killMarked, shell } from '../kubelet/backends/process/helpers.ts';

const MARKER = `pod-streams-${process.pid}`;
let rt: TestRuntime;
/** Files the `app` container waits for before it writes its third line, and before it ends. */
let more: string;
let end: string;

/** The real kite CLI against the runtime, with stdin (flags before a `--`, which ends them). */
function kite(args: string[], input?: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [KITE_BIN, args[0]!, '--state-dir', rt.dir, ...args.slice(1)], { cwd: REPO }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });
}

const podOf = (name: string, containers: Container[], o: { labels?: Record<string, string>; nodeName?: string; restartPolicy?: 'Always' | 'OnFailure' } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...(o.labels ? { labels: o.labels } : {}) },
  spec: { terminationGracePeriodSeconds: 2, containers, ...(o.nodeName ? { nodeName: o.nodeName } : {}), ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}) },
});

const statusOf = (pod: string) => rt.runtime.client.get('pods', 'default', pod)?.status?.containerStatuses?.[0];

beforeAll(async () => {
  rt = await startTestRuntime({ simulate: false, nodes: 1, backoffInitialMs: 300 });
  const ran = join(rt.dir, 'app-ran');
  more = join(rt.dir, 'app-more');
  end = join(rt.dir, 'app-end');
  // `app`: a first run that fails (so it is restarted), a second that writes two lines, a third
  // once the test says so, and ends when the test says so. `other` writes a line and stays.
  const app = [
    `if [ ! -e ${ran} ]; then touch ${ran}; echo first run; exit 1; fi`,
    'echo second run 1; echo second run 2',
    `while [ ! -e ${more} ]; do sleep 0.05; done`,
    'echo second run 3',
    `while [ ! -e ${end} ]; do sleep 0.05; done`,
  ].join('\n');
  await rt.runtime.client.create('pods', 'default', podOf('app', [shell('web', app, MARKER)], { labels: { app: 'web' }, restartPolicy: 'OnFailure' }));
  await rt.runtime.client.create('pods', 'default', podOf('other', [shell('web', 'echo other line; exec sleep 1000', MARKER)], { labels: { app: 'web' } }));
  await eventually(() => statusOf('app')?.restartCount === 1 && statusOf('app')?.state?.running && statusOf('other')?.state?.running, {
    what: 'app in its second run, other running',
    timeoutMs: 40_000,
  });
}, 60_000);

afterAll(async () => {
  await rt?.close();
  killMarked(MARKER);
});

/** Waits until the pod's log is `expected`: a container is reported running before it has written anything. */
const written = (pod: string, expected: string) => eventually(async () => (await rt.kubectl(['logs', pod])).stdout === expected, { what: `the lines of ${pod}`, timeoutMs: 20_000 });

describe('kubectl logs through the kubelet', () => {
  it('prints the current run, the previous one with -p (refused for a container never restarted), the tail, timestamps and a byte limit', async () => {
    await written('app', 'second run 1\nsecond run 2\n');
    await written('other', 'other line\n');
    expect(await rt.kubectl(['logs', 'app'])).toEqual({ code: 0, stdout: 'second run 1\nsecond run 2\n', stderr: '' });
    expect(await rt.kubectl(['logs', 'app', '-p'])).toEqual({ code: 0, stdout: 'first run\n', stderr: '' });
    expect((await rt.kubectl(['logs', 'app', '--tail=1'])).stdout).toBe('second run 2\n');
    expect((await rt.kubectl(['logs', 'app', '--timestamps'])).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second run 1\n\S+ second run 2\n$/);
    expect((await rt.kubectl(['logs', 'app', '--limit-bytes=8'])).stdout).toBe('second r');
    const none = await rt.kubectl(['logs', '-p', 'other']);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('Error from server (BadRequest): previous terminated container "web" in pod "other" not found');
  });

  it('follows with -f (and --tail): new lines arrive while it runs, and it ends with the run', async () => {
    const follow = (args: string[]) => {
      const child = spawn('kubectl', ['--kubeconfig', rt.kubeconfig, 'logs', '-f', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      const f = { child, out: '', exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
      child.stdout.on('data', (c: Buffer) => (f.out += c.toString()));
      return f;
    };
    const all = follow(['app']);
    const tail = follow(['app', '--tail=1']);
    try {
      await eventually(() => all.out === 'second run 1\nsecond run 2\n' && tail.out === 'second run 2\n', { what: 'the lines so far', timeoutMs: 20_000 });
      await writeFile(more, '');
      await eventually(() => all.out.endsWith('second run 3\n') && tail.out.endsWith('second run 3\n'), { what: 'the new line', timeoutMs: 20_000 });
      await writeFile(end, '');
      expect(await all.exited).toBe(0);
      expect(await tail.exited).toBe(0);
      expect(all.out).toBe('second run 1\nsecond run 2\nsecond run 3\n');
      expect(tail.out).toBe('second run 2\nsecond run 3\n');
      // It ended with exit code 0 (OnFailure): not restarted, its run stays the current one.
      await eventually(() => statusOf('app')?.state?.terminated?.exitCode === 0, { what: 'app completed' });
      expect(statusOf('app')?.restartCount).toBe(1);
    } finally {
      all.child.kill();
      tail.child.kill();
    }
  });
});

describe('kubectl exec through the kubelet', () => {
  it("returns the command's streams and exit code", async () => {
    const r = await rt.kubectl(['exec', 'other', '--', 'sh', '-c', 'echo out $POD_NAME; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out other\n', stderr: 'err\ncommand terminated with exit code 3\n' });
  });

  it('passes stdin with -i', async () => {
    const r = await rt.kubectl(['exec', '-i', 'other', '--', 'cat'], { input: 'one\ntwo\n' });
    expect(r).toEqual({ code: 0, stdout: 'one\ntwo\n', stderr: '' });
  });

  it('refuses a pod whose container has completed', async () => {
    const r = await rt.kubectl(['exec', 'app', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: cannot exec into a container in a completed pod; current phase is Succeeded');
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
    const r = await kite(['exec', 'other', '--', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
    expect(r).toEqual({ code: 4, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 4\n' });
    expect(await kite(['exec', '-i', 'other', '--', 'cat'], 'piped\n')).toEqual({ code: 0, stdout: 'piped\n', stderr: '' });
    expect((await kite(['exec', 'other', '-c', 'nope', '--', 'true'])).stderr).toBe('error: container nope is not valid for pod other\n');
  });
});

describe('a node whose kubelet does not answer', () => {
  it("gives kube-apiserver's dial errors", async () => {
    // A port nothing listens on any more: the node's kubelet is gone.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const name = 'kite-node-gone';
    await rt.runtime.client.create('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { unschedulable: true } });
    const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } };
    await rt.runtime.client.patch('nodes', undefined, name, 'merge', { status }, { subresource: 'status' });
    await rt.runtime.client.create('pods', 'default', podOf('stranded', [{ name: 'web', image: 'busybox' }], { nodeName: name }));
    const logs = await rt.kubectl(['logs', 'stranded']);
    expect(logs.code).toBe(1);
    expect(logs.stderr.trim()).toBe(`Error from server: Get "http://127.0.0.1:${port}/containerLogs/default/stranded/web": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const exec = await rt.kubectl(['exec', 'stranded', '--', 'true']);
    expect(exec.code).toBe(1);
    expect(exec.stderr.trim()).toBe(`Error from server: error dialing backend: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });
});

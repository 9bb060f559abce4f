// How `kite apply` ends when it cannot finish: the --timeout deadline bounds the whole apply (the
// wait for a replaced pod that cannot terminate included) and the progress says what it waits for;
// Ctrl-C stops it with the summary, releases the lock, exit 130. The real CLI, a started runtime.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KITE_BIN, runKite, scratchDir, type RunResult } from '../support/kite.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

let rt: TestRuntime;
let dir: string;
const kite = (args: string[]) => runKite([...args, '--state-dir', rt.dir]);

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 2, nodeMonitorGracePeriodMs: 1000 });
  dir = await scratchDir();
}, 60_000);
afterAll(async () => {
  await rt?.close();
});

/** A bare pod; a new `version` changes its env, which a pod cannot change in place: a replace. */
async function podFile(name: string, version: number, nodeName?: string): Promise<string> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'VERSION', value: String(version) }] }] },
  };
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, JSON.stringify(pod));
  return file;
}

/** Applies version 1 of the pod (ready), then holds its deletion with a finalizer. */
async function podHeldByFinalizer(name: string): Promise<string> {
  const first = await kite(['apply', await podFile(name, 1), '--stack', name, '--yes', '--timeout', '30s']);
  expect(first.code, first.stderr).toBe(0);
  expect((await rt.kubectl(['patch', 'pod', name, '--type', 'merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}'])).code).toBe(0);
  return podFile(name, 2);
}

async function releaseFinalizer(name: string): Promise<void> {
  await rt.kubectl(['patch', 'pod', name, '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);
}

async function leaseGone(stack: string): Promise<boolean> {
  return (await rt.kubectl(['get', 'lease', `kite-lock-${stack}`, '-n', 'default'])).stderr.includes('NotFound');
}

it('--timeout bounds a replace whose old pod cannot terminate (a finalizer): it says what it waits for, then summarises, exit 1', async () => {
  const file = await podHeldByFinalizer('held');
  try {
    const t0 = Date.now();
    const r = await kite(['apply', file, '--stack', 'held', '--yes', '--allow-replace', '--timeout', '4s']);
    const took = Date.now() - t0;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^default\/Pod\/held: waiting for default\/Pod\/held to terminate: finalizers example\.com\/hold$/m);
    expect(r.stderr).toMatch(/^Apply timed out after \d+\.\ds: the --timeout of 4 s passed\.$/m);
    expect(r.stderr).toMatch(/Not applied \(1\):\n\s+default\/Pod\/held\s+replace failed: the --timeout of 4 s passed while waiting for default\/Pod\/held to terminate: finalizers example\.com\/hold; default\/Pod\/held was deleted but not created again/);
    expect(r.stderr).not.toMatch(/internal error/);
    // The CLI's start-up and the plan take a few seconds on a loaded machine; the wait itself is 4 s, not 5 min.
    expect(took).toBeLessThan(25_000);
    expect(await leaseGone('held')).toBe(true);
  } finally {
    await releaseFinalizer('held');
  }
}, 90_000);

it('names a NotReady node as what keeps a replaced pod from terminating', async () => {
  const name = 'pinned';
  const first = await kite(['apply', await podFile(name, 1, 'kite-node-2'), '--stack', name, '--yes', '--timeout', '30s']);
  expect(first.code, first.stderr).toBe(0);
  expect((await kite(['node', 'stop', 'kite-node-2'])).code).toBe(0);
  try {
    await eventually(async () => /kite-node-2\s+NotReady/.test((await rt.kubectl(['get', 'nodes'])).stdout), { what: 'kite-node-2 NotReady', timeoutMs: 20_000 });
    const r = await kite(['apply', await podFile(name, 2, 'kite-node-2'), '--stack', name, '--yes', '--allow-replace', '--timeout', '3s']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^default\/Pod\/pinned: waiting for default\/Pod\/pinned to terminate: node kite-node-2 is NotReady$/m);
    expect(r.stderr).toMatch(/^Apply timed out after /m);
    expect(await leaseGone(name)).toBe(true);
  } finally {
    await kite(['node', 'start', 'kite-node-2']);
    // The next test must not land a pod on a node still reported NotReady.
    await eventually(async () => /kite-node-2\s+Ready/.test((await rt.kubectl(['get', 'nodes'])).stdout), { what: 'kite-node-2 Ready again', timeoutMs: 20_000 });
  }
}, 90_000);

it('Ctrl-C during apply prints the summary of what was and was not applied, releases the lock, and exits 130', async () => {
  const file = await podHeldByFinalizer('interrupted');
  try {
    const child = spawn(process.execPath, [KITE_BIN, 'apply', file, '--stack', 'interrupted', '--yes', '--allow-replace', '--timeout', '2m', '--state-dir', rt.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: RunResult = { code: -1, stdout: '', stderr: '' };
    child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await eventually(() => /waiting for default\/Pod\/interrupted to terminate/.test(out.stderr), { what: 'apply waiting for the old pod', timeoutMs: 30_000 });
    expect(await leaseGone('interrupted')).toBe(false); // held while it waits
    child.kill('SIGINT');
    out.code = (await exited) ?? -1;
    expect(out.code, out.stderr).toBe(130);
    expect(out.stderr).toMatch(/^Apply interrupted after \d+(\.\d)?m?s\.$/m);
    expect(out.stderr).toMatch(/Not applied \(1\):\n\s+default\/Pod\/interrupted\s+replace failed: interrupted \(SIGINT\) while waiting for default\/Pod\/interrupted to terminate: finalizers example\.com\/hold/);
    expect(out.stderr).not.toMatch(/internal error/);
    expect(await leaseGone('interrupted')).toBe(true);
  } finally {
    await releaseFinalizer('interrupted');
  }
}, 90_000);

it('`kite destroy --help` lists --force-unlock (and --timeout, --yes)', async () => {
  const r = await runKite(['destroy', '--help']);
  expect(r.code).toBe(0);
  const destroy = r.stdout.slice(r.stdout.indexOf('destroy <'));
  expect(destroy).toMatch(/^\s+--force-unlock\s+remove a stale lock of the stack first$/m);
  expect(destroy).toMatch(/^\s+--timeout DURATION\s/m);
});

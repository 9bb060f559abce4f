// `kite node stop`: the node goes NotReady, its pods are evicted after the (short, configured)
// timeout, ReplicaSets replace theirs on other nodes, a bare pod is not rescheduled.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { KITE_BIN, runKite } from '../support/kite.ts';
import { eventually } from '../runtime/harness.ts';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

function kubectl(dir: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const c = spawn('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'kc'), ...args]);
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
    c.stdin.end(input ?? '');
  });
}

const podsOn = async (dir: string, node: string, selector: string) =>
  (await kubectl(dir, ['get', 'pods', '-l', selector, '--field-selector', `spec.nodeName=${node}`, '-o', 'name'])).stdout.split('\n').filter(Boolean);

it('stopping a node evicts its pods: the ReplicaSet replaces them elsewhere, the bare pod is gone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kite-nodestop-'));
  const child = spawn(process.execPath, [KITE_BIN, 'up', '--simulate', '--state-dir', dir, '--node-grace-period', '1s', '--pod-eviction-timeout', '1s'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  try {
    await eventually(() => /control plane ready/.test(err), { what: 'kite up', timeoutMs: 20_000 });
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'w', image: 'nginx:1.25' }] } } } };
    const bare = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', labels: { app: 'bare' } }, spec: { nodeName: 'kite-node-1', containers: [{ name: 'b', image: 'busybox:1' }] } };
    expect((await kubectl(dir, ['apply', '-f', '-'], [rs, bare].map((o) => JSON.stringify(o)).join('\n'))).code).toBe(0);
    await eventually(async () => (await kubectl(dir, ['get', 'rs', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '3', { what: 'web ready' });
    expect((await podsOn(dir, 'kite-node-1', 'app=web')).length).toBe(1); // spread: one per node

    const stop = await runKite(['node', 'stop', 'kite-node-1', '--state-dir', dir]);
    expect(stop.stdout + stop.stderr).toMatch(/node\/kite-node-1 stopped/);
    await eventually(async () => /kite-node-1\s+NotReady/.test((await kubectl(dir, ['get', 'nodes'])).stdout), { what: 'node NotReady', timeoutMs: 15_000 });
    // Evicted pods stay Terminating (their kubelet is gone); the ReplicaSet makes 3 ready elsewhere.
    await eventually(
      async () => {
        const pods = JSON.parse((await kubectl(dir, ['get', 'pods', '-l', 'app=web', '-o', 'json'])).stdout).items as { spec: { nodeName: string }; metadata: { deletionTimestamp?: string }; status: { conditions?: { type: string; status: string }[] } }[];
        const live = pods.filter((p) => !p.metadata.deletionTimestamp);
        return live.length === 3 && live.every((p) => p.spec.nodeName !== 'kite-node-1' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      },
      { what: 'web replaced on other nodes', timeoutMs: 20_000 },
    );
    const bareNow = JSON.parse((await kubectl(dir, ['get', 'pod', 'bare', '-o', 'json'])).stdout);
    expect(bareNow.metadata.deletionTimestamp).toBeDefined(); // evicted, not rescheduled
    expect((await kubectl(dir, ['get', 'pods', '-l', 'app=bare', '-o', 'name'])).stdout.trim()).toBe('pod/bare');

    const start = await runKite(['node', 'start', 'kite-node-1', '--state-dir', dir]);
    expect(start.code).toBe(0);
    await eventually(async () => /kite-node-1\s+Ready/.test((await kubectl(dir, ['get', 'nodes'])).stdout), { what: 'node Ready again', timeoutMs: 15_000 });
    // Back, its kubelet finishes the evicted pods.
    await eventually(async () => (await kubectl(dir, ['get', 'pod', 'bare'])).stderr.includes('NotFound'), { what: 'bare pod gone', timeoutMs: 15_000 });
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

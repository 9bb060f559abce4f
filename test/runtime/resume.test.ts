// `kite up` on a state dir that already holds a cluster resumes it: the same objects, healthy
// nodes, controllers that pick up where they stopped — and no component error on the way.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KITE_BIN } from '../support/kite.ts';
import { eventually } from './harness.ts';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

async function up(dir: string): Promise<{ child: ChildProcess; stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [KITE_BIN, 'up', '--simulate', '--state-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await eventually(() => /control plane ready/.test(err), { what: 'kite up ready', timeoutMs: 20_000 });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, stderr: () => err, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

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

describe('kite up resumes a state dir', () => {
  it('keeps the objects and runs every component cleanly on the second start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kite-resume-'));
    try {
      const first = await up(dir);
      const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'w', image: 'nginx:1.25' }] } } } };
      expect((await kubectl(dir, ['apply', '-f', '-'], JSON.stringify(rs))).code).toBe(0);
      await eventually(async () => (await kubectl(dir, ['get', 'rs', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '3', { what: 'web ready' });
      const pods = (await kubectl(dir, ['get', 'pods', '-o', 'name'])).stdout;
      await first.stop();

      const second = await up(dir);
      // Scale through the resumed controllers, then check nodes and pods.
      expect((await kubectl(dir, ['scale', 'rs', 'web', '--replicas=4'])).code).toBe(0);
      await eventually(async () => (await kubectl(dir, ['get', 'rs', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '4', { what: 'web scaled' });
      const after = (await kubectl(dir, ['get', 'pods', '-o', 'name'])).stdout;
      for (const p of pods.trim().split('\n')) expect(after).toContain(p);
      const nodes = (await kubectl(dir, ['get', 'nodes', '--no-headers'])).stdout.trim().split('\n');
      expect(nodes).toHaveLength(3);
      for (const n of nodes) expect(n).toMatch(/^kite-node-\d\s+Ready\s/);
      await second.stop();
      expect(second.stderr()).not.toMatch(/Error|error:/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

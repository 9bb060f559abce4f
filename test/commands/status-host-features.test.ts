// `kite status` shows what this machine gives pods run as processes; simulated nodes get no such block.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRecord } from '../../commands/state-dir.ts';
import { detectHostFeatures } from '../../runtime/kubelet/backends/process/host-features.ts';
import { startRuntime, type Runtime } from '../../runtime/runtime.ts';
import { runKite } from '../support/kite.ts';

let rt: Runtime;
let dir: string;

async function record(simulate: boolean): Promise<void> {
  await writeRecord(dir, { pid: process.pid, url: rt.url, port: rt.port, kubeconfig: rt.kubeconfig, startedAt: new Date().toISOString(), nodes: 1, simulate });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-status-'));
  rt = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '1', nodeMemory: '1Gi', simulate: true });
});

afterAll(async () => {
  await rt?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kite status: host features', () => {
  it('lists each feature after the nodes when the nodes run processes', async () => {
    // The record says how the runtime was started; the runtime itself need not run processes for this.
    await record(false);
    const features = await detectHostFeatures();
    const r = await runKite(['status', '--state-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith(`\nHost features:\n${features.report.map((l) => `  ${l}\n`).join('')}`)).toBe(true);
    expect(r.stdout).toMatch(/\nHost features:\n {2}mount namespaces: \w+/);
    const json = JSON.parse((await runKite(['status', '--state-dir', dir, '-o', 'json'])).stdout);
    expect(json.hostFeatures).toEqual(features.report);
  });

  it('shows none for simulated nodes', async () => {
    await record(true);
    const r = await runKite(['status', '--state-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Host features');
    expect(JSON.parse((await runKite(['status', '--state-dir', dir, '-o', 'json'])).stdout).hostFeatures).toBeUndefined();
  });
});

// `kite status` reports the service proxy's mode and why, as the runtime recorded it at start; `kite up --proxy-mode` takes only the known modes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRecord } from '../../commands/state-dir.ts';
import { startRuntime, type Runtime } from '../../runtime/runtime.ts';
import { runKite } from '../support/kite.ts';

let rt: Runtime;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-status-proxy-'));
  rt = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '1', nodeMemory: '1Gi', simulate: true });
});

afterAll(async () => {
  await rt?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kite status: service proxy mode', () => {
  it('shows the mode in use and the reason', async () => {
    expect(rt.proxy.mode).toBe('userspace');
    const proxy = { mode: rt.proxy.mode, reason: rt.proxy.modeReason };
    await writeRecord(dir, { pid: process.pid, url: rt.url, port: rt.port, kubeconfig: rt.kubeconfig, startedAt: new Date().toISOString(), nodes: 1, simulate: true, proxy });
    const r = await runKite(['status', '--state-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {2}Service proxy:\s+userspace \(the default\)\n/);
    expect(JSON.parse((await runKite(['status', '--state-dir', dir, '-o', 'json'])).stdout).proxy).toEqual(proxy);
  });

  it('kite up refuses an unknown --proxy-mode', async () => {
    const r = await runKite(['up', '--state-dir', join(dir, 'other'), '--proxy-mode', 'ipvs']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--proxy-mode: expected userspace or nftables, got "ipvs"');
  });
});

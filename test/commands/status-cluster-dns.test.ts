// `kite status` shows where cluster DNS answers (or why it is off), as `kite up` recorded it; `kite up --cluster-domain` checks the domain.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRecord } from '../../commands/state-dir.ts';
import { describeClusterDns } from '../../runtime/dns/describe.ts';
import { startRuntime, type Runtime } from '../../runtime/runtime.ts';
import { runKite } from '../support/kite.ts';

let rt: Runtime;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-status-dns-'));
  rt = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '1', nodeMemory: '1Gi', simulate: true, clusterDomain: 'kite.test' });
});

afterAll(async () => {
  await rt?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kite status: cluster DNS', () => {
  it('shows the address and domain the runtime serves', async () => {
    const line = describeClusterDns(rt.dns());
    if (process.getuid?.() === 0) expect(line).toMatch(/^127\.[\d.]+:53, domain kite\.test$/);
    else expect(line).toMatch(/^off \(binding .* needs root/);
    await writeRecord(dir, { pid: process.pid, url: rt.url, port: rt.port, kubeconfig: rt.kubeconfig, startedAt: new Date().toISOString(), nodes: 1, simulate: true, clusterDns: line });
    const r = await runKite(['status', '--state-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  Cluster DNS:  ${line}\n`);
    expect(JSON.parse((await runKite(['status', '--state-dir', dir, '-o', 'json'])).stdout).clusterDns).toBe(line);
  });

  it('says why it is off', () => {
    expect(describeClusterDns({ domain: 'cluster.local', problem: 'binding 127.96.0.10:53 needs root (port 53 is privileged)' })).toBe(
      "off (binding 127.96.0.10:53 needs root (port 53 is privileged)); pods get the host's resolv.conf",
    );
  });
});

describe('kite up --cluster-domain', () => {
  it('refuses what is not a DNS domain', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'kite-up-dns-'));
    try {
      const r = await runKite(['up', '--state-dir', empty, '--simulate', '--cluster-domain', 'Not_A.Domain']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('--cluster-domain: "Not_A.Domain" is not a DNS domain');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

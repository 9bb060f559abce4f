import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tableName } from '../../../../runtime/proxy/nftables/ruleset.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../../harness.ts';
import { connectError, createService, endpointAddress, nameAt, setEndpoints, startNamedServer, type NamedServer } from '../helpers.ts';

const NFT = ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'].find((p) => existsSync(p));
const skipReason = process.getuid?.() !== 0 ? 'not root' : !NFT ? 'nft is not installed' : undefined;

function tables(): string {
  return execFileSync(NFT!, ['list', 'tables', 'ip'], { encoding: 'utf8' });
}

describe.skipIf(skipReason !== undefined)(`ServiceProxy in nftables mode${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let rt: TestRuntime | undefined;
  const servers: NamedServer[] = [];
  afterEach(async () => {
    await rt?.close();
    for (const s of servers.splice(0)) await s.close();
  });

  it('DNATs a cluster IP over 3 endpoints, refuses one without endpoints, and removes its table on stop', async () => {
    rt = await startTestRuntime({ nodes: 1, proxyMode: 'nftables' });
    expect(rt.runtime.proxy.mode).toBe('nftables');
    const network = rt.runtime.network;
    for (const [i, name] of ['a', 'b', 'c'].entries()) servers.push(await startNamedServer(name, endpointAddress(network, i + 1)));
    await createService(rt.runtime.client, 'kernel', { ports: [{ port: 80 }] });
    await createService(rt.runtime.client, 'kernel-empty', { ports: [{ port: 80 }] });
    await setEndpoints(rt.runtime.client, 'kernel', servers);
    const ip = rt.runtime.client.get('services', 'default', 'kernel')!.spec!.clusterIP!;
    const emptyIP = rt.runtime.client.get('services', 'default', 'kernel-empty')!.spec!.clusterIP!;
    await eventually(async () => (await nameAt(ip, 80).catch(() => '')) !== '', { what: 'the DNAT rules' });
    const seen = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const n = await nameAt(ip, 80);
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    // Random choice: each of 3 endpoints misses 60 tries with probability (2/3)^60 ≈ 3e-11.
    expect([...seen.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(await connectError(emptyIP, 80)).toBe('ECONNREFUSED');
    expect(tables()).toContain(`table ip ${tableName(network.slot)}`);
    await rt.close();
    expect(tables()).not.toContain(`table ip ${tableName(network.slot)}\n`);
  });

  it('removes, at start, the table of a slot no runtime holds (left by a runtime that died)', async () => {
    const stale = tableName(511);
    execFileSync(NFT!, ['-f', '-'], { input: `table ip ${stale} {\n}\n` });
    try {
      rt = await startTestRuntime({ nodes: 1, proxyMode: 'nftables' });
      expect(tables()).not.toContain(`table ip ${stale}\n`);
    } finally {
      execFileSync(NFT!, ['-f', '-'], { input: `table ip ${stale}\ndelete table ip ${stale}\n` });
    }
  });
});

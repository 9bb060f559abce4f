import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { apiServiceIP, claimNetwork, clusterDnsIP, MAX_SLOT, networkOfSlot, type ClaimedNetwork } from '../../runtime/network.ts';
import { parseIPv4 } from '../../lib/api/ipv4.ts';

const claims: ClaimedNetwork[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of claims.splice(0)) await c.release();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function range(cidr: string): [number, number] {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const b = parseIPv4(base!)!;
  return [b, b + size - 1];
}

test('slot 0 is the documented plan; the cluster IPs of kubernetes and kube-dns are the 1st and 10th', () => {
  const n = networkOfSlot(0);
  expect([n.serviceCIDR, n.loadBalancerCIDR, n.nodePortAddress, n.podCIDR(1)]).toEqual(['127.96.0.0/12', '127.240.0.0/16', '127.0.0.1', '127.200.1.0/24']);
  expect([apiServiceIP(n), clusterDnsIP(n)]).toEqual(['127.96.0.1', '127.96.0.10']);
  expect(clusterDnsIP(networkOfSlot(5))).toBe('127.112.20.10');
});

test('no two slots share an address range, and a slot has room for 32 nodes', () => {
  const ranges: [number, number, string][] = [];
  for (const slot of [0, 1, 2, 63, 64, 200, MAX_SLOT]) {
    const n = networkOfSlot(slot);
    for (const cidr of [n.serviceCIDR, n.loadBalancerCIDR, `${n.nodePortAddress}/32`, n.podCIDR(1), n.podCIDR(32)]) ranges.push([...range(cidr), `${slot}:${cidr}`]);
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, b] = [ranges[i]!, ranges[j]!];
      if (a[2].split(':')[0] === b[2].split(':')[0] && a[2] === b[2]) continue;
      expect(a[1] < b[0] || b[1] < a[0], `${a[2]} overlaps ${b[2]}`).toBe(true);
    }
  }
  expect(() => networkOfSlot(3).podCIDR(33)).toThrow(/room for 32 nodes/);
  expect(() => networkOfSlot(MAX_SLOT + 1)).toThrow(/no network slot/);
});

test('two state dirs claim two slots; a state dir keeps its slot, and refuses to start while another runtime holds it', async () => {
  const a = await mkdtemp(join(tmpdir(), 'kite-net-'));
  const b = await mkdtemp(join(tmpdir(), 'kite-net-'));
  dirs.push(a, b);
  const first = await claimNetwork(a);
  claims.push(first);
  const second = await claimNetwork(b);
  claims.push(second);
  expect(second.network.slot).not.toBe(first.network.slot);
  expect(JSON.parse(await readFile(join(a, 'network.json'), 'utf8'))).toEqual({ slot: first.network.slot });
  // The recorded slot is held (by `first`): a second runtime on dir a is refused.
  await expect(claimNetwork(a)).rejects.toThrow(/another kite runtime holds this state dir's addresses/);
  await first.release();
  claims.splice(claims.indexOf(first), 1);
  const again = await claimNetwork(a);
  claims.push(again);
  expect(again.network.slot).toBe(first.network.slot);
  // The slot's listener answers /healthz as kube-proxy's does.
  const res = await fetch(`http://${again.network.nodePortAddress}:10256/healthz`);
  expect(res.status).toBe(200);
  expect(Object.keys(await res.json())).toEqual(['lastUpdated', 'currentTime']);
});

// The userspace data plane alone (no runtime): real listeners on addresses of a network slot no test runtime claims.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SLOT, networkOfSlot, nthAddress } from '../../../runtime/network.ts';
import { UserspaceDataPlane } from '../../../runtime/proxy/userspace.ts';
import { eventually } from '../harness.ts';
import { clusterIpEntry, connectError, nameAt, startNamedServer } from './helpers.ts';

// The last slot: test runtimes claim the lowest free ones.
const NET = networkOfSlot(MAX_SLOT);
const vip = (n: number) => nthAddress(NET.serviceCIDR, 100 + n);

describe('UserspaceDataPlane', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('gives a listener two Service ports claim to the first, and reports the second as in use', async () => {
    const plane = new UserspaceDataPlane();
    cleanup.push(() => plane.stop());
    const s = await startNamedServer('one', nthAddress(NET.podCIDR(1), 1));
    cleanup.push(() => s.close());
    await plane.apply([clusterIpEntry('a', vip(1), [s]), clusterIpEntry('b', vip(1), [s])]);
    expect(plane.failures()).toEqual(new Map([['default/b', [`listen tcp ${vip(1)}:80: bind: address already in use`]]]));
    expect(await nameAt(vip(1), 80)).toBe('one');
  });

  it('retries a taken address and tells when it is bound', async () => {
    const plane = new UserspaceDataPlane({ retryMs: 50 });
    cleanup.push(() => plane.stop());
    let changes = 0;
    plane.onFailuresChanged = () => changes++;
    const s = await startNamedServer('two', nthAddress(NET.podCIDR(1), 2));
    cleanup.push(() => s.close());
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(80, vip(2), () => r()));
    await plane.apply([clusterIpEntry('c', vip(2), [s])]);
    expect(plane.failures().get('default/c')).toEqual([`listen tcp ${vip(2)}:80: bind: address already in use`]);
    await new Promise<void>((r) => blocker.close(() => r()));
    await eventually(() => plane.failures().size === 0 && changes > 0, { what: 'the retried bind' });
    expect(await nameAt(vip(2), 80)).toBe('two');
  });

  it('stops listening when the endpoints go, and stop() ends everything', async () => {
    const plane = new UserspaceDataPlane();
    const s = await startNamedServer('three', nthAddress(NET.podCIDR(1), 3));
    cleanup.push(() => s.close());
    await plane.apply([clusterIpEntry('d', vip(3), [s])]);
    expect(plane.listening).toBe(1);
    await plane.apply([clusterIpEntry('d', vip(3), [])]);
    expect(plane.listening).toBe(0);
    expect(await connectError(vip(3), 80)).toBe('ECONNREFUSED');
    await plane.apply([clusterIpEntry('d', vip(3), [s])]);
    expect(await eventually(() => nameAt(vip(3), 80), { what: 'listening again' })).toBe('three');
    await plane.stop();
    expect(await connectError(vip(3), 80)).toBe('ECONNREFUSED');
  });
});

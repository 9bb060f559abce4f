// The LoadBalancer address controller: the address choice as a table, then the controller on a
// real registry (allocation, loadBalancerIP, release on delete and type change, restart).
import { afterEach, describe, expect, it } from 'vitest';
import type { Event, Service } from '../../../lib/api/model.ts';
import type { ApiClient } from '../../../runtime/client/client.ts';
import { startControllers, type RunningControllers } from '../../../runtime/controllers/index.ts';
import { addressRange, chooseAddress } from '../../../runtime/controllers/service-lb.ts';
import { parseIPv4 } from '../../../lib/api/ipv4.ts';
import { eventually, startControlPlane, type TestControlPlane } from '../harness.ts';

const CIDR = '127.240.0.0/16';
let cp: TestControlPlane | undefined;
let controllers: RunningControllers | undefined;

afterEach(async () => {
  await controllers?.stop();
  await cp?.close();
  controllers = cp = undefined;
});

function used(...ips: string[]): Set<number> {
  return new Set(ips.map((ip) => parseIPv4(ip)!));
}

describe('chooseAddress', () => {
  const range = addressRange(CIDR);
  const small = addressRange('127.128.4.0/30'); // two usable addresses: .1 and .2
  it.each([
    ['the lowest free address on an empty range', range, used(), undefined, undefined, { ip: '127.240.0.1' }],
    ['the next one when the first is taken', range, used('127.240.0.1'), undefined, undefined, { ip: '127.240.0.2' }],
    ['a hole before the highest taken', range, used('127.240.0.1', '127.240.0.3'), undefined, undefined, { ip: '127.240.0.2' }],
    ['the address it already holds', range, used('127.240.0.1'), undefined, '127.240.0.9', { ip: '127.240.0.9' }],
    ['a new one when its address is held by another', range, used('127.240.0.1'), undefined, '127.240.0.1', { ip: '127.240.0.2' }],
    ['a new one when its address is outside the range', range, used(), undefined, '10.0.0.1', { ip: '127.240.0.1' }],
    ['the requested address', range, used(), '127.240.3.4', undefined, { ip: '127.240.3.4' }],
    ['no requested address outside the range', range, used(), '10.1.2.3', undefined, { error: 'requested IP 10.1.2.3 is not in the load balancer range 127.240.0.0/16' }],
    ['no requested address in use', range, used('127.240.0.7'), '127.240.0.7', undefined, { error: 'requested IP 127.240.0.7 is already allocated to another Service' }],
    ['not the broadcast address', small, used('127.128.4.1'), undefined, undefined, { ip: '127.128.4.2' }],
    ['nothing from a full range', small, used('127.128.4.1', '127.128.4.2'), undefined, undefined, { error: 'no available IP in the load balancer range 127.128.4.0/30' }],
  ])('%s', (_what, r, u, requested, current, want) => {
    expect(chooseAddress(r, u, requested, current)).toEqual(want);
  });
});

function lb(name: string, extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...extra } };
}

function ingressOf(client: ApiClient, name: string): string | undefined {
  return client.get('services', 'default', name)?.status?.loadBalancer?.ingress?.[0]?.ip;
}

function eventsOf(client: ApiClient, name: string): Event[] {
  return client.list('events', 'default').items.filter((e) => e.involvedObject.name === name);
}

async function start(): Promise<ApiClient> {
  cp ??= await startControlPlane();
  controllers = startControllers(cp.client, { controllers: ['service-lb'], loadBalancerCIDR: CIDR });
  return cp.client;
}

describe('ServiceLoadBalancerController', () => {
  it('gives each LoadBalancer its own address, lowest first, with the service controller events', async () => {
    const client = await start();
    await client.create('services', 'default', lb('a'));
    await eventually(() => ingressOf(client, 'a'), { what: 'a address' });
    await client.create('services', 'default', lb('b'));
    await eventually(() => ingressOf(client, 'b'), { what: 'b address' });
    expect(ingressOf(client, 'a')).toBe('127.240.0.1');
    expect(ingressOf(client, 'b')).toBe('127.240.0.2');
    expect(client.get('services', 'default', 'a')!.status!.loadBalancer!.ingress).toEqual([{ ip: '127.240.0.1', ipMode: 'VIP' }]);
    const reasons = await eventually(() => {
      const r = eventsOf(client, 'a').map((e) => `${e.type} ${e.reason} ${e.message} ${e.source?.component}`);
      return r.length === 2 && r;
    }, { what: 'two events' });
    expect(reasons.sort()).toEqual(['Normal EnsuredLoadBalancer Ensured load balancer service-controller', 'Normal EnsuringLoadBalancer Ensuring load balancer service-controller']);
  });

  it('leaves ClusterIP Services and those of another loadBalancerClass alone', async () => {
    const client = await start();
    await client.create('services', 'default', { ...lb('plain'), spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    await client.create('services', 'default', lb('other', { loadBalancerClass: 'example.com/lb' }));
    await client.create('services', 'default', lb('mine'));
    // Services are synced in order by one worker: once the last has its address, the others were seen.
    await eventually(() => ingressOf(client, 'mine'), { what: 'mine address' });
    expect(ingressOf(client, 'mine')).toBe('127.240.0.1');
    expect(client.get('services', 'default', 'plain')!.status).toEqual({ loadBalancer: {} });
    expect(client.get('services', 'default', 'other')!.status).toEqual({ loadBalancer: {} });
  });

  it('honours spec.loadBalancerIP in the range, and warns for one outside it', async () => {
    const client = await start();
    await client.create('services', 'default', lb('chosen', { loadBalancerIP: '127.240.9.9' }));
    await client.create('services', 'default', lb('outside', { loadBalancerIP: '192.0.2.1' }));
    await eventually(() => ingressOf(client, 'chosen') === '127.240.9.9', { what: 'the requested address' });
    const warning = await eventually(() => eventsOf(client, 'outside').find((e) => e.type === 'Warning'), { what: 'a warning' });
    expect(warning.reason).toBe('SyncLoadBalancerFailed');
    expect(warning.message).toBe('Error syncing load balancer: failed to ensure load balancer: requested IP 192.0.2.1 is not in the load balancer range 127.240.0.0/16');
    expect(ingressOf(client, 'outside')).toBeUndefined();
  });

  it('frees the address of a deleted Service and of one that is no longer a LoadBalancer', async () => {
    const client = await start();
    await client.create('services', 'default', lb('a'));
    await eventually(() => ingressOf(client, 'a'), { what: 'a address' });
    await client.create('services', 'default', lb('b'));
    await eventually(() => ingressOf(client, 'b') === '127.240.0.2', { what: 'b address' });
    await client.delete('services', 'default', 'a');
    await client.create('services', 'default', lb('c'));
    await eventually(() => ingressOf(client, 'c') === '127.240.0.1', { what: 'c takes the freed first address' });

    const b = client.get('services', 'default', 'b')!;
    // As `kubectl edit` must: the LoadBalancer-only fields go with the type.
    const { allocateLoadBalancerNodePorts: _a, externalTrafficPolicy: _e, ...spec } = b.spec!;
    await client.update('services', { ...b, spec: { ...spec, type: 'ClusterIP', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    await eventually(() => ingressOf(client, 'b') === undefined, { what: 'b status cleared' });
    await eventually(() => eventsOf(client, 'b').some((e) => e.reason === 'DeletedLoadBalancer'), { what: 'DeletedLoadBalancer' });
    await client.create('services', 'default', lb('d'));
    await eventually(() => ingressOf(client, 'd') === '127.240.0.2', { what: 'd takes b address' });
  });

  it('gives a waiting Service the requested address once its holder lets it go', async () => {
    const client = await start();
    await client.create('services', 'default', lb('holder'));
    await eventually(() => ingressOf(client, 'holder') === '127.240.0.1', { what: 'holder address' });
    await client.create('services', 'default', lb('wants', { loadBalancerIP: '127.240.0.1' }));
    await eventually(() => eventsOf(client, 'wants').some((e) => e.reason === 'SyncLoadBalancerFailed'), { what: 'in-use warning' });
    await client.delete('services', 'default', 'holder');
    await eventually(() => ingressOf(client, 'wants') === '127.240.0.1', { what: 'the address handed over' });
  });

  it('moves a Service to a newly requested address, freeing the old one; keeps it when the request cannot be met', async () => {
    const client = await start();
    await client.create('services', 'default', lb('mover'));
    await eventually(() => ingressOf(client, 'mover') === '127.240.0.1', { what: 'first address' });
    await client.create('services', 'default', lb('waiter', { loadBalancerIP: '127.240.0.1' }));
    await eventually(() => eventsOf(client, 'waiter').some((e) => e.reason === 'SyncLoadBalancerFailed'), { what: 'in-use warning' });
    let mover = client.get('services', 'default', 'mover')!;
    await client.update('services', { ...mover, spec: { ...mover.spec, loadBalancerIP: '127.240.5.5' } });
    await eventually(() => ingressOf(client, 'mover') === '127.240.5.5', { what: 'moved' });
    await eventually(() => ingressOf(client, 'waiter') === '127.240.0.1', { what: 'the waiter gets the freed address' });
    mover = client.get('services', 'default', 'mover')!;
    await client.update('services', { ...mover, spec: { ...mover.spec, loadBalancerIP: '192.0.2.1' } });
    await eventually(() => eventsOf(client, 'mover').some((e) => e.message?.includes('192.0.2.1')), { what: 'out-of-range warning' });
    expect(ingressOf(client, 'mover')).toBe('127.240.5.5');
  });

  it('keeps the addresses across a restart of the controller', async () => {
    const client = await start();
    for (const n of ['a', 'b']) {
      await client.create('services', 'default', lb(n));
      await eventually(() => ingressOf(client, n), { what: `${n} address` });
    }
    await controllers!.stop();
    await client.delete('services', 'default', 'a');
    await start();
    await client.create('services', 'default', lb('c'));
    await eventually(() => ingressOf(client, 'c'), { what: 'c address' });
    expect(ingressOf(client, 'b')).toBe('127.240.0.2');
    expect(ingressOf(client, 'c')).toBe('127.240.0.1');
  });
});

describe('LoadBalancer addresses on the whole runtime, through the real kubectl', () => {
  let rt: import('../harness.ts').TestRuntime | undefined;
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
  });

  it('shows an EXTERNAL-IP instead of <pending>, one per Service, freed on delete', async () => {
    const { startTestRuntime } = await import('../harness.ts');
    const { nthAddress } = await import('../../../runtime/network.ts');
    rt = await startTestRuntime({ nodes: 1 });
    const cidr = rt.runtime.network.loadBalancerCIDR;
    const [first, second] = [nthAddress(cidr, 1), nthAddress(cidr, 2)];
    for (const n of ['web', 'api']) {
      const r = await rt.kubectl(['create', 'service', 'loadbalancer', n, '--tcp=80:8080']);
      expect(r.stderr).toBe('');
      await eventually(() => ingressOf(rt!.runtime.client, n), { what: `${n} address` });
    }
    const table = await rt.kubectl(['get', 'svc', 'web', 'api', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name,EXTERNAL:.status.loadBalancer.ingress[0].ip']);
    expect(table.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/))).toEqual([
      ['web', first],
      ['api', second],
    ]);
    const plain = await rt.kubectl(['get', 'svc', 'web']);
    expect(plain.stdout).toMatch(new RegExp(`^web\\s+LoadBalancer\\s+\\S+\\s+${first.replaceAll('.', '\\.')}\\s+80:\\d+/TCP\\s`, 'm'));
    expect(plain.stdout).not.toContain('<pending>');

    expect((await rt.kubectl(['delete', 'svc', 'web'])).code).toBe(0);
    await rt.kubectl(['create', 'service', 'loadbalancer', 'shop', '--tcp=80:8080']);
    await eventually(() => ingressOf(rt!.runtime.client, 'shop') === first, { what: 'shop takes the freed address' });
  });
});

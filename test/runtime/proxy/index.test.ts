import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nthAddress } from '../../../runtime/network.ts';
import { SERVICE_PORTS_BOUND } from '../../../lib/api/model.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';
import { connectError, createService, endpointAddress, nameAt, open, setEndpoints, startNamedServer, startNamedUdpServer, udpAsk, type NamedServer } from './helpers.ts';

describe('ServiceProxy (userspace) in a running runtime', () => {
  let rt: TestRuntime;
  const cleanup: (() => Promise<void> | void)[] = [];
  let next = 0;
  /** A fresh endpoint address for each server of the file. */
  const addr = () => endpointAddress(rt.runtime.network, ++next);
  const server = async (name: string) => {
    const s = await startNamedServer(name, addr());
    cleanup.push(() => s.close());
    return s;
  };

  beforeAll(async () => {
    rt = await startTestRuntime({ nodes: 1 });
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await rt?.close();
  });

  const client = () => rt.runtime.client;
  const clusterIP = (name: string) => client().get('services', 'default', name)!.spec!.clusterIP!;

  it('spreads new connections round-robin over 3 ready endpoints', async () => {
    const servers = await Promise.all(['a', 'b', 'c'].map(server));
    await createService(client(), 'spread', { ports: [{ port: 80, targetPort: 8080 }] });
    await setEndpoints(client(), 'spread', servers);
    const ip = clusterIP('spread');
    await eventually(async () => (await nameAt(ip, 80).catch(() => '')) !== '', { what: 'the proxy to answer' });
    await eventually(async () => new Set(await Promise.all([1, 2, 3].map(() => nameAt(ip, 80)))).size === 3, { what: 'all three endpoints programmed' });
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) seen.push(await nameAt(ip, 80));
    expect(['a', 'b', 'c'].map((n) => seen.filter((s) => s === n).length)).toEqual([10, 10, 10]);
  });

  it('sessionAffinity ClientIP sends a client IP to one endpoint; another client IP may go elsewhere', async () => {
    const servers = await Promise.all(['a', 'b', 'c'].map(server));
    await createService(client(), 'sticky', { ports: [{ port: 80 }], sessionAffinity: 'ClientIP' });
    await setEndpoints(client(), 'sticky', servers);
    const ip = clusterIP('sticky');
    await eventually(async () => (await nameAt(ip, 80).catch(() => '')) !== '', { what: 'the proxy to answer' });
    const clientA = nthAddress(rt.runtime.network.podCIDR(1), 201);
    const clientB = nthAddress(rt.runtime.network.podCIDR(1), 202);
    const fromA = new Set<string>();
    const fromB = new Set<string>();
    for (let i = 0; i < 10; i++) {
      fromA.add(await nameAt(ip, 80, clientA));
      fromB.add(await nameAt(ip, 80, clientB));
    }
    expect(fromA.size).toBe(1);
    expect(fromB.size).toBe(1);
  });

  it("the endpoint sees the client's address, as through kube-proxy's DNAT", async () => {
    const ip = addr();
    const seen = createServer((s) => s.end(`${s.remoteAddress}\n`));
    await new Promise<void>((r) => seen.listen(0, ip, () => r()));
    cleanup.push(() => new Promise<void>((r) => seen.close(() => r())));
    const port = (seen.address() as { port: number }).port;
    await createService(client(), 'source', { ports: [{ port: 80 }] });
    await setEndpoints(client(), 'source', [{ name: 'source', ip, port, close: async () => {} }]);
    const clientIP = nthAddress(rt.runtime.network.podCIDR(1), 203);
    expect(await eventually(() => nameAt(clusterIP('source'), 80, clientIP), { what: 'an answer' })).toBe(clientIP);
  });

  it('a Service port without endpoints refuses connections at once (ECONNREFUSED), also after its last endpoint went', async () => {
    await createService(client(), 'empty', { ports: [{ port: 80 }] });
    const ip = clusterIP('empty');
    expect(await connectError(ip, 80)).toBe('ECONNREFUSED');
    const s = await server('only');
    await setEndpoints(client(), 'empty', [s]);
    await eventually(async () => (await nameAt(ip, 80).catch(() => '')) === 'only', { what: 'the endpoint to be used' });
    await setEndpoints(client(), 'empty', []);
    await eventually(async () => (await connectError(ip, 80)) === 'ECONNREFUSED', { what: 'refusal once the endpoint went' });
  });

  it('a UDP Service port without endpoints is refused too (ICMP port unreachable → ECONNREFUSED)', async () => {
    await createService(client(), 'empty-udp', { ports: [{ port: 53, protocol: 'UDP' }] });
    const ip = clusterIP('empty-udp');
    const socket = createSocket('udp4');
    try {
      const code = await new Promise<string | undefined>((resolve) => {
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
        socket.connect(53, ip, () => socket.send('ping'));
      });
      expect(code).toBe('ECONNREFUSED');
    } finally {
      socket.close();
    }
  });

  it('reprogramming keeps an established connection on its endpoint', async () => {
    const [a, b] = await Promise.all(['a', 'b'].map(server)) as [NamedServer, NamedServer];
    await createService(client(), 'keep', { ports: [{ port: 80 }] });
    await setEndpoints(client(), 'keep', [a]);
    const ip = clusterIP('keep');
    const conn = await eventually(() => open(ip, 80), { what: 'a connection' });
    expect(conn.name).toBe('a');
    await setEndpoints(client(), 'keep', [b]);
    await eventually(async () => (await nameAt(ip, 80).catch(() => '')) === 'b', { what: 'new connections to go to b' });
    expect(await conn.echo('still here')).toBe('still here');
    conn.socket.destroy();
  });

  it('forwards UDP datagrams per client flow and returns the replies', async () => {
    const u = await startNamedUdpServer('udp-a', addr());
    cleanup.push(() => u.close());
    await createService(client(), 'dns-like', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
    await setEndpoints(client(), 'dns-like', [u], { portName: 'dns', protocol: 'UDP' });
    const ip = clusterIP('dns-like');
    const from = nthAddress(rt.runtime.network.podCIDR(1), 204);
    expect(await eventually(() => udpAsk(ip, 53, 'ping', 500, from), { what: 'a UDP reply' })).toBe(`udp-a:ping:${from}`);
  });

  it('a NodePort Service answers on the network node-port address', async () => {
    const s = await server('np');
    const svc = await createService(client(), 'np', { type: 'NodePort', ports: [{ port: 80 }] });
    await setEndpoints(client(), 'np', [s]);
    const nodePort = svc.spec!.ports![0]!.nodePort!;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(await eventually(() => nameAt(rt.runtime.network.nodePortAddress, nodePort), { what: 'the node port' })).toBe('np');
  });

  it('two LoadBalancer Services on port 80 answer at their own ingress IPs', async () => {
    const [a, b] = (await Promise.all(['lb-a', 'lb-b'].map(server))) as [NamedServer, NamedServer];
    const ips = [nthAddress(rt.runtime.network.loadBalancerCIDR, 11), nthAddress(rt.runtime.network.loadBalancerCIDR, 12)];
    for (const [i, s] of [a, b].entries()) {
      const svc = await createService(client(), s.name, { type: 'LoadBalancer', ports: [{ port: 80 }] });
      await client().updateStatus('services', { ...svc, status: { loadBalancer: { ingress: [{ ip: ips[i]!, ipMode: 'VIP' }] } } });
      await setEndpoints(client(), s.name, [s]);
    }
    expect(await eventually(() => nameAt(ips[0]!, 80), { what: 'the first LoadBalancer' })).toBe('lb-a');
    expect(await eventually(() => nameAt(ips[1]!, 80), { what: 'the second LoadBalancer' })).toBe('lb-b');
  });

  it('a selector-less Service with manual Endpoints forwards to the address written', async () => {
    const s = await server('external-db');
    await createService(client(), 'external-ip-database', { ports: [{ port: 3306, targetPort: s.port }] });
    await client().create('endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external-ip-database', namespace: 'default' },
      subsets: [{ addresses: [{ ip: s.ip }], ports: [{ port: s.port }] }],
    });
    expect(await eventually(() => nameAt(clusterIP('external-ip-database'), 3306), { what: 'the mirrored slice to be programmed' })).toBe('external-db');
  });

  it('rebuilds the table at most once per 100 ms however fast Services arrive (kube-proxy minSyncPeriod), and programs the last one', async () => {
    const proxy = rt.runtime.proxy;
    const builds0 = proxy.builds;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 60 }, (_, i) => createService(client(), `burst-${i}`, { ports: [{ port: 80 }] })));
    const last = await server('last');
    await setEndpoints(client(), 'burst-59', [last]);
    const ip = clusterIP('burst-59');
    await eventually(async () => (await nameAt(ip, 80).catch(() => '')) === 'last', { what: 'the last Service of the burst programmed' });
    const elapsed = performance.now() - t0;
    // Each build starts at least 100 ms after the one before (one may have begun just before t0).
    expect(proxy.builds - builds0).toBeLessThanOrEqual(Math.floor(elapsed / 100) + 2);
    expect(proxy.builds - builds0).toBeGreaterThan(0);
  });

  it('a taken LoadBalancer address is a Warning Event and a PortsBound=False condition, and True once it is freed', async () => {
    const s = await server('blocked');
    const lbIP = nthAddress(rt.runtime.network.loadBalancerCIDR, 21);
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(80, lbIP, () => r()));
    let blocking = true;
    cleanup.push(() => (blocking ? new Promise<void>((r) => blocker.close(() => r())) : undefined));
    const svc = await createService(client(), 'blocked', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    await client().updateStatus('services', { ...svc, status: { loadBalancer: { ingress: [{ ip: lbIP }] } } });
    await setEndpoints(client(), 'blocked', [s]);
    const message = `listen tcp ${lbIP}:80: bind: address already in use`;
    const cond = await eventually(() => client().get('services', 'default', 'blocked')?.status?.conditions?.find((c) => c.type === SERVICE_PORTS_BOUND), { what: 'the condition' });
    expect(cond).toMatchObject({ status: 'False', reason: 'PortUnavailable', message });
    // Our API server keeps no metadata.generation for Services yet: observedGeneration follows it.
    expect(cond.observedGeneration).toBe(svc.metadata.generation);
    expect(cond.lastTransitionTime).toBeTruthy();
    const event = await eventually(() => client().list('events', 'default').items.find((e) => e.involvedObject.name === 'blocked' && e.reason === 'PortUnavailable'), { what: 'the event' });
    expect(event).toMatchObject({ type: 'Warning', message });
    // The cluster IP still answers; the LoadBalancer address once the blocker is gone (retried every 5 s).
    expect(await eventually(() => nameAt(clusterIP('blocked'), 80), { what: 'the cluster IP' })).toBe('blocked');
    await new Promise<void>((r) => blocker.close(() => r()));
    blocking = false;
    await eventually(() => client().get('services', 'default', 'blocked')?.status?.conditions?.find((c) => c.type === SERVICE_PORTS_BOUND)?.status === 'True', { what: 'PortsBound True', timeoutMs: 15_000 });
    expect(await nameAt(lbIP, 80)).toBe('blocked');
  });
});

describe('ServiceProxy stop', () => {
  it('closes every listener and ends every forwarded connection', async () => {
    const rt = await startTestRuntime({ nodes: 1 });
    let s: NamedServer | undefined;
    try {
      s = await startNamedServer('x', endpointAddress(rt.runtime.network, 1));
      await createService(rt.runtime.client, 'stop', { ports: [{ port: 80 }] });
      await setEndpoints(rt.runtime.client, 'stop', [s]);
      const ip = rt.runtime.client.get('services', 'default', 'stop')!.spec!.clusterIP!;
      const conn = await eventually(() => open(ip, 80), { what: 'a connection' });
      const closed = new Promise<void>((r) => conn.socket.once('close', () => r()));
      await rt.close();
      await closed;
      expect(await connectError(ip, 80)).toBe('ECONNREFUSED');
    } finally {
      await rt.close();
      await s?.close();
    }
  });
});

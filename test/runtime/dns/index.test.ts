/**
 * Cluster DNS in a running runtime: the kube-dns Service, the seed's Services answered on the
 * kube-dns VIP (asked with dig and Node's resolver), answers following the API (a headless
 * Service's pods, a deleted Service), and — with nodes that run processes — a stock Node.js
 * process in a pod resolving a short name through its resolv.conf's search path.
 */
import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { InformerFactory } from '../../../runtime/client/informer-factory.ts';
import { ClusterDns } from '../../../runtime/dns/index.ts';
import { clusterDnsIP } from '../../../runtime/network.ts';
import { SEED } from '../../support/kite.ts';
import { eventually, startControlPlane, startTestRuntime, type TestRuntime } from '../harness.ts';

const run = promisify(execFile);
const hasDig = await run('dig', ['-v']).then(
  () => true,
  () => false,
);
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('cluster DNS in the runtime (port 53 needs root)', () => {
  let rt: TestRuntime;
  let resolver: Resolver;
  let dnsIP: string;

  beforeAll(async () => {
    rt = await startTestRuntime();
    dnsIP = clusterDnsIP(rt.runtime.network);
    resolver = new Resolver({ timeout: 2000, tries: 2 });
    resolver.setServers([dnsIP]);
    for (const name of ['test', 'prod']) await rt.runtime.client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    for (const file of ['namespaced-services.yaml', 'external-name-service.yaml']) {
      const r = await rt.kubectl(['apply', '-f', `${SEED}/${file}`]);
      expect(r.stderr).toBe('');
    }
  }, 60_000);

  afterAll(async () => {
    await rt?.close();
  });

  it('serves on the kube-dns cluster IP, the Service kept as kubeadm’s addon', async () => {
    expect(rt.runtime.dns()).toEqual({ domain: 'cluster.local', listening: `${dnsIP}:53` });
    const svc = rt.runtime.client.get('services', 'kube-system', 'kube-dns');
    expect(svc?.spec?.clusterIP).toBe(dnsIP);
    expect(svc?.metadata.labels).toEqual({
      'k8s-app': 'kube-dns',
      'kubernetes.io/cluster-service': 'true',
      'kubernetes.io/name': 'CoreDNS',
      'service.kubernetes.io/service-proxy-name': 'kite-dns',
    });
    expect(svc?.spec?.ports?.map((p) => [p.name, p.port, p.protocol])).toEqual([
      ['dns', 53, 'UDP'],
      ['dns-tcp', 53, 'TCP'],
    ]);
    const got = await rt.kubectl(['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(got.stdout).toBe(dnsIP);
  });

  it('the seed’s my-database resolves to a different cluster IP in test and in prod', async () => {
    const testIP = rt.runtime.client.get('services', 'test', 'my-database')?.spec?.clusterIP;
    const prodIP = rt.runtime.client.get('services', 'prod', 'my-database')?.spec?.clusterIP;
    expect(testIP).not.toBe(prodIP);
    const test = await eventually(() => resolver.resolve4('my-database.test.svc.cluster.local'), { what: 'my-database in test' });
    expect(test).toEqual([testIP]);
    expect(await resolver.resolve4('my-database.prod.svc.cluster.local')).toEqual([prodIP]);
  });

  it('the seed’s ExternalName answers a CNAME', async () => {
    const cname = await eventually(() => resolver.resolveCname('external-database.default.svc.cluster.local'), { what: 'the CNAME' });
    expect(cname).toEqual(['database.company.com']);
  });

  it.skipIf(!hasDig)('dig: A, SRV with its additional A, NXDOMAIN vs NODATA, over UDP and TCP', async () => {
    const dig = async (...args: string[]) => (await run('dig', [`@${dnsIP}`, '+tries=1', '+time=2', ...args])).stdout;
    const testIP = rt.runtime.client.get('services', 'test', 'my-database')?.spec?.clusterIP ?? '';
    expect((await dig('+short', 'my-database.test.svc.cluster.local')).trim()).toBe(testIP);
    expect((await dig('+short', '+tcp', 'my-database.prod.svc.cluster.local')).trim()).toBe(rt.runtime.client.get('services', 'prod', 'my-database')?.spec?.clusterIP);
    const srv = await dig('+noall', '+answer', '+additional', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local');
    expect(srv).toMatch(/_dns\._udp\.kube-dns\.kube-system\.svc\.cluster\.local\.\s+5\s+IN\s+SRV\s+0 100 53 kube-dns\.kube-system\.svc\.cluster\.local\./);
    expect(srv).toMatch(new RegExp(`kube-dns\\.kube-system\\.svc\\.cluster\\.local\\.\\s+5\\s+IN\\s+A\\s+${dnsIP.replace(/\./g, '\\.')}`));
    expect(await dig('nothing.test.svc.cluster.local')).toMatch(/status: NXDOMAIN/);
    const nodata = await dig('AAAA', 'my-database.test.svc.cluster.local');
    expect(nodata).toMatch(/status: NOERROR/);
    expect(nodata).toMatch(/ANSWER: 0/);
    expect(nodata).toMatch(/cluster\.local\.\s+5\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\./);
  });

  it('a headless Service answers its ready pods’ IPs; a deleted Service is gone', async () => {
    const client = rt.runtime.client;
    await client.create('services', 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'default' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] },
    });
    for (const name of ['db-0', 'db-1']) {
      await client.create('pods', 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { app: 'db' } },
        spec: { hostname: name, subdomain: 'db', containers: [{ name: 'pg', image: 'postgres', ports: [{ containerPort: 5432 }] }] },
      });
    }
    const podIPs = await eventually(
      () => {
        const ips = ['db-0', 'db-1'].map((n) => client.get('pods', 'default', n)?.status?.podIP);
        return ips.every(Boolean) ? (ips as string[]).sort() : undefined;
      },
      { what: 'pod IPs' },
    );
    await eventually(async () => JSON.stringify((await resolver.resolve4('db.default.svc.cluster.local')).sort()) === JSON.stringify(podIPs), { what: 'the headless answer', timeoutMs: 20_000 });
    expect(await resolver.resolve4('db-0.db.default.svc.cluster.local')).toEqual([client.get('pods', 'default', 'db-0')?.status?.podIP]);
    const srv = await resolver.resolveSrv('_pg._tcp.db.default.svc.cluster.local');
    expect(srv.map((r) => r.name).sort()).toEqual(['db-0.db.default.svc.cluster.local', 'db-1.db.default.svc.cluster.local']);
    expect(srv.every((r) => r.port === 5432 && r.weight === 50)).toBe(true);

    await client.delete('services', 'test', 'my-database');
    await eventually(() => resolver.resolve4('my-database.test.svc.cluster.local').then(() => false, (e: NodeJS.ErrnoException) => e.code === 'ENOTFOUND'), { what: 'NXDOMAIN after the delete' });
  }, 30_000);
});

describe.skipIf(!isRoot)('kite up --cluster-domain', () => {
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await startTestRuntime({ nodes: 1, clusterDomain: 'kite.test' });
  }, 60_000);

  afterAll(async () => {
    await rt?.close();
  });

  it('is the zone served; cluster.local is then just another name, forwarded', async () => {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([clusterDnsIP(rt.runtime.network)]);
    expect(rt.runtime.dns().domain).toBe('kite.test');
    const kubeDns = await eventually(() => resolver.resolve4('kube-dns.kube-system.svc.kite.test'), { what: 'kube-dns in kite.test' });
    expect(kubeDns).toEqual([clusterDnsIP(rt.runtime.network)]);
    await expect(resolver.resolve4('kube-dns.kube-system.svc.cluster.local')).rejects.toBeTruthy();
  });
});

describe.skipIf(!isRoot)('a pod that runs as a process', () => {
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await startTestRuntime({ simulate: false, nodes: 1, backoffInitialMs: 300 });
  }, 60_000);

  afterAll(async () => {
    await rt?.close();
  });

  it('gets the cluster DNS in its resolv.conf and resolves my-database of its own namespace by the short name', async (ctx) => {
    if (rt.runtime.kubelet.features?.mountNamespace === 'none') return ctx.skip();
    const client = rt.runtime.client;
    await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } });
    for (const namespace of ['default', 'test']) {
      await client.create('services', namespace, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-database', namespace }, spec: { ports: [{ port: 5432, protocol: 'TCP' }] } });
    }
    // The zone is rebuilt a moment after a change (throttled): wait until it has the Service.
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([clusterDnsIP(rt.runtime.network)]);
    const want = client.get('services', 'test', 'my-database')?.spec?.clusterIP;
    await eventually(async () => (await resolver.resolve4('my-database.test.svc.cluster.local'))[0] === want, { what: 'my-database in the zone' });
    const lookup = `require('dns').lookup('my-database', (e, a) => console.log('LOOKUP', e ? e.code : a))`;
    await client.create('pods', 'test', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'test' },
      spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['/bin/sh', '-c', `cat /etc/resolv.conf; node -e "${lookup}"`] }] },
    });
    await eventually(() => client.get('pods', 'test', 'client')?.status?.phase === 'Succeeded', { what: 'the pod to finish', timeoutMs: 30_000 });
    const logs = (await rt.kubectl(['logs', '-n', 'test', 'client'])).stdout;
    const dnsIP = clusterDnsIP(rt.runtime.network);
    expect(logs).toContain(`search test.svc.cluster.local svc.cluster.local cluster.local`);
    expect(logs).toContain(`nameserver ${dnsIP}\noptions ndots:5\n`);
    expect(logs).toContain(`LOOKUP ${client.get('services', 'test', 'my-database')?.spec?.clusterIP}`);
  }, 60_000);

  it('kubectl exec … node -e "require(\'dns\').lookup(\'my-database\', console.log)" answers the Service of the pod’s namespace', async (ctx) => {
    if (rt.runtime.kubelet.features?.mountNamespace === 'none') return ctx.skip();
    const client = rt.runtime.client;
    if (!client.get('services', 'default', 'my-database')) {
      await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-database', namespace: 'default' }, spec: { ports: [{ port: 5432, protocol: 'TCP' }] } });
    }
    await client.create('pods', 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shell', namespace: 'default' },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['/bin/sh', '-c', 'exec sleep 600'] }] },
    });
    await eventually(() => client.get('pods', 'default', 'shell')?.status?.phase === 'Running', { what: 'the pod to run', timeoutMs: 30_000 });
    const r = await rt.kubectl(['exec', 'shell', '--', 'node', '-e', "require('dns').lookup('my-database', console.log)"]);
    expect(r.stdout.trim()).toBe(`null ${client.get('services', 'default', 'my-database')?.spec?.clusterIP} 4`);
  }, 60_000);
});

describe('cluster DNS that cannot listen', () => {
  it('is off with the reason, and the kubelet is given no cluster DNS (pods fall back to the host’s resolv.conf)', async () => {
    const cp = await startControlPlane();
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.1', () => resolve()));
    const port = squatter.address().port;
    const informers = new InformerFactory(cp.client);
    const dns = new ClusterDns(cp.client, { informers, address: '127.0.0.1', port, upstream: [] });
    try {
      informers.start();
      await dns.start();
      expect(dns.status()).toEqual({ domain: 'cluster.local', problem: `cannot listen on 127.0.0.1:${port}: EADDRINUSE` });
      const settings = await dns.nodeDnsSettings();
      expect(settings.clusterDNS).toEqual([]);
      expect(settings.clusterDomain).toBe('cluster.local');
    } finally {
      await dns.stop();
      informers.stop();
      squatter.close();
      await cp.close();
    }
  });
});

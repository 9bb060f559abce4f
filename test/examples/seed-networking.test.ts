/**
 * The seed's "every Service gets three things" on the local runtime (issue 12's "done means"),
 * with real processes, real sockets and the real kubectl: a fixed virtual IP that spreads
 * connections over the ready pods only, a DNS name, and for a LoadBalancer its own address.
 */
import { execFile } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { request } from 'node:http';
import { createServer, connect, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../lib/api/model.ts';
import { clusterDnsIP } from '../../runtime/network.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
import { REPO, SEED } from '../support/kite.ts';

let rt: TestRuntime;
const servers: Server[] = [];

beforeAll(async () => {
  rt = await startTestRuntime({ simulate: false, nodes: 3, nodeCpu: '666m', images: join(REPO, 'kite.images.yaml'), backoffInitialMs: 500 });
}, 60_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await rt?.close();
});

const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const podsOf = (ns: string, k: string, v: string): Pod[] => rt.runtime.client.list('pods', ns).items.filter((p) => p.metadata.labels?.[k] === v && !p.metadata.deletionTimestamp);
const service = (ns: string, name: string): Service => rt.runtime.client.get('services', ns, name)!;

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await rt.kubectl(args, input === undefined ? {} : { input });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** One GET on a new connection (as a new client would: the proxy picks an endpoint per connection). */
function get(url: string, init: { method?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, method: init.method ?? 'GET', timeout: 3_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** The pod names that answered `n` requests to `url` (the stand-ins print their pod's name). */
async function answeredBy(url: string, n: number, names: string[]): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = await get(url);
    expect(r.status, r.body).toBe(200);
    const who = names.find((name) => r.body.includes(name)) ?? `unknown: ${r.body.slice(0, 80)}`;
    seen.set(who, (seen.get(who) ?? 0) + 1);
  }
  return seen;
}

function dig(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => execFile('dig', args, { timeout: 10_000 }, (err, stdout) => resolve(err ? undefined : stdout)));
}

const hasDig = await new Promise<boolean>((resolve) => execFile('dig', ['-v'], (err) => resolve(!err)));

describe('Services on the local runtime', () => {
  it('node-js-rc: the LoadBalancer gets its own address; its VIP, node port and address spread connections over the three ready pods', { timeout: 90_000 }, async () => {
    await kubectl(['apply', '-f', join(SEED, 'node-js-rc.yaml')]);
    const pods = await eventually(() => {
      const ps = podsOf('default', 'name', 'node-js');
      return ps.length === 3 && ps.every(ready) && ps;
    }, { timeoutMs: 40_000, what: 'three ready node-js pods' });
    const names = pods.map((p) => p.metadata.name!);
    // The pods are ready before they listen (no readiness probe): wait until each answers on its
    // own address, so that a connection spread to any of them finds it listening.
    for (const p of pods) {
      const url = `http://${p.status!.podIP}:80/status/`;
      await eventually(() => get(url).then((r) => r.status === 200, () => false), { timeoutMs: 15_000, what: `${url} answering` });
    }
    const lb = await eventually(() => service('default', 'node-js').status?.loadBalancer?.ingress?.[0]?.ip, { timeoutMs: 10_000, what: 'a LoadBalancer address' });
    const svc = service('default', 'node-js');
    expect((await kubectl(['get', 'svc', 'node-js'])).split('\n')[1]).toMatch(new RegExp(`^node-js\\s+LoadBalancer\\s+${svc.spec!.clusterIP!.replaceAll('.', '\\.')}\\s+${lb.replaceAll('.', '\\.')}\\s+80:3\\d{4}/TCP\\s`));
    const nodePort = svc.spec!.ports![0]!.nodePort!;
    for (const url of [`http://${lb}/status/`, `http://${svc.spec!.clusterIP}/status/`, `http://${rt.runtime.network.nodePortAddress}:${nodePort}/status/`]) {
      // The proxy programs the address a moment after the Service changes.
      await eventually(() => get(url).then((r) => r.status === 200, () => false), { timeoutMs: 15_000, what: `${url} answering` });
      const seen = await answeredBy(url, 30, names);
      expect([...seen.keys()].sort(), url).toEqual([...names].sort());
    }

    // A second LoadBalancer on port 80 gets another address; both answer.
    await kubectl(['expose', 'rc', 'node-js', '--name', 'node-js-b', '--type', 'LoadBalancer', '--port', '80']);
    const lb2 = await eventually(() => service('default', 'node-js-b').status?.loadBalancer?.ingress?.[0]?.ip, { timeoutMs: 10_000, what: 'a second LoadBalancer address' });
    expect(lb2).not.toBe(lb);
    await eventually(() => get(`http://${lb2}/status/`).then((r) => r.status === 200), { timeoutMs: 10_000, what: `${lb2} answering` });
    expect((await get(`http://${lb}/status/`)).status).toBe(200);
    await kubectl(['delete', 'svc', 'node-js-b']);
    await kubectl(['delete', '-f', join(SEED, 'node-js-rc.yaml'), '--wait=false']);
  });

  it('a pod that turns unready leaves the rotation within period × failureThreshold and no request fails after; a scaled-up pod joins', { timeout: 90_000 }, async () => {
    const labels = { app: 'kuard-svc' };
    await kubectl(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'kuard', namespace: 'default' },
          spec: {
            replicas: 3,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [{ name: 'kuard', image: 'kuard-amd64:blue', ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, failureThreshold: 2 } }],
              },
            },
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kuard', namespace: 'default' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 'http' }] } },
      ],
    }));
    const pods = await eventually(() => {
      const ps = podsOf('default', 'app', 'kuard-svc');
      return ps.length === 3 && ps.every(ready) && ps;
    }, { timeoutMs: 40_000, what: 'three ready kuard pods' });
    const names = pods.map((p) => p.metadata.name!);
    const vip = `http://${service('default', 'kuard').spec!.clusterIP}/`;
    // Ready pods reach the proxy through their EndpointSlice a moment later.
    await eventually(async () => (await answeredBy(vip, 12, names)).size === 3, { timeoutMs: 10_000, what: 'the VIP answering from the three pods' });
    expect([...(await answeredBy(vip, 30, names)).keys()].sort()).toEqual([...names].sort());

    const victim = pods[0]!;
    const failedAt = Date.now();
    expect((await get(`http://${victim.status!.podIP}:8080/fail/ready`, { method: 'POST' })).status).toBe(200);
    // period 1 s × failureThreshold 2, plus the kubelet's and the controllers' reaction.
    await eventually(async () => !(await answeredBy(vip, 6, names)).has(victim.metadata.name!), { timeoutMs: 2_000 + 3_000, what: `${victim.metadata.name} out of the rotation` });
    const outAfterMs = Date.now() - failedAt;
    const after = await answeredBy(vip, 40, names);
    expect(after.has(victim.metadata.name!), `${outAfterMs} ms after the failure`).toBe(false);
    expect([...after.keys()].sort()).toEqual(names.slice(1).sort());

    await kubectl(['scale', 'rs', 'kuard', '--replicas', '4']);
    const added = await eventually(() => podsOf('default', 'app', 'kuard-svc').find((p) => !names.includes(p.metadata.name!) && ready(p)), { timeoutMs: 30_000, what: 'a fourth ready pod' });
    await eventually(async () => (await answeredBy(vip, 12, [...names, added.metadata.name!])).has(added.metadata.name!), { timeoutMs: 10_000, what: 'the new pod answering through the VIP' });
    await kubectl(['delete', 'rs,svc', 'kuard', '--wait=false']);
  });

  it('the seed\'s my-database resolves, from a stock Node.js in a pod, to its own namespace\'s Service', { timeout: 60_000 }, async () => {
    await kubectl(['create', 'namespace', 'test']);
    await kubectl(['create', 'namespace', 'prod']);
    await kubectl(['apply', '-f', join(SEED, 'namespaced-services.yaml')]);
    // The zone is rebuilt a moment after a change (throttled): wait until it has both Services.
    const resolver = new dns.Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([clusterDnsIP(rt.runtime.network)]);
    for (const ns of ['test', 'prod']) {
      const want = service(ns, 'my-database').spec!.clusterIP;
      await eventually(async () => (await resolver.resolve4(`my-database.${ns}.svc.cluster.local`))[0] === want, { what: `my-database.${ns} in the zone` });
    }
    for (const ns of ['test', 'prod']) {
      await rt.runtime.client.create('pods', ns, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'lookup', namespace: ns },
        spec: { restartPolicy: 'Never', containers: [{ name: 'lookup', image: 'busybox', command: ['node', '-e', "require('dns').lookup('my-database', (e, a) => { console.log(e ? e.code : a); process.exit(e ? 1 : 0); })"] }] },
      });
    }
    const ips: string[] = [];
    for (const ns of ['test', 'prod']) {
      await eventually(() => rt.runtime.client.get('pods', ns, 'lookup')?.status?.phase === 'Succeeded', { timeoutMs: 30_000, what: `the lookup pod in ${ns} done` });
      const out = (await kubectl(['logs', '-n', ns, 'lookup'])).trim();
      expect(out, ns).toBe(service(ns, 'my-database').spec!.clusterIP);
      ips.push(out);
    }
    expect(ips[0]).not.toBe(ips[1]);
  });

  it('external-database (ExternalName) is a CNAME to database.company.com', { timeout: 30_000 }, async () => {
    await kubectl(['apply', '-f', join(SEED, 'external-name-service.yaml')]);
    const server = clusterDnsIP(rt.runtime.network);
    const resolver = new dns.Resolver({ timeout: 2_000, tries: 2 });
    resolver.setServers([server]);
    await expect(eventually(() => resolver.resolveCname('external-database.default.svc.cluster.local'), { what: 'the CNAME' })).resolves.toEqual(['database.company.com']);
    if (hasDig) {
      const out = await dig([`@${server}`, '+short', 'external-database.default.svc.cluster.local', 'CNAME']);
      expect(out?.trim()).toBe('database.company.com.');
    }
  });

  it('external-ip-database (selector-less, hand-written Endpoints) forwards to the address written there', { timeout: 30_000 }, async () => {
    // The seed points at 192.168.0.1:3306; here a loopback server stands in for the database.
    const db = createServer((s) => s.on('data', (d) => s.end(`db got ${d}`)));
    servers.push(db);
    await new Promise<void>((r) => db.listen(0, '127.0.0.1', r));
    const port = (db.address() as { port: number }).port;
    const docs = parseAllDocuments(readFileSync(join(SEED, 'external-ip-service.yaml'), 'utf8')).map((d) => d.toJS());
    const endpoints = docs.find((d) => d.kind === 'Endpoints');
    endpoints.subsets[0].addresses[0].ip = '127.0.0.1';
    endpoints.subsets[0].ports[0].port = port;
    await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
    const vip = service('default', 'external-ip-database').spec!.clusterIP!;
    const answer = await eventually(
      () =>
        new Promise<string>((resolve, reject) => {
          const s = connect(3306, vip, () => s.write('ping'));
          let got = '';
          s.on('data', (d) => (got += d));
          s.on('end', () => resolve(got));
          s.on('error', reject);
        }),
      { timeoutMs: 10_000, what: `${vip}:3306 forwarding` },
    );
    expect(answer).toBe('db got ping');
  });

  it('the kubernetes Service leads a pod to the API server (KUBERNETES_SERVICE_HOST:PORT)', { timeout: 30_000 }, async () => {
    const script = "require('https').get({host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, path: '/version', rejectUnauthorized: false}, (r) => { let b = ''; r.on('data', (c) => b += c); r.on('end', () => console.log(r.statusCode, b.includes('\"kind\"') || b.includes('gitVersion'))); }).on('error', (e) => { console.log(e.code); process.exit(1); })";
    await rt.runtime.client.create('pods', 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'in-cluster', namespace: 'default' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['node', '-e', script] }] },
    });
    await eventually(() => rt.runtime.client.get('pods', 'default', 'in-cluster')?.status?.phase === 'Succeeded', { timeoutMs: 20_000, what: 'the in-cluster pod done' });
    expect((await kubectl(['logs', 'in-cluster'])).trim()).toMatch(/^(200|401|403) true$/);
  });
});

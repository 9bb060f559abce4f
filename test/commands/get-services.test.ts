// `kite get svc` on a runtime: the ENDPOINTS column for every kind of Service, and the line for a
// Service whose ports the proxy could not bind (its kite.dev/PortsBound condition: the test holds
// the node port the Service asks for).
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getCommand } from '../../commands/get.ts';
import type { Io } from '../../commands/output.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

let rt: TestRuntime | undefined;
const held: Server[] = [];
afterEach(async () => {
  for (const s of held.splice(0)) s.close();
  await rt?.close();
  rt = undefined;
});

async function kiteGet(kind: string, extra: { output?: string; name?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
  const code = await getCommand({ kind, allNamespaces: false, target: { kubeconfig: rt!.kubeconfig }, ...extra }, io);
  return { code, out, err };
}

/** Listens on a free port of the node-port range at `address`. */
async function holdNodePort(address: string): Promise<{ server: Server; port: number }> {
  for (let port = 30000 + (process.pid % 2000); ; port++) {
    const server = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, address, () => resolve(true));
    });
    if (ok) {
      held.push(server);
      return { server, port };
    }
  }
}

describe('kite get svc', () => {
  it('counts ready endpoints, says <none> and - where there are none, and reports unbound ports on stderr', async () => {
    rt = await startTestRuntime({ nodes: 1 });
    const client = rt.runtime.client;
    await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 81 }] } });
    await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    // Manual endpoints, one ready and one not: the slice mirrored from them counts one.
    await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 5432 }] } });
    await client.create('endpoints', 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'manual' },
      subsets: [{ addresses: [{ ip: '127.0.0.9' }], notReadyAddresses: [{ ip: '127.0.0.10' }], ports: [{ port: 5432 }] }],
    });
    await eventually(() => client.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=manual' }).items.length === 1, { what: 'the mirrored slice' });
    await eventually(() => client.get('services', 'default', 'web')?.status?.loadBalancer?.ingress?.length, { what: 'the web address' });

    // A node port this test holds: the proxy cannot listen there and says so on the Service.
    const taken = await holdNodePort(rt.runtime.network.nodePortAddress);
    await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'busy' }, spec: { type: 'NodePort', ports: [{ port: 5433, nodePort: taken.port }] } });
    await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'busy' }, subsets: [{ addresses: [{ ip: '127.0.0.9' }], ports: [{ port: 5433 }] }] });
    const unbound = `listen tcp ${rt.runtime.network.nodePortAddress}:${taken.port}: bind: address already in use`;
    await eventually(() => client.get('services', 'default', 'busy')?.status?.conditions?.some((c) => c.type === 'kite.dev/PortsBound' && c.status === 'False'), { what: 'the proxy reporting the taken port' });

    const r = await kiteGet('svc');
    expect(r.code).toBe(0);
    const rows = new Map(r.out.trim().split('\n').slice(1).map((l) => [l.split(/\s+/)[0], l.split(/\s+/)]));
    // NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) ENDPOINTS AGE
    expect(rows.get('web')?.[5]).toBe('<none>');
    expect(rows.get('empty')?.[5]).toBe('<none>');
    expect(rows.get('ext')?.[5]).toBe('-');
    expect(rows.get('manual')?.[5]).toBe('1');
    expect(rows.get('kubernetes')?.[5]).toBe('1');
    expect(rows.get('busy')?.[5]).toBe('1');
    expect(r.err).toBe(`service default/busy: ${unbound}\n`);

    // One Service by name; -o json and -o name stay kubectl's (no column, no line).
    const one = await kiteGet('svc', { name: 'manual' });
    expect(one.out).toMatch(/^manual\s+ClusterIP\s+\S+\s+<none>\s+5432\/TCP\s+1\s+\S+$/m);
    expect(one.err).toBe('');
    const json = await kiteGet('svc', { name: 'busy', output: 'json' });
    expect(JSON.parse(json.out).status.conditions[0].reason).toBe('PortUnavailable');
    expect(json.err).toBe('');
  });
});

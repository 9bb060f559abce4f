// The proxy with real process pods: a ReplicaSet of the node-express-info stand-in behind a
// Service, the EndpointSlice controller feeding the proxy, the real kubectl creating it all.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

const MANIFEST = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: info }
spec:
  replicas: 3
  selector: { matchLabels: { app: info } }
  template:
    metadata: { labels: { app: info } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: jonbaier/node-express-info
        ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: info }
spec:
  selector: { app: info }
  ports: [{ port: 80, targetPort: 80 }]
`;

/** GET /status/ on a fresh connection: the answering pod's hostname. */
function hostnameAt(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/status/', agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve((JSON.parse(body) as { hostname: string }).hostname));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ServiceProxy with process pods', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ simulate: false, nodes: 1, backoffInitialMs: 300 });
  });
  afterAll(async () => {
    await rt?.kubectl(['delete', 'rs', 'info', '--wait=false']);
    await rt?.close();
  });

  it('spreads requests to the cluster IP over the 3 ready pods, and follows a scale-down', async () => {
    const applied = await rt.kubectl(['apply', '-f', '-'], { input: MANIFEST });
    expect(applied.code, applied.stderr).toBe(0);
    const ip = rt.runtime.client.get('services', 'default', 'info')!.spec!.clusterIP!;
    const pods = () => rt.runtime.client.list('pods', 'default').items.filter((p) => p.metadata.labels?.app === 'info' && !p.metadata.deletionTimestamp);
    await eventually(() => pods().length === 3 && pods().every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')), { timeoutMs: 30_000, what: '3 ready pods' });
    const names = await eventually(
      async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 9; i++) seen.add(await hostnameAt(ip, 80));
        return seen.size === 3 ? seen : undefined;
      },
      { timeoutMs: 20_000, what: 'answers from all 3 pods through the cluster IP' },
    );
    expect([...names].sort()).toEqual(pods().map((p) => p.metadata.name).sort());

    const scaled = await rt.kubectl(['scale', 'rs', 'info', '--replicas=1']);
    expect(scaled.code, scaled.stderr).toBe(0);
    await eventually(
      async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 6; i++) seen.add(await hostnameAt(ip, 80));
        return seen.size === 1;
      },
      { timeoutMs: 20_000, what: 'only the remaining pod to answer' },
    );
  });
});

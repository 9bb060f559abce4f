/**
 * A Deployment whose pods are real processes: `kubectl set env` rolls them (the old processes
 * end, new ones run), `kubectl rollout undo` brings back the previous ReplicaSet's processes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, type TestRuntime } from '../harness.ts';
import { killMarked, markerProcesses, shell, startProcessRuntime } from '../kubelet/backends/process/helpers.ts';

const V1 = `kite-deploy-v1-${process.pid}`;
const V2 = `kite-deploy-v2-${process.pid}`;
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startProcessRuntime();
}, 60_000);

afterAll(async () => {
  await rt?.close();
  killMarked(V1);
  killMarked(V2);
});

async function kubectl(...args: string[]): Promise<string> {
  const r = await rt.kubectl(args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

test('set env rolls the running processes; rollout undo brings the previous ones back', async () => {
  const container = shell('app', 'exec sleep 3600', V1);
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 2, containers: [container] } },
    },
  };
  expect((await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) })).code).toBe(0);
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
  await eventually(() => markerProcesses(V1).length === 2, { timeoutMs: 20_000, what: 'two v1 processes' });
  const first = rt.runtime.client.list('replicasets', 'default').items.map((rs) => rs.metadata.name);

  await kubectl('set', 'env', 'deployment/web', `KITE_TEST_MARKER=${V2}`);
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
  await eventually(() => markerProcesses(V2).length === 2 && markerProcesses(V1).length === 0, { timeoutMs: 30_000, what: 'v2 processes replaced v1' });
  expect(rt.runtime.client.list('replicasets', 'default').items).toHaveLength(2);

  await kubectl('rollout', 'undo', 'deployment/web');
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
  await eventually(() => markerProcesses(V1).length === 2 && markerProcesses(V2).length === 0, { timeoutMs: 30_000, what: 'v1 processes back' });
  const live = rt.runtime.client.list('replicasets', 'default').items.filter((rs) => (rs.spec.replicas ?? 0) > 0);
  expect(live.map((rs) => rs.metadata.name)).toEqual(first);
  expect(live[0]!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');

  await kubectl('delete', 'deployment', 'web');
  await eventually(() => markerProcesses(V1).length === 0, { timeoutMs: 30_000, what: 'processes ended with the Deployment' });
}, 180_000);

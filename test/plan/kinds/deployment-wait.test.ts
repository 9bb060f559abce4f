/**
 * `kite apply`'s wait on a Deployment against a started runtime (simulated nodes): ready once
 * the rollout is complete; a rollout stuck past its progress deadline fails with the reason.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../../lib/kube/index.ts';
import type { ObjectRef } from '../../../lib/plan/plan.ts';
import { waitForReady } from '../../../lib/plan/wait.ts';
import { startTestRuntime, type TestRuntime } from '../../runtime/harness.ts';

let rt: TestRuntime;
let client: KubeClient;

beforeAll(async () => {
  rt = await startTestRuntime();
  const target = loadKubeconfig({ kubeconfig: rt.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  client = new KubeClient(target);
}, 60_000);

afterAll(async () => {
  client?.close();
  await rt?.close();
});

const REF: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' };

function deployment(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      progressDeadlineSeconds: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }], ...extra } },
    },
  });
}

it('is ready when the rollout completes; a rollout past its progress deadline fails with the reason', async () => {
  expect((await rt.kubectl(['apply', '-f', '-'], { input: deployment() })).code).toBe(0);
  const ok = await waitForReady(client, [REF], { timeoutMs: 20_000 });
  expect(ok.ready).toEqual([REF]);
  expect(ok.failed).toEqual([]);

  // No node carries this label: the new pod stays Pending and the rollout stops moving.
  expect((await rt.kubectl(['apply', '-f', '-'], { input: deployment({ nodeSelector: { 'kite.test/none': 'x' } }) })).code).toBe(0);
  const stuck = await waitForReady(client, [REF], { timeoutMs: 20_000 });
  expect(stuck.ready).toEqual([]);
  expect(stuck.failed).toHaveLength(1);
  expect(stuck.failed[0]!.reason).toMatch(/deployment "web" exceeded its progress deadline: ReplicaSet "web-[a-z0-9]+" has timed out progressing\.|pod web-[a-z0-9]+-[a-z0-9]+: .*/);
}, 60_000);

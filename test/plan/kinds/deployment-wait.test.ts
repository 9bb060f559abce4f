/**
 * `kite apply`'s wait on a Deployment against a started runtime (simulated nodes): ready once
 * the rollout is complete; a rollout stuck past its progress deadline fails with the reason.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../../lib/kube/index.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { App, Stack } from '../../../lib/constructs/index.ts';
import { applyPlan } from '../../../lib/plan/apply.ts';
import type { ObjectRef } from '../../../lib/plan/plan.ts';
import { planStack } from '../../../lib/plan/planner.ts';
import { synthStack } from '../../../lib/synth/synth-stack.ts';
import { validateManifests } from '../../../lib/synth/validate-manifests.ts';
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

/** The stack `shop`: one App made a Deployment, in namespace default. */
function shop(image: string): { name: string; manifests: Array<{ object: KubeObject; origin: Record<string, never> }> } {
  const stack = new Stack('shop');
  new App(stack, 'api', { image, replicas: 3, workload: 'Deployment' });
  const objects = validateManifests(synthStack(stack).raws).manifests.map((m) => ({ ...(m.object as KubeObject), metadata: { ...(m.object as KubeObject).metadata, namespace: 'default' } }));
  return { name: 'shop', manifests: objects.map((object) => ({ object, origin: {} })) };
}

it("kite apply of an App({ workload: 'Deployment' }) image change: the cluster rolls every pod, the wait sees it complete", async () => {
  const opts = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9' };
  const ref: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'api' };
  for (const image of ['example/api:1', 'example/api:2']) {
    const plan = await planStack(shop(image), client, opts);
    const result = await applyPlan(plan, client);
    expect(result.failed).toBeUndefined();
    const wait = await waitForReady(client, [ref], { timeoutMs: 20_000 });
    expect(wait.ready).toEqual([ref]);
  }
  const pods = rt.runtime.client.list('pods', 'default').items.filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'api' && !p.metadata.deletionTimestamp);
  expect(pods.map((p) => p.spec.containers[0]!.image)).toEqual(['example/api:2', 'example/api:2', 'example/api:2']);
  const rss = rt.runtime.client.list('replicasets', 'default').items.filter((rs) => rs.metadata.name?.startsWith('api-'));
  expect(rss.map((rs) => rs.spec.replicas).sort()).toEqual([0, 3]);
}, 60_000);

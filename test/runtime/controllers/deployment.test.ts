/**
 * The Deployment controller in a started runtime (simulated nodes), driven through the real
 * kubectl: create, rollouts (RollingUpdate bounded by maxSurge/maxUnavailable, Recreate),
 * `rollout undo|history|pause|resume|restart`, `scale`, history cleanup, the progress deadline
 * and garbage collection of the ReplicaSets.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Deployment, ReplicaSet } from '../../../lib/api/model.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

let rt: TestRuntime;
let n = 0;

beforeAll(async () => {
  rt = await startTestRuntime();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

/** A fresh namespace per test: tests share the runtime. */
async function namespace(): Promise<string> {
  const ns = `d${++n}`;
  expect((await rt.kubectl(['create', 'namespace', ns])).code).toBe(0);
  return ns;
}

function manifest(ns: string, name: string, spec: Record<string, unknown> = {}, image = 'nginx:1'): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...spec,
    },
  });
}

async function kubectl(...args: string[]): Promise<string> {
  const r = await rt.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const replicaSets = (ns: string): ReplicaSet[] => rt.runtime.client.list('replicasets', ns).items;
const deploymentOf = (ns: string, name: string): Deployment => rt.runtime.client.get('deployments', ns, name)!;

/** Watches the namespace's ReplicaSets, keeping the largest total of spec.replicas and the most ReplicaSets active at once. */
function watchReplicaSets(ns: string): { maxTotal: number; maxActive: number; stop(): void } {
  const sizes = new Map<string, number>();
  const seen = { maxTotal: 0, maxActive: 0, stop: () => {} };
  const { resourceVersion } = rt.runtime.client.list('replicasets', ns);
  for (const rs of replicaSets(ns)) sizes.set(rs.metadata.name ?? '', rs.spec.replicas ?? 0);
  seen.stop = rt.runtime.client.watch('replicasets', ns, { resourceVersion }, (e) => {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') return;
    const rs = e.object as ReplicaSet;
    if (e.type === 'DELETED') sizes.delete(rs.metadata.name ?? '');
    else sizes.set(rs.metadata.name ?? '', rs.spec.replicas ?? 0);
    const values = [...sizes.values()];
    seen.maxTotal = Math.max(seen.maxTotal, values.reduce((a, b) => a + b, 0));
    seen.maxActive = Math.max(seen.maxActive, values.filter((v) => v > 0).length);
  });
  return seen;
}

describe('kubectl against Deployments', () => {
  test('create deployment: a ReplicaSet named with the pod-template-hash, revision 1, the table kubectl prints', async () => {
    const ns = await namespace();
    await kubectl('-n', ns, 'create', 'deployment', 'web', '--image=nginx:1', '--replicas=3');
    expect(await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s')).toContain('deployment "web" successfully rolled out');
    const [rs] = replicaSets(ns);
    const hash = rs!.metadata.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec.template.metadata?.labels?.['pod-template-hash']).toBe(hash);
    expect(rs!.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    const d = deploymentOf(ns, 'web');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const table = await kubectl('-n', ns, 'get', 'deploy', '-o', 'wide');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
    expect(table.split('\n')[1]).toMatch(/^web\s+3\/3\s+3\s+3\s+\S+\s+nginx\s+nginx:1\s+app=web$/);
    const events = await kubectl('-n', ns, 'get', 'events', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`);
  }, 60_000);

  test('set image rolls within maxSurge; rollout undo brings back the previous ReplicaSet with a new revision', async () => {
    const ns = await namespace();
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web') })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    const first = replicaSets(ns)[0]!.metadata.name;

    const seen = watchReplicaSets(ns);
    try {
      expect(await kubectl('-n', ns, 'set', 'image', 'deployment/web', 'app=nginx:2')).toBe('deployment.apps/web image updated\n');
      await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    } finally {
      seen.stop();
    }
    // replicas 3, 25%/25%: surge 1, unavailable 0 — never more than 4 pods wanted.
    expect(seen.maxTotal).toBe(4);
    const rss = replicaSets(ns);
    expect(rss).toHaveLength(2);
    const second = rss.find((rs) => rs.metadata.name !== first)!;
    expect(second.spec.replicas).toBe(3);
    expect(rss.find((rs) => rs.metadata.name === first)!.spec.replicas).toBe(0);
    expect(second.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    expect(await kubectl('-n', ns, 'rollout', 'history', 'deployment/web')).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await kubectl('-n', ns, 'rollout', 'undo', 'deployment/web')).toBe('deployment.apps/web rolled back\n');
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    const back = rt.runtime.client.get('replicasets', ns, first ?? '')!;
    expect(back.spec.replicas).toBe(3);
    expect(back.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(replicaSets(ns)).toHaveLength(2);
    expect(deploymentOf(ns, 'web').spec.template.spec.containers[0]!.image).toBe('nginx:1');
    expect(await kubectl('-n', ns, 'rollout', 'history', 'deployment/web')).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
    const noop = await rt.kubectl(['-n', ns, 'rollout', 'undo', 'deployment/web', '--to-revision=3']);
    expect(noop.stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 3)\n');
  }, 90_000);

  test('Recreate scales every old ReplicaSet to zero before the new one starts', async () => {
    const ns = await namespace();
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'db', { strategy: { type: 'Recreate' } }) })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/db', '--timeout=30s');
    const seen = watchReplicaSets(ns);
    try {
      await kubectl('-n', ns, 'set', 'image', 'deployment/db', 'app=nginx:2');
      await kubectl('-n', ns, 'rollout', 'status', 'deployment/db', '--timeout=30s');
    } finally {
      seen.stop();
    }
    expect(seen.maxActive).toBe(1);
    expect(seen.maxTotal).toBe(3);
    expect(replicaSets(ns).map((rs) => rs.spec.replicas).sort()).toEqual([0, 3]);
  }, 60_000);

  test('paused: a template change makes no ReplicaSet until resumed; scale works meanwhile', async () => {
    const ns = await namespace();
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web') })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    expect(await kubectl('-n', ns, 'rollout', 'pause', 'deployment/web')).toBe('deployment.apps/web paused\n');
    const again = await rt.kubectl(['-n', ns, 'rollout', 'pause', 'deployment/web']);
    expect(again.stderr).toContain('error: deployments.apps "web" is already paused');
    await kubectl('-n', ns, 'set', 'image', 'deployment/web', 'app=nginx:2');
    await kubectl('-n', ns, 'scale', 'deployment/web', '--replicas=5');
    const d = await eventually(
      () => {
        const d = deploymentOf(ns, 'web');
        return d.status?.observedGeneration === d.metadata.generation && d.status?.availableReplicas === 5 ? d : undefined;
      },
      { what: 'the paused deployment scaled to 5' },
    );
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(replicaSets(ns)).toHaveLength(1);
    // One revision only: kubectl looks for the previous one before it looks at `paused`.
    expect((await rt.kubectl(['-n', ns, 'rollout', 'undo', 'deployment/web'])).stderr).toContain('error: no rollout history found for deployment "web"');

    expect(await kubectl('-n', ns, 'rollout', 'resume', 'deployment/web')).toBe('deployment.apps/web resumed\n');
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    const rss = replicaSets(ns);
    expect(rss).toHaveLength(2);
    expect(rss.find((rs) => rs.spec.template.spec.containers[0]!.image === 'nginx:2')?.spec.replicas).toBe(5);
  }, 60_000);

  test('rollout restart makes a new ReplicaSet; revisionHistoryLimit keeps that many old ones', async () => {
    const ns = await namespace();
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web', { replicas: 2, revisionHistoryLimit: 1 }) })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    for (const image of ['nginx:2', 'nginx:3']) {
      await kubectl('-n', ns, 'set', 'image', 'deployment/web', `app=${image}`);
      await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    }
    expect(await kubectl('-n', ns, 'rollout', 'restart', 'deployment/web')).toBe('deployment.apps/web restarted\n');
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    const rss = await eventually(() => (replicaSets(ns).length === 2 ? replicaSets(ns) : undefined), { what: 'history cleaned up to one old ReplicaSet' });
    const live = rss.find((rs) => (rs.spec.replicas ?? 0) > 0)!;
    expect(live.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    expect(live.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
    expect(rss.find((rs) => rs !== live)!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  }, 90_000);

  test('a new pod that never becomes ready: Progressing=False ProgressDeadlineExceeded, and rollout status says so', async () => {
    const ns = await namespace();
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web', { replicas: 2, progressDeadlineSeconds: 2 }) })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    // No node has this label: the new pod stays Pending.
    await kubectl('-n', ns, 'patch', 'deployment/web', '-p', '{"spec":{"template":{"spec":{"nodeSelector":{"kite.test/none":"x"}}}}}');
    const d = await eventually(
      () => {
        const d = deploymentOf(ns, 'web');
        return d.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False') ? d : undefined;
      },
      { timeoutMs: 15_000, what: 'the progress deadline exceeded' },
    );
    const cond = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
    expect(cond.reason).toBe('ProgressDeadlineExceeded');
    expect(cond.message).toMatch(/^ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/);
    // The old pods keep serving.
    expect(d.status?.availableReplicas).toBe(2);
    const status = await rt.kubectl(['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=10s']);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('error: deployment "web" exceeded its progress deadline');
  }, 60_000);

  test('validation in Kubernetes words; deleting a Deployment garbage-collects its ReplicaSets', async () => {
    const ns = await namespace();
    const bad = await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'bad', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }) });
    expect(bad.stderr).toContain('spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0');
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web') })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    const immutable = await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web', { selector: { matchLabels: { app: 'web', x: 'y' } }, template: { metadata: { labels: { app: 'web', x: 'y' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } }) });
    expect(immutable.stderr).toContain('field is immutable');
    await kubectl('-n', ns, 'delete', 'deployment', 'web');
    await eventually(() => replicaSets(ns).length === 0 && rt.runtime.client.list('pods', ns).items.length === 0, { timeoutMs: 20_000, what: 'ReplicaSets and pods collected' });
  }, 60_000);

  test('adopts a matching orphan ReplicaSet; delete --cascade=orphan leaves its ReplicaSets behind, unowned', async () => {
    const ns = await namespace();
    const orphan = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-old', namespace: ns, labels: { app: 'web' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:0' }] } } },
    };
    expect((await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(orphan) })).code).toBe(0);
    expect((await rt.kubectl(['apply', '-f', '-'], { input: manifest(ns, 'web') })).code).toBe(0);
    await kubectl('-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=30s');
    const adopted = rt.runtime.client.get('replicasets', ns, 'web-old')!;
    expect(adopted.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    // An old ReplicaSet of the Deployment now: scaled down by the rollout.
    expect(adopted.spec.replicas).toBe(0);

    await kubectl('-n', ns, 'delete', 'deployment', 'web', '--cascade=orphan');
    await eventually(() => replicaSets(ns).length === 2 && replicaSets(ns).every((rs) => (rs.metadata.ownerReferences ?? []).length === 0), { what: 'ReplicaSets orphaned' });
  }, 60_000);
});

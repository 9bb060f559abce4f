// Recording runs in the history, against a started runtime (simulated nodes): a revision built
// from the plan that was applied, numbers that only grow, the oldest deleted beyond the limit, a
// number another run took, and a failure to record that is a warning, never an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/api/meta.ts';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../../lib/kube/index.ts';
import { recordRun, revisionOf } from '../../../lib/plan/history/record.ts';
import { listRevisions, writeRevision } from '../../../lib/plan/history/store.ts';
import { planStack } from '../../../lib/plan/planner.ts';
import { startTestRuntime, type TestRuntime } from '../../runtime/harness.ts';

let rt: TestRuntime;
let client: KubeClient;

function connectTo(r: TestRuntime): KubeClient {
  const target = loadKubeconfig({ kubeconfig: r.kubeconfig });
  if (target instanceof KubeconfigError) throw target;
  return new KubeClient(target);
}
beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1 });
  client = connectTo(rt);
}, 60_000);
afterAll(async () => {
  client?.close();
  await rt?.close();
});

const OPTS = { context: 'kite-test', server: 'https://127.0.0.1:1', toolVersion: '9.9.9' };
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });
const plan = (stack: string, names: string[]) => planStack({ name: stack, manifests: names.map((n) => ({ object: cm(n), origin: {} })) }, client, OPTS);

describe('recording a run', () => {
  it("builds the revision from the plan: its desired objects as declared (without kite's label and last-applied record), what changed, who and when", async () => {
    const p = await plan('rec', ['a', 'b']);
    const r = revisionOf(p, { operation: 'apply', written: true, stopped: new Error('timed out') }, { who: 'ana@ci', now: new Date('2026-01-02T03:04:05Z'), rollbackTo: 2 });
    expect(r).toMatchObject({ stack: 'rec', who: 'ana@ci', createdAt: '2026-01-02T03:04:05.000Z', kiteVersion: '9.9.9', operation: 'rollback', rollbackTo: 2, outcome: 'failed', reason: 'timed out' });
    expect(r.changes.map((c) => `${c.action} ${c.ref.name}`)).toEqual(['create a', 'create b']);
    expect(r.manifests).toHaveLength(2);
    expect(JSON.stringify(r.manifests)).not.toContain('kite.dev/last-applied');
    // As the program declared them: kite's ApplySet label is added back when the revision is planned.
    expect(r.manifests[0]).toEqual(cm('a'));
  });

  it('numbers revisions upwards, never reusing a pruned number, and keeps the newest `max`', async () => {
    const p = await plan('bounded', ['a']);
    const numbers: number[] = [];
    for (let i = 0; i < 4; i++) numbers.push(await writeRevision(client, revisionOf(p, { operation: 'apply', written: true }), 2));
    expect(numbers).toEqual([1, 2, 3, 4]);
    expect((await listRevisions(client, 'bounded')).map((r) => r.revision)).toEqual([3, 4]);
    // 0 keeps them all.
    await writeRevision(client, revisionOf(p, { operation: 'apply', written: true }), 0);
    expect((await listRevisions(client, 'bounded')).map((r) => r.revision)).toEqual([3, 4, 5]);
  });

  it('takes the next number when another run took one first', async () => {
    const taken = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kite-revision-race.v1', namespace: 'default' }, data: {} } as KubeObject;
    await client.create(taken);
    const n = await recordRun(client, await plan('race', ['a']), { operation: 'apply', written: true }, {}, (m) => expect.fail(m));
    expect(n).toBe(2);
    expect((await listRevisions(client, 'race')).map((r) => r.revision)).toEqual([2]);
  });

  it('records nothing for a run that stopped before its last write', async () => {
    const n = await recordRun(client, await plan('halfway', ['a']), { operation: 'apply', written: false }, {}, (m) => expect.fail(m));
    expect(n).toBeUndefined();
    expect(await listRevisions(client, 'halfway')).toEqual([]);
  });

  it('warns, and does not throw, when the history cannot be written', async () => {
    const other = await startTestRuntime({ nodes: 1 });
    const gone = connectTo(other);
    try {
      const p = await planStack({ name: 'lost', manifests: [{ object: cm('a'), origin: {} }] }, gone, OPTS);
      await other.close();
      const warnings: string[] = [];
      const n = await recordRun(gone, p, { operation: 'apply', written: true }, {}, (m) => warnings.push(m));
      expect(n).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^warning: could not record this run in the history of stack lost: /);
    } finally {
      gone.close();
      await other.close();
    }
  });
});

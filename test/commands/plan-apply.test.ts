// `kite plan` / `kite apply` / `kite destroy` as users run them (the real CLI process) against a
// started runtime, with the real kubectl changing things behind kite's back.
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanSchema, type ActionType, type Plan } from '../../lib/plan/plan.ts';
import { runKite, scratchDir, SEED, writeFiles } from '../support/kite.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

let rt: TestRuntime;
let dir: string;
const kite = (args: string[]) => runKite([...args, '--state-dir', rt.dir]);

/** A shop-like program; `edit` changes one thing at a time. */
function program(o: { replicas?: number; cpu?: string; cache?: boolean; dbHost?: string; selectorExtra?: boolean } = {}): string {
  return `import { Stack, Namespace, App, ExternalDb, ReplicaSet } from 'kite';
const stack = new Stack('e2e');
const ns = new Namespace(stack, 'e2e');
const db = new ExternalDb(ns, 'db', { host: '${o.dbHost ?? 'database.company.com'}' });
new App(ns, 'api', { image: 'api:1', replicas: ${o.replicas ?? 3}, port: 8080, resources: { cpu: '${o.cpu ?? '250m'}', memory: '64Mi' }, env: { DB: db.dnsName } }).expose({ port: 80 });
${o.cache === false ? '' : "new App(ns, 'cache', { image: 'redis:7', port: 6379 }).expose();"}
new ReplicaSet(ns, 'worker', { spec: { replicas: 2, selector: { matchLabels: { app: 'worker'${o.selectorExtra ? ", tier: 'bg'" : ''} } }, template: { metadata: { labels: { app: 'worker', tier: 'bg' } }, spec: { containers: [{ name: 'w', image: 'worker:1' }] } } } });
export default stack;
`;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  dir = await scratchDir();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

async function write(o: Parameters<typeof program>[0] = {}): Promise<string> {
  await writeFiles(dir, { 'stack.ts': program(o) });
  return join(dir, 'stack.ts');
}

describe('kite plan / apply / destroy', () => {
  it('plans, applies and re-plans every seed manifest with no changes the second time', async () => {
    // namespaced-services needs its namespaces (not part of the seed)
    const ns = await rt.kubectl(['apply', '-f', '-'], { input: ['test', 'prod'].map((n) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })).join('\n') });
    expect(ns.code).toBe(0);
    for (const f of readdirSync(SEED).filter((x) => x.endsWith('.yaml')).sort()) {
      const file = join(SEED, f);
      const stack = `seed-${f.replace(/\.yaml$/, '')}`;
      const plan = await kite(['plan', file, '--stack', stack, '--detailed-exitcode']);
      expect(plan.stderr, f).not.toMatch(/error/);
      expect(plan.code, f).toBe(2);
      const apply = await kite(['apply', file, '--stack', stack, '--yes', '--timeout', '20s']);
      expect(apply.stderr, f).not.toMatch(/internal error/);
      if (f === 'node-js-constraints-rc.yaml') {
        // Limits 1500m each: every pod fits one node, so the wait may succeed or report the
        // unschedulable ones; either way the objects are applied.
        expect(apply.stderr, f).toMatch(/created/);
      } else {
        expect(apply.stderr, f).toMatch(/Apply complete/);
        expect(apply.code, f).toBe(0);
      }
      const again = await kite(['plan', file, '--stack', stack, '--detailed-exitcode']);
      expect(again.stdout, f).toMatch(/No changes/);
      expect(again.code, f).toBe(0);
      // Two seeds define the same RC (node-js): one stack at a time owns it.
      const destroy = await kite(['destroy', '--stack', stack, '--yes']);
      expect(destroy.code, `${f}: ${destroy.stderr}`).toBe(0);
    }
  }, 180_000); // 40 runs of the real CLI: about 40 s on a quiet machine, much more on a busy one

  it('applies a program; editing it shows exactly the edited fields', async () => {
    const file = await write();
    const first = await kite(['apply', file, '--yes']);
    expect(first.stderr).toMatch(/Apply complete: \d+ created; all ready/);
    expect(first.code).toBe(0);
    expect((await kite(['plan', file, '--detailed-exitcode'])).code).toBe(0);

    await write({ replicas: 5, cpu: '500m' });
    const plan = await kite(['plan', file, '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/~ e2e\/ReplicaSet\/api\s+update/);
    expect(plan.stdout).toMatch(/~ spec\.replicas: 3 → 5/);
    expect(plan.stdout).toMatch(/~ spec\.template\.spec\.containers\[api\]\.resources\.requests\.cpu: 250m → 500m/);
    expect(plan.stdout).toMatch(/Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy\./);
    const changeLines = plan.stdout.split('\n').filter((l) => /^\s+~ spec/.test(l));
    expect(changeLines).toHaveLength(2);
  });

  it('saves a plan, applies exactly it, and refuses it once stale', async () => {
    expect((await kite(['apply', await write(), '--yes'])).code).toBe(0);
    const file = await write({ replicas: 5, cpu: '500m' });
    const planFile = join(dir, 'plan.json');
    const saved = await kite(['plan', file, '--out', planFile]);
    expect(saved.code).toBe(0);
    const json = JSON.parse(await readFile(planFile, 'utf8'));
    expect(PlanSchema.safeParse(json).success).toBe(true);

    // Someone scales the ReplicaSet after the plan was made: the plan is stale.
    expect((await rt.kubectl(['scale', 'rs', 'api', '-n', 'e2e', '--replicas=4'])).code).toBe(0);
    const stale = await kite(['apply', planFile]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/stale plan: e2e\/ReplicaSet\/api changed since the plan was made/);
    const rs = JSON.parse((await rt.kubectl(['get', 'rs', 'api', '-n', 'e2e', '-o', 'json'])).stdout);
    expect(rs.spec.replicas).toBe(4); // nothing written

    const fresh = await kite(['plan', file, '--out', planFile]);
    expect(fresh.code).toBe(0);
    const ok = await kite(['apply', planFile]);
    expect(ok.stderr, ok.stderr).toMatch(/Apply complete/);
    expect(ok.code).toBe(0);
    expect(JSON.parse((await rt.kubectl(['get', 'rs', 'api', '-n', 'e2e', '-o', 'json'])).stdout).spec.replicas).toBe(5);
  });

  it('refuses an edited saved plan with exit 1, naming the file and the field, before writing anything', async () => {
    expect((await kite(['apply', await write(), '--yes'])).code).toBe(0);
    const file = await write({ replicas: 4 });
    const planFile = join(dir, 'edited-base.json');
    expect((await kite(['plan', file, '--out', planFile])).code).toBe(0);
    const text = await readFile(planFile, 'utf8');
    const update = (p: Plan) => p.actions.find((a) => a.action === 'update')!;
    const edits: Array<{ name: string; edit: (p: Plan) => void; message: RegExp }> = [
      { name: 'stack', edit: (p) => (p.stack = 'other'), message: /stack: "other" is not the stack the plan was made for \(its ApplySet parent is default\/Secret\/kite-stack-e2e\): the file was edited/ },
      { name: 'bad-stack', edit: (p) => (p.stack = 'Not_A_Name'), message: /stack: stack name "Not_A_Name" cannot name its inventory Secret/ },
      { name: 'applyset-id', edit: (p) => (p.applySet.id = 'applyset-x-v1'), message: /applySet\.id: stack e2e's ApplySet id is applyset-\S+-v1, not applyset-x-v1/ },
      { name: 'parent', edit: (p) => (p.applySet.parent.name = 'elsewhere'), message: /applySet\.parent: stack e2e's ApplySet parent is default\/Secret\/kite-stack-e2e, not default\/Secret\/elsewhere/ },
      { name: 'no-desired', edit: (p) => delete update(p).desired, message: /actions\.\d+\.desired: a update of e2e\/ReplicaSet\/api needs the manifest to write/ },
      { name: 'renamed', edit: (p) => ((update(p).desired!.metadata as { name: string }).name = 'other'), message: /actions\.\d+\.desired: the manifest is e2e\/ReplicaSet\/other \(apps\/v1\), but the action is on e2e\/ReplicaSet\/api/ },
      { name: 'action', edit: (p) => (p.actions[0]!.action = 'upsert' as ActionType), message: /actions\.0\.action: Invalid option/ },
      { name: 'version', edit: (p) => ((p as { formatVersion: number }).formatVersion = 2), message: /plan format version 2 is not supported \(this kite reads version 1\); run kite plan again/ },
    ];
    for (const e of edits) {
      const plan = PlanSchema.parse(JSON.parse(text));
      e.edit(plan);
      const edited = join(dir, `edited-${e.name}.json`);
      await writeFile(edited, JSON.stringify(plan, null, 2));
      const r = await kite(['apply', edited]);
      expect(r.stderr, e.name).not.toMatch(/internal error/);
      expect(r.stderr, e.name).toMatch(new RegExp(`^error: ${edited.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${e.message.source}`, 'm'));
      expect(r.code, e.name).toBe(1);
    }
    const truncated = join(dir, 'edited-truncated.json');
    await writeFile(truncated, text.slice(0, 300));
    const r = await kite(['apply', truncated]);
    expect(r.stderr).toMatch(/^error: .*edited-truncated\.json: not a saved plan \(.*JSON.*\)$/m);
    expect(r.code).toBe(1);
    expect(JSON.parse((await rt.kubectl(['get', 'rs', 'api', '-n', 'e2e', '-o', 'json'])).stdout).spec.replicas).toBe(3); // nothing written
  });

  it('says which file it cannot save a plan to (exit 1), leaving no temporary file behind', async () => {
    const r = await kite(['plan', await write(), '--out', dir]);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot save the plan to ${dir}: it is a directory \\(EISDIR\\)$`, 'm'));
    expect(r.code).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('shows kubectl scale out of band as drift, and apply restores it', async () => {
    const file = await write({ replicas: 5, cpu: '500m' });
    const setup = await kite(['apply', file, '--yes']);
    expect(setup.code, setup.stderr).toBe(0);
    expect((await rt.kubectl(['scale', 'rs', 'api', '-n', 'e2e', '--replicas=2'])).code).toBe(0);
    const plan = await kite(['plan', file, '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/! e2e\/ReplicaSet\/api\s+drift\s+spec\.replicas changed outside kite: 2 \(was 5\)/);
    const json = JSON.parse((await kite(['plan', file, '--output', 'json'])).stdout);
    const action = json.actions.find((a: { ref: { name: string; kind: string } }) => a.ref.kind === 'ReplicaSet' && a.ref.name === 'api');
    expect(action.changes[0]).toMatchObject({ path: 'spec.replicas', before: 2, after: 5, drift: { lastApplied: 5 } });
    expect((await kite(['apply', file, '--yes'])).code).toBe(0);
    expect(JSON.parse((await rt.kubectl(['get', 'rs', 'api', '-n', 'e2e', '-o', 'json'])).stdout).spec.replicas).toBe(5);
  });

  it('prunes what left the program but never touches what kubectl created', async () => {
    expect((await kite(['apply', await write({ replicas: 5, cpu: '500m' }), '--yes'])).code).toBe(0);
    const outside = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-kites', namespace: 'e2e' }, data: { a: 'b' } });
    expect((await rt.kubectl(['apply', '-f', '-'], { input: outside })).code).toBe(0);
    const file = await write({ replicas: 5, cpu: '500m', cache: false });
    const plan = await kite(['plan', file]);
    expect(plan.stdout).toMatch(/- e2e\/Service\/cache\s+delete\s+\(no longer in the program\)/);
    expect(plan.stdout).toMatch(/- e2e\/ReplicaSet\/cache\s+delete/);
    expect(plan.stdout).not.toMatch(/not-kites/);
    const apply = await kite(['apply', file, '--yes']);
    expect(apply.code).toBe(0);
    expect((await rt.kubectl(['get', 'rs', 'cache', '-n', 'e2e'])).stderr).toMatch(/NotFound/);
    expect((await rt.kubectl(['get', 'cm', 'not-kites', '-n', 'e2e'])).code).toBe(0);
  });

  it('turns an immutable change into a replace, refused without --allow-replace', async () => {
    expect((await kite(['apply', await write({ replicas: 5, cpu: '500m', cache: false }), '--yes'])).code).toBe(0);
    const file = await write({ replicas: 5, cpu: '500m', cache: false, selectorExtra: true });
    const plan = await kite(['plan', file]);
    expect(plan.stdout).toMatch(/-\/\+ e2e\/ReplicaSet\/worker\s+replace\s+\(spec\.selector is immutable\)/);
    expect(plan.stdout).toMatch(/1 to replace/);
    const refused = await kite(['apply', file, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the plan replaces e2e\/ReplicaSet\/worker \(spec\.selector is immutable\): deleting and recreating it loses its live state; apply with --allow-replace to do it$/m);
    const before = JSON.parse((await rt.kubectl(['get', 'rs', 'worker', '-n', 'e2e', '-o', 'json'])).stdout);
    const done = await kite(['apply', file, '--yes', '--allow-replace']);
    expect(done.stderr).toMatch(/Apply complete/);
    expect(done.code).toBe(0);
    const after = JSON.parse((await rt.kubectl(['get', 'rs', 'worker', '-n', 'e2e', '-o', 'json'])).stdout);
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.spec.selector.matchLabels).toEqual({ app: 'worker', tier: 'bg' });
  });

  it('refuses to apply while another run holds the stack\'s lock, naming the holder; --force-unlock clears it', async () => {
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'); // MicroTime
    const held = JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kite-lock-e2e', namespace: 'default' },
      spec: { holderIdentity: 'ci@runner-7 (pid 4242)', leaseDurationSeconds: 600, acquireTime: now, renewTime: now },
    });
    expect((await rt.kubectl(['apply', '-f', '-'], { input: held })).code).toBe(0);
    const file = await write({ replicas: 2, cpu: '500m', cache: false, selectorExtra: true });
    const blocked = await kite(['apply', file, '--yes']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/stack e2e is locked by ci@runner-7 \(pid 4242\) since .* \(Lease default\/kite-lock-e2e\); if that run is dead, run with --force-unlock/);
    expect(JSON.parse((await rt.kubectl(['get', 'rs', 'api', '-n', 'e2e', '-o', 'json'])).stdout).spec.replicas).not.toBe(2);
    const forced = await kite(['apply', file, '--yes', '--force-unlock']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse((await rt.kubectl(['get', 'rs', 'api', '-n', 'e2e', '-o', 'json'])).stdout).spec.replicas).toBe(2);
  });

  it('lets two concurrent applies of one stack run one at a time: a loser names the holder', async () => {
    const file = await write({ replicas: 3, cpu: '500m', cache: false, selectorExtra: true });
    const runs = await Promise.all([kite(['apply', file, '--yes']), kite(['apply', file, '--yes'])]);
    expect(runs.some((r) => r.code === 0)).toBe(true);
    for (const r of runs.filter((x) => x.code !== 0)) expect(r.stderr).toMatch(/stack e2e is locked by \S+@\S+ \(pid \d+\)/);
    // The lock is gone afterwards: a third apply plans no changes and exits 0.
    expect((await kite(['apply', file, '--yes'])).code).toBe(0);
  });

  it('accepts YAML input with --stack, prints JSON that validates, and destroys in reverse', async () => {
    const yamlDir = await scratchDir();
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-yaml', namespace: 'default' }, data: { k: 'v' } };
    await writeFile(join(yamlDir, 'cm.yaml'), JSON.stringify(manifest));
    const json = await kite(['plan', join(yamlDir, 'cm.yaml'), '--stack', 'yaml-stack', '--output', 'json']);
    const plan = PlanSchema.parse(JSON.parse(json.stdout));
    expect(plan.stack).toBe('yaml-stack');
    expect(plan.actions.map((a) => a.action)).toEqual(['create']);
    expect((await kite(['apply', join(yamlDir, 'cm.yaml'), '--stack', 'yaml-stack', '--yes'])).code).toBe(0);
    const destroy = await kite(['destroy', '--stack', 'yaml-stack', '--yes']);
    expect(destroy.stdout).toMatch(/- default\/ConfigMap\/from-yaml\s+delete/);
    expect(destroy.code).toBe(0);
    expect((await rt.kubectl(['get', 'cm', 'from-yaml'])).stderr).toMatch(/NotFound/);
  });

  it('exits 1 with a clear message when the program is broken or the runtime is not running', async () => {
    const bad = join(dir, 'bad.ts');
    await writeFile(bad, "import { Stack, App } from 'kite';\nconst s = new Stack('bad');\nnew App(s, 'x', { image: 'i', replicas: -1 });\nexport default s;\n");
    const r = await kite(['plan', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.ts:3:\d+: ReplicaSet\/x: spec\.replicas/);
    const nowhere = await runKite(['plan', bad.replace('bad.ts', 'stack.ts'), '--state-dir', join(dir, 'no-runtime')]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/kite up/);
  });
});

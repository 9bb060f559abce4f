// Issue 14, adoption without downtime: manifests applied with the real kubectl, then planned and
// applied by kite from the same YAML — or from the program `kite import` made of it — join the
// stack as they are: no object (nor pod) recreated.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../runtime/harness.ts';
import { SEED } from '../support/kite.ts';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture();

/** The seed manifests that can run side by side (node-js-health-rc reuses node-js-rc's name; node-js-constraints-rc must not fit a node). */
const SEED_FILES = ['apache-hook-rc.yaml', 'external-ip-service.yaml', 'external-name-service.yaml', 'kuard-pod.yaml', 'namespaced-services.yaml', 'node-js-rc.yaml', 'node-js-rs.yaml'];
const KINDS = 'replicationcontrollers,replicasets,services,endpoints,pods';

interface Listed {
  items: Array<{ kind: string; metadata: { namespace: string; name: string; uid: string; labels?: Record<string, string> } }>;
}

async function listed(): Promise<Listed['items']> {
  const r = await fx.rt.kubectl(['get', KINDS, '-A', '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as Listed).items.filter((o) => o.metadata.namespace !== 'kube-system' && !(o.metadata.namespace === 'default' && o.metadata.name === 'kubernetes'));
}

async function uids(): Promise<Map<string, string>> {
  return new Map((await listed()).map((o) => [`${o.metadata.namespace}/${o.kind}/${o.metadata.name}`, o.metadata.uid]));
}

describe('adopting objects kubectl applied', () => {
  it('plans only adopts (from the YAML and from its imported program), applies them without recreating anything, then plans no changes', { timeout: 240_000 }, async () => {
    const dir = join(fx.dir, 'legacy');
    await mkdir(dir, { recursive: true });
    for (const f of SEED_FILES) await copyFile(join(SEED, f), join(dir, f));
    for (const ns of ['test', 'prod']) expect((await fx.rt.kubectl(['create', 'namespace', ns])).code).toBe(0);
    const applied = await fx.rt.kubectl(['apply', '-f', dir]);
    expect(applied.code, applied.stderr).toBe(0);
    // 3 node-js RC pods, 1 apache-hook RC pod, the RS's pods and the kuard pod are running before kite looks.
    await eventually(
      async () => {
        const r = await fx.rt.kubectl(['get', 'pods', '-n', 'default', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}']);
        const phases = r.stdout.split('\n').filter(Boolean);
        return phases.length >= 5 && phases.every((p) => p === 'Running');
      },
      { timeoutMs: 60_000, what: 'the kubectl-applied pods to run' },
    );
    const before = await uids();

    const plan = await fx.kite(['plan', dir, '--stack', 'legacy', '--detailed-exitcode', '--no-color']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    const lines = plan.stdout.split('\n').filter((l) => /^\s+\S+ \S+\/\S+\s+\S+/.test(l));
    expect(lines.length, plan.stdout).toBe(10);
    for (const l of lines) expect(l, plan.stdout).toMatch(/→ \S+\s+adopt\s+\(exists, not created by kite: joins stack legacy; no changes\)$/);
    expect(plan.stdout).toMatch(/^No changes to objects; 10 to adopt into stack legacy\.$/m);

    const json = await fx.kite(['plan', dir, '--stack', 'legacy', '--output', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { actions: Array<{ action: string }>; summary: Record<string, number> };
    expect(new Set(parsed.actions.map((a) => a.action))).toEqual(new Set(['adopt']));
    expect(parsed.summary).toMatchObject({ add: 0, change: 0, replace: 0, destroy: 0, adopt: 10 });

    // The program kite import makes of the same YAML plans exactly the same adopts.
    const program = join(fx.dir, 'legacy.ts');
    const imported = await fx.kite(['import', dir, '--stack', 'legacy', '--out', program]);
    expect(imported.code, imported.stderr).toBe(0);
    const programPlan = await fx.kite(['plan', program, '--detailed-exitcode', '--no-color']);
    expect(programPlan.code, programPlan.stdout + programPlan.stderr).toBe(2);
    expect(programPlan.stdout.split('\n').filter((l) => /^\s+\S+ \S+\/\S+\s+\S+/.test(l)).sort()).toEqual([...lines].sort());
    expect(programPlan.stdout).toMatch(/^No changes to objects; 10 to adopt into stack legacy\.$/m);

    // Applied from a saved plan of the imported program: what was shown is exactly what is written.
    const saved = join(fx.dir, 'legacy-plan.json');
    const out = await fx.kite(['plan', program, '--out', saved]);
    expect(out.code, out.stderr).toBe(0);
    const apply = await fx.kite(['apply', saved, '--yes', '--timeout', '60s', '--no-color']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout + apply.stderr).toMatch(/Apply complete: 10 adopted/);
    const history = await fx.kite(['history', 'legacy']);
    expect(history.stdout, history.stderr).toMatch(/apply: 10 adopted/);
    const after = await uids();
    for (const [key, uid] of before) expect(after.get(key), key).toBe(uid);
    // The RCs' and the RS's pods now carry the template hash of what kite applied: nothing to roll.
    const pods = (await listed()).filter((o) => o.kind === 'Pod' && o.metadata.name !== 'kuard');
    expect(pods.length).toBeGreaterThanOrEqual(4);
    for (const p of pods) expect(p.metadata.labels?.['kite.dev/template-hash'], p.metadata.name).toMatch(/^[0-9a-f]{10}$/);

    // Both the YAML and the program it was imported into now plan no changes.
    for (const input of [['plan', dir, '--stack', 'legacy'], ['plan', program]]) {
      const again = await fx.kite([...input, '--detailed-exitcode', '--no-color']);
      expect(again.stdout, again.stderr).toMatch(/^No changes\. The cluster matches stack legacy\./m);
      expect(again.code).toBe(0);
    }
  });
});

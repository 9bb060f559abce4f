// `kite import` through the real CLI: YAML files, directories and stdin in, a program out; its
// errors; and `--from-cluster` against a started runtime where the seed YAML was applied by kubectl.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { settled } from '../../lib/import/live-objects.ts';
import { loadInput } from '../../lib/synth/load-input.ts';
import type { LoadResult } from '../../lib/synth/manifest.ts';
import { KITE_BIN, REPO, SEED, runKite, type RunResult } from '../support/kite.ts';
import { eventually } from '../runtime/harness.ts';
import { cliFixture } from './cli-fixture.ts';

const f = cliFixture({ simulate: true });
afterAll(async () => {
  await rm(f.dir, { recursive: true, force: true });
});

function kiteWithInput(args: string[], input: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [KITE_BIN, ...args], { cwd: REPO }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

const objects = (r: LoadResult) => r.stacks.flatMap((s) => s.manifests.map((m) => m.object));

describe('kite import', () => {
  it('prints a program for a YAML file; --out writes it, refuses to overwrite without --force', async () => {
    const printed = await f.kite(['import', join(SEED, 'external-name-service.yaml')]);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain("new ExternalDb(stack, 'external-database', { host: 'database.company.com' });");
    expect(printed.stdout).toContain("const stack = new Stack('external-name-service');");

    const out = join(f.dir, 'rc.ts');
    const written = await f.kite(['import', join(SEED, 'node-js-rc.yaml'), '--out', out]);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain(`imported 2 objects into ${out} (stack node-js-rc)`);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('selects: nodeJs');

    const again = await f.kite(['import', join(SEED, 'kuard-pod.yaml'), '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error: ${out} already exists (--force overwrites it)`);
    expect(await readFile(out, 'utf8')).toBe(text);
    const forced = await f.kite(['import', join(SEED, 'kuard-pod.yaml'), '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain("new Pod(stack, 'kuard'");

    // The program type-checks against kite's published declarations.
    const validated = await runKite(['validate', out]);
    expect(validated.stderr).toContain(`${out}: 1 object valid`);
    expect(validated.code).toBe(0);
  });

  it('reads stdin with -', async () => {
    const yaml = await readFile(join(SEED, 'namespaced-services.yaml'), 'utf8');
    const r = await kiteWithInput(['import', '-', '--stack', 'dbs'], yaml);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("const prod = Namespace.existing(stack, 'prod');");
    expect(r.stdout).toContain("new Service(test, 'my-database', { ports: [{ port: 5432 }] });");
    expect(r.stdout).toContain("new Stack('dbs')");
  });

  it('reports invalid YAML as kite validate does, exit 1, and writes nothing', async () => {
    const bad = join(f.dir, 'bad.yaml');
    await writeFile(bad, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 99999\n');
    const out = join(f.dir, 'bad.ts');
    const r = await f.kite(['import', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+: Service\/web: spec\.ports\[99999\]\.port: Invalid value: 99999/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a missing input, an unreadable file, a program, and --from-cluster without -n', async () => {
    const none = await f.kite(['import']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('expected exactly one input: kite import <file.yaml|dir|->');
    const missing = await f.kite(['import', join(f.dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.yaml: no such file or directory');
    const program = await f.kite(['import', join(REPO, 'examples/kuard-pod/stack.ts')]);
    expect(program.code).toBe(1);
    expect(program.stderr).toContain('kite import reads YAML or JSON manifests, not a program');
    const noDir = await f.kite(['import', join(SEED, 'kuard-pod.yaml'), '--out', join(f.dir, 'no/such/dir/x.ts')]);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain('no/such/dir/x.ts: no such file or directory');
    expect(noDir.stderr).not.toContain('internal error');
    const selectorAlone = await f.kite(['import', join(SEED, 'kuard-pod.yaml'), '-l', 'app=x']);
    expect(selectorAlone.code).toBe(1);
    expect(selectorAlone.stderr).toContain('-l/--selector go with --from-cluster');
    const noNs = await f.kite(['import', '--from-cluster']);
    expect(noNs.code).toBe(1);
    expect(noNs.stderr).toContain('kite import --from-cluster needs the namespace: -n NS');
  });

  it('--from-cluster: what kubectl applied comes back as the same objects', async () => {
    const seeds = ['apache-hook-rc.yaml', 'external-ip-service.yaml', 'external-name-service.yaml', 'kuard-pod.yaml', 'node-js-rc.yaml'];
    expect((await f.rt.kubectl(['create', 'namespace', 'imported'])).code).toBe(0);
    for (const s of seeds) {
      const applied = await f.rt.kubectl(['apply', '-n', 'imported', '-f', join(SEED, s)]);
      expect(applied.stderr).toBe('');
    }
    // A Deployment: its ReplicaSet and pods are the controllers', and its template has no pod-template-hash.
    const deployment = join(f.dir, 'deployment.yaml');
    await writeFile(
      deployment,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1\n',
    );
    expect((await f.rt.kubectl(['apply', '-n', 'imported', '-f', deployment])).stderr).toBe('');
    await eventually(async () => {
      const rs = await f.rt.kubectl(['get', 'rs', '-n', 'imported', '-l', 'app=api', '-o', 'name']);
      return rs.stdout.includes('replicaset.apps/api-');
    }, { timeoutMs: 30_000, what: 'the Deployment has its ReplicaSet' });
    const out = join(f.dir, 'cluster.ts');
    const r = await f.kite(['import', '--from-cluster', '-n', 'imported', '--out', out]);
    expect(r.stderr).toContain(`into ${out} (stack imported)`);
    expect(r.code).toBe(0);
    const program = await loadInput(out);
    // Warnings are the seed's own (best practices it does not follow); nothing may be an error.
    expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const expected: KubeObject[] = [];
    for (const input of [...seeds.map((s) => join(SEED, s)), deployment]) {
      const yaml = await loadInput(input);
      for (const o of objects(yaml)) expected.push({ ...o, metadata: { ...o.metadata, namespace: 'imported' } });
    }
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
    const sort = (xs: KubeObject[]) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const got = objects(program);
    // The namespace comes too (its object says no more than its name).
    expect(got.filter((o) => o.kind === 'Namespace')).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'imported' } }]);
    // A LoadBalancer Service's nodePort is allocated by the cluster, and nothing tells it from one
    // the user chose: it legitimately stays in the import.
    const nodePorts = got.flatMap((o) => (o.kind === 'Service' ? ((o.spec as { ports?: { nodePort?: number }[] }).ports ?? []) : [])).filter((p) => p.nodePort !== undefined);
    expect(nodePorts.length).toBe(1);
    for (const p of nodePorts) delete p.nodePort;
    // Fields the seed spells out at their default value (a probe's failureThreshold: 3, protocol:
    // TCP) are left out of the import, and quantities come back as the server writes them (1000m
    // is 1): the objects are the same once the cluster has defaulted them, as it stores both.
    const stored = (xs: KubeObject[]) => sort(xs).map(settled);
    expect(stored(got.filter((o) => o.kind !== 'Namespace'))).toEqual(stored(expected));
    const kuard = got.find((o) => o.kind === 'Pod')!;
    expect(JSON.stringify(kuard)).not.toMatch(/failureThreshold|nodeName|tolerations|"priority"/);
    const rc = got.find((o) => o.kind === 'ReplicationController' && o.metadata.name === 'node-js')!;
    expect(rc.spec).toMatchObject({ selector: { name: 'node-js' } });
  }, 120_000);

  it('--from-cluster names the stack after the kite stack that applied the objects, so plan sees no change', async () => {
    const yaml = join(f.dir, 'settings.yaml');
    await writeFile(
      yaml,
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kited\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\n  namespace: kited\ndata:\n  mode: fast\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: kited\nspec:\n  type: ExternalName\n  externalName: db.example.com\n',
    );
    const applied = await f.kite(['apply', yaml, '--yes']);
    expect(applied.stderr + applied.stdout).not.toContain('error');
    expect(applied.code).toBe(0);
    const out = join(f.dir, 'settings.ts');
    const r = await f.kite(['import', '--from-cluster', '-n', 'kited', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('imported 3 objects');
    const text = await readFile(out, 'utf8');
    expect(text).toContain("new Stack('settings')");
    expect(text).toContain("new ExternalDb(kited, 'db', { host: 'db.example.com' });");
    expect(text).not.toMatch(/applyset|kite\.dev|uid|resourceVersion|clusterIP/);
    const plan = await f.kite(['plan', out, '--detailed-exitcode']);
    expect(plan.stdout + plan.stderr).toMatch(/no changes/i);
    expect(plan.code).toBe(0);
  }, 120_000);

  it('a YAML file applied with kite, imported, plans with no changes (the same stack name)', async () => {
    const yaml = join(f.dir, 'legacy.yaml');
    await writeFile(yaml, (await readFile(join(SEED, 'node-js-constraints-rc.yaml'), 'utf8')) + '\n---\n' + (await readFile(join(SEED, 'external-ip-service.yaml'), 'utf8')));
    const applied = await f.kite(['apply', yaml, '--yes']);
    expect(applied.code).toBe(0);
    const out = join(f.dir, 'legacy.ts');
    expect((await f.kite(['import', yaml, '--out', out])).code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain("new Stack('legacy')");
    const plan = await f.kite(['plan', out, '--detailed-exitcode']);
    expect(plan.stdout + plan.stderr).toMatch(/no changes/i);
    expect(plan.code).toBe(0);
  }, 120_000);

  it('--from-cluster gives back the App of a program kite applied', async () => {
    const program = join(f.dir, 'shop.ts');
    await writeFile(
      program,
      "import { App, Namespace, Stack } from 'kite';\nconst stack = new Stack('shop');\nconst ns = new Namespace(stack, 'shop');\nnew App(ns, 'web', { image: 'registry.example/web:2', port: 8080, replicas: 2, health: '/healthz', rollout: { maxSurge: 1 } }).expose({ port: 80 });\nexport default stack;\n",
    );
    expect((await f.kite(['apply', program, '--yes'])).code).toBe(0);
    const out = join(f.dir, 'shop-imported.ts');
    const r = await f.kite(['import', '--from-cluster', '-n', 'shop', '--out', out]);
    expect(r.stderr).toContain('(stack shop)');
    const text = await readFile(out, 'utf8');
    expect(text).toContain("new App(shop, 'web', {");
    expect(text).toContain("health: '/healthz'");
    expect(text).toContain('rollout: { maxSurge: 1 }');
    expect(text).toContain('.expose({ port: 80 });');
    const plan = await f.kite(['plan', out, '--detailed-exitcode']);
    expect(plan.stdout + plan.stderr).toMatch(/no changes/i);
    expect(plan.code).toBe(0);
  }, 120_000);
});

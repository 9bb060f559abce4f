import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { REPO, SEED, runKite, scratchDir, writeFiles } from './support/kite.ts';

describe('kite CLI basics', () => {
  it('prints help and version', async () => {
    const help = await runKite(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/synth/);
    expect(help.stdout).toMatch(/validate/);
    const version = await runKite(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `kite ${pkg.version}\n` });
  });

  it('kite COMMAND --help prints that command\'s usage and every flag it takes', async () => {
    const overview = (await runKite(['--help'])).stdout;
    const commands = [...overview.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!);
    expect(commands).toEqual(['synth', 'validate', 'init', 'import', 'plan', 'apply', 'destroy', 'history', 'rollback', 'demo', 'up', 'down', 'status', 'node', 'get', 'describe', 'logs', 'exec', 'port-forward']);
    const helps = await Promise.all(commands.map((c) => runKite([c, '--help'])));
    for (const [i, c] of commands.entries()) {
      expect(helps[i]!.code, c).toBe(0);
      expect(helps[i]!.stdout, c).toMatch(new RegExp(`^Usage: kite ${c}\\b`));
      expect(helps[i]!.stdout, c).toContain('--help');
    }
    const help = (c: string) => helps[commands.indexOf(c)]!.stdout;
    for (const flag of ['--yes', '--timeout DURATION', '--force-unlock', '--stack NAME', '--state-dir DIR', '--kubeconfig PATH', '--context NAME']) expect(help('destroy')).toContain(flag);
    for (const flag of ['--allow-replace', '--no-wait', '--no-typecheck', '--force-unlock', '--state-dir DIR']) expect(help('apply')).toContain(flag);
    for (const flag of ['--out FILE', '--detailed-exitcode', '--no-typecheck', '--state-dir DIR']) expect(help('plan')).toContain(flag);
    for (const flag of ['--simulate', '--nodes N', '--node-grace-period DURATION', '--state-dir DIR']) expect(help('up')).toContain(flag);
    for (const flag of ['-f, --follow', '-p, --previous', '--tail N', '--since DURATION', '--timestamps', '-l, --selector SELECTOR', '-c, --container NAME']) expect(help('logs')).toContain(flag);
    for (const flag of ['-i, --stdin', '-t, --tty', '-c, --container NAME']) expect(help('exec')).toContain(flag);
    for (const flag of ['--address ADDR', '-n, --namespace NS', '--pod-running-timeout DURATION', '--kubeconfig PATH']) expect(help('port-forward')).toContain(flag);
    for (const flag of ['-o, --out FILE', '--force', '--from-cluster', '-n, --namespace NS', '-l, --selector SELECTOR', '--stack NAME', '--kubeconfig PATH']) expect(help('import')).toContain(flag);
    expect(help('synth')).toContain('-o, --output DIR');
    expect(help('synth')).not.toContain('--state-dir');
  });

  it('rejects an unknown command or flag with exit 1 and no stack trace', async () => {
    for (const args of [['frobnicate'], ['synth', '--frob', 'x.ts'], ['synth'], ['validate']]) {
      const r = await runKite(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('synthesizes the shop to dist/<stack>.k8s.yaml', async () => {
    const dir = await scratchDir();
    const r = await runKite(['synth', 'examples/shop/stack.ts', '--output', dir]);
    expect(r.stderr).toContain('synthesized shop: 4 objects');
    expect(r.code).toBe(0);
    const yaml = await readFile(join(dir, 'shop.k8s.yaml'), 'utf8');
    const kinds = [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    expect(kinds).toEqual(['Namespace', 'Service', 'Service', 'ReplicaSet']);
    expect(yaml).toContain('value: my-database.prod.svc.cluster.local');
    expect(yaml).toContain('type: LoadBalancer');
    expect(yaml).toContain('externalName: database.company.com');
  });

  it('says which output it cannot write, with exit 1 and no stack trace', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, { 'taken': 'a file, not a directory\n' });
    const r = await runKite(['synth', 'examples/shop/stack.ts', '--output', join(dir, 'taken')]);
    expect(r.stderr).toBe(`error: cannot create the output directory ${join(dir, 'taken')}: a file of that name exists (EEXIST)\n`);
    expect(r.code).toBe(1);
  });

  it('writes byte-identical output across runs', async () => {
    const a = await runKite(['synth', 'examples/shop/stack.ts', '--stdout']);
    const b = await runKite(['synth', 'examples/shop/stack.ts', '--stdout']);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(500);
    expect(b.stdout).toBe(a.stdout);
  });

  it('validates every seed manifest and every example', async () => {
    const seeds = (await readdir(SEED)).filter((f) => f.endsWith('.yaml')).map((f) => join(SEED, f));
    const r = await runKite(['validate', ...seeds]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    // As one stack, the seed directory defines RC node-js twice (node-js-rc and node-js-health-rc).
    const dir = await runKite(['validate', SEED]);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/node-js-rc\.yaml:\d+:\d+: ReplicationController\/node-js: metadata\.name: defined twice \(first at .*node-js-health-rc\.yaml:1\)/);
    // examples/apps holds the stand-in programs the image catalog maps the seed's images to, not a stack.
    // team-lib is a construct library (no stack); team-stacks holds the stacks that use it.
    const examples = (await readdir(join(REPO, 'examples')))
      .filter((e) => !['apps', 'team-lib', 'team-stacks'].includes(e))
      .map((e) => `examples/${e}/stack.ts`)
      .concat(['examples/team-stacks/checkout/stack.ts', 'examples/team-stacks/search/stack.ts']);
    const e = await runKite(['validate', ...examples]);
    expect(e.stderr).not.toMatch(/error/);
    expect(e.code).toBe(0);
  });

  it('warns that extensions/v1beta1 ReplicaSets are converted', async () => {
    const r = await runKite(['synth', join(SEED, 'node-js-rs.yaml'), '--stdout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*extensions\/v1beta1.*apps\/v1/);
    expect(r.stdout).toMatch(/^apiVersion: apps\/v1$/m);
  });
});

describe('program errors', () => {
  it('points a bad value at the construct, the object, the field and the user\'s line', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, {
      'stack.ts': [
        "import { Stack, Namespace, App } from 'kite';",
        "const stack = new Stack('shop');",
        "const prod = new Namespace(stack, 'prod');",
        "new App(prod, 'api', { image: 'x', replicas: -1, port: 8080 });",
        "new App(prod, 'web', { image: 'x', port: 70000 });",
        'export default stack;',
        '',
      ].join('\n'),
    });
    const r = await runKite(['synth', join(dir, 'stack.ts'), '--stdout']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/stack\.ts:4:\d+: prod\/ReplicaSet\/api: spec\.replicas: .*-1.*\(construct shop\/prod\/api\)/);
    expect(r.stderr).toMatch(/stack\.ts:5:\d+: prod\/ReplicaSet\/web: spec\.template\.spec\.containers\[web\]\.ports\[http\]\.containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive/);
    expect(r.stderr).toMatch(/2 errors/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a thrown error at the user\'s source line, and a syntax error with line and column', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, {
      'throws.ts': "import { Stack } from 'kite';\nconst s = new Stack('x');\n\nthrow new Error('boom from user code');\nexport default s;\n",
      'syntax.ts': "import { Stack } from 'kite';\nconst s = new Stack('x';\nexport default s;\n",
      'empty.ts': 'export const nothing = 1;\n',
    });
    const t = await runKite(['synth', join(dir, 'throws.ts'), '--stdout']);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/throws\.ts:4:\d+: boom from user code/);
    const s = await runKite(['synth', join(dir, 'syntax.ts'), '--stdout']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/syntax\.ts:2:\d+: Expected "\)"/);
    const e = await runKite(['synth', join(dir, 'empty.ts'), '--stdout']);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/exports no Stack/);
  });

  it('rejects a missing input and a duplicate object', async () => {
    const missing = await runKite(['validate', 'no/such/file.ts']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no\/such\/file\.ts: no such file/);
    const dir = await scratchDir();
    await writeFiles(dir, { 'dup.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n' });
    const dup = await runKite(['validate', join(dir, 'dup.yaml')]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/dup\.yaml:9:\d+: Namespace\/a: metadata\.name: defined twice \(first at .*dup\.yaml:1\)/);
  });

  it('reports a duplicate construct id and a name kite does not export at the user\'s line, in the user\'s words', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, {
      'dup.ts': "import { Stack, Namespace, App } from 'kite';\nconst stack = new Stack('s');\nconst ns = new Namespace(stack, 'prod');\nnew App(ns, 'web', { image: 'nginx' });\nnew App(ns, 'web', { image: 'nginx' });\nexport default stack;\n",
      'imp.ts': "import { Stack,\n  StatefulSet } from 'kite';\nconsole.error(StatefulSet);\nexport default new Stack('s');\n",
    });
    for (const typecheck of [[], ['--no-typecheck']]) {
      const dup = await runKite(['synth', 'dup.ts', '--stdout', ...typecheck], { cwd: dir });
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain("dup.ts:5:1: There is already a Construct with name 'web' in Namespace [prod]");
      const imp = await runKite(['synth', 'imp.ts', '--stdout', ...typecheck], { cwd: dir });
      expect(imp.code).toBe(1);
      expect(imp.stderr).toContain('imp.ts:2:3: the module "kite" does not provide an export named "StatefulSet"');
      expect(imp.stderr).not.toMatch(/build\/|dist\//);
    }
  });
});

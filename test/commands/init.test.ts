// `kite init` as a user runs it: the real CLI scaffolds a repo in a temp directory outside this
// one, `npm install` installs this very checkout into it (a `file:` dependency, offline), and the
// scaffold's own `npx kite` plans and applies its stack against a started runtime whose pods run
// as processes from the scaffold's image catalog.
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runKite, type RunResult } from '../support/kite.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

let base: string;
let repo: string;
let rt: TestRuntime | undefined;

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((done) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr });
    });
  });
}

/** The scaffold's own kite, as `npx kite` finds it (`--no`: never download one). */
const npxKite = (args: string[]) => run('npx', ['--no', 'kite', ...args], repo);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kite-init-'));
  repo = join(base, 'infra');
});

afterAll(async () => {
  await rt?.close();
  await rm(base, { recursive: true, force: true });
});

describe('kite init', () => {
  it('scaffolds a repo in a new directory and says what to do next', async () => {
    const r = await runKite(['init', 'infra'], { cwd: base });
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['package.json', 'tsconfig.json', 'stack.ts', 'app/server.mjs', 'kite.images.yaml', '.gitignore', 'README.md']) {
      expect(existsSync(join(repo, f)), f).toBe(true);
      expect(r.stderr).toContain(`  ${f}\n`);
    }
    expect(r.stderr).toMatch(/next:\n {2}cd infra\n {2}npm install\n {2}npx kite up --detach\n {2}npx kite plan stack\.ts\n/);
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { name: string; private: boolean; type: string; scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg).toMatchObject({ name: 'infra', private: true, type: 'module' });
    // Run from this checkout, the scaffold depends on it by path.
    expect(pkg.dependencies).toEqual({ kite: `file:${REPO}` });
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['synth', 'plan', 'apply', 'up']));
    expect(await readFile(join(repo, '.gitignore'), 'utf8')).toBe('node_modules/\ndist/\n.kite/\n*.plan.json\n');
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    expect(readme).toContain('--out stack.plan.json --detailed-exitcode');
    expect(readme).toContain('npx kite apply stack.plan.json --yes');
  });

  it('installs offline, type-checks, plans the expected creates and applies until ready', { timeout: 300_000 }, async () => {
    const repoModules = join(REPO, 'node_modules');
    const before = [statSync(repoModules).mtimeMs, statSync(join(REPO, 'build/cli.js')).mtimeMs];
    // --ignore-scripts: npm would run the linked checkout's `prepare` (a rebuild of this repo's
    // build/ while other tests run from it); bin/kite.js builds it when missing anyway.
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], repo);
    expect(install.code, install.stderr).toBe(0);
    expect(lstatSync(join(repo, 'node_modules/kite')).isSymbolicLink()).toBe(true);
    expect(resolve(repo, 'node_modules', readlinkSync(join(repo, 'node_modules/kite')))).toBe(REPO);
    expect([statSync(repoModules).mtimeMs, statSync(join(REPO, 'build/cli.js')).mtimeMs]).toEqual(before);

    const validate = await npxKite(['validate', 'stack.ts']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toContain('stack.ts: 3 objects valid');
    // The CI step the README names: TypeScript (kite's own) with the scaffold's tsconfig.json.
    const tsc = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], repo);
    expect(tsc.code, tsc.stdout).toBe(0);

    rt = await startTestRuntime({ simulate: false, nodes: 1, images: join(repo, 'kite.images.yaml') });
    const plan = await npxKite(['plan', 'stack.ts', '--kubeconfig', rt.kubeconfig, '--detailed-exitcode', '--no-color']);
    expect(plan.code, plan.stderr).toBe(2);
    for (const object of ['Namespace/infra', 'infra/Service/web', 'infra/ReplicaSet/web']) expect(plan.stdout).toMatch(new RegExp(`\\+ ${object}\\s+create`));

    const apply = await npxKite(['apply', 'stack.ts', '--yes', '--kubeconfig', rt.kubeconfig, '--timeout', '120s', '--no-color']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/Apply complete: 3 created; all ready/);

    // The pods are app/server.mjs, started through the scaffold's image catalog: ask one.
    const ips = await rt.kubectl(['get', 'pods', '-n', 'infra', '-o', 'jsonpath={range .items[*]}{.status.podIP}{"\\n"}{end}']);
    const ip = ips.stdout.split('\n').find(Boolean);
    expect(ip).toBeDefined();
    const body = await eventually(async () => (await fetch(`http://${ip}:8080/`)).text(), { timeoutMs: 20_000, what: 'the pod to answer' });
    expect(body).toMatch(/^Hello from kite \(pod web-/);

    const again = await npxKite(['plan', 'stack.ts', '--kubeconfig', rt.kubeconfig, '--detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
  });

  it('refuses to overwrite files it would write, naming them all and writing nothing; --force overwrites', async () => {
    const dir = join(base, 'existing');
    await mkdir(dir);
    await writeFile(join(dir, 'stack.ts'), 'mine\n');
    await writeFile(join(dir, 'README.md'), 'mine\n');
    const r = await runKite(['init', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${dir}: would overwrite stack.ts, README.md (nothing written; --force overwrites)\n`);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
    expect(await readFile(join(dir, 'stack.ts'), 'utf8')).toBe('mine\n');

    const forced = await runKite(['init', dir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(dir, 'stack.ts'), 'utf8')).toContain("new Stack('existing')");
  });

  it('--name names the package and, made a DNS label, the stack and its namespace', async () => {
    const dir = join(base, 'named');
    const r = await runKite(['init', dir, '--name', '@Platform/Team Infra']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: '@platform/team-infra' });
    const stack = await readFile(join(dir, 'stack.ts'), 'utf8');
    expect(stack).toContain("new Stack('team-infra')");
    expect(stack).toContain("new Namespace(stack, 'team-infra')");

    const bad = await runKite(['init', join(base, 'bad'), '--name', '...']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: --name: "..." cannot be made an npm package name (use --name NAME)\n');
    expect(existsSync(join(base, 'bad'))).toBe(false);
  });

  it('refuses a DIR that is a file, and an empty --kite', async () => {
    const file = join(base, 'a-file');
    await writeFile(file, '');
    const r = await runKite(['init', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${file}: not a directory\n`);
    const empty = await runKite(['init', join(base, 'empty-spec'), '--kite', '']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^error: --kite: expected a dependency spec/);
    expect(existsSync(join(base, 'empty-spec'))).toBe(false);
  });

  it('--kite sets the dependency spec', async () => {
    const dir = join(base, 'pinned');
    const r = await runKite(['init', dir, '--kite', '^0.1.0']);
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; allowScripts?: Record<string, boolean> };
    expect(pkg.dependencies).toEqual({ kite: '^0.1.0' });
    // From a registry, kite's dependencies with install scripts need npm's approval.
    expect(pkg.allowScripts).toEqual({ esbuild: true, 'better-sqlite3': true });
  });
});

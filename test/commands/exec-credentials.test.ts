// Real clusters' credentials on a plain install: `kite get` / `kite plan` through a kubeconfig
// whose user is an exec credential plugin (a script handing out the local runtime's token), with
// the repository's CLI and with the CLI of the packed package installed in a fresh project that
// has kite's dependencies only (no devDependencies: no @kubernetes/client-node).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakePlugin, kubeconfigFor, type PluginReply } from '../kube/exec-plugin.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
import { REPO, runKite, type RunResult } from '../support/kite.ts';

const run = promisify(execFile);

let rt: TestRuntime;
let dir: string;
let server: string;
let caPem: string;
let token: string;
let n = 0;

beforeAll(async () => {
  rt = await startTestRuntime();
  dir = await mkdtemp(join(tmpdir(), 'kite-exec-cli-'));
  const kc = parse(await readFile(rt.kubeconfig, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
  };
  server = kc.clusters[0]!.cluster.server;
  caPem = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
  token = kc.users[0]!.user.token;
}, 60_000);

afterAll(async () => {
  await rt?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A plugin answering `reply` and a kubeconfig whose user runs it (its `exec` amended by `exec`). */
async function execKubeconfig(reply: PluginReply, exec: Record<string, unknown> = {}): Promise<{ plugin: FakePlugin; path: string }> {
  const plugin = await FakePlugin.create(dir, `p${++n}`, reply);
  const path = join(dir, `p${n}.kubeconfig`);
  await writeFile(path, kubeconfigFor({ server, caPem, user: { exec: plugin.exec(exec) } }));
  return { plugin, path };
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: via-exec\n  namespace: default\ndata:\n  a: "1"\n';

describe('kite through an exec credential plugin', () => {
  it('kite get nodes and kite plan use the token it prints, running it once per command', async () => {
    const { plugin, path } = await execKubeconfig({ tokens: [token], expiresInMs: 3_600_000 });
    const get = await runKite(['get', 'nodes', '--kubeconfig', path]);
    expect(get.stderr).toBe('');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^NAME\s+STATUS/);
    expect(get.stdout).toMatch(/kite-node-1\s+Ready/);
    expect(await plugin.calls()).toHaveLength(1);

    await writeFile(join(dir, 'cm.yaml'), CONFIGMAP);
    const plan = await runKite(['plan', join(dir, 'cm.yaml'), '--stack', 'via-exec', '--kubeconfig', path, '--detailed-exitcode']);
    expect(plan.stdout).toMatch(/default\/ConfigMap\/via-exec/);
    expect(plan.code, plan.stderr).toBe(2);
    expect(await plugin.calls()).toHaveLength(2); // one more command, one more run: many requests, one credential
  });

  it('re-runs the plugin within a command once its credential has expired', async () => {
    const { plugin, path } = await execKubeconfig({ tokens: [token], expiresInMs: -1000 });
    const get = await runKite(['get', 'nodes', '--kubeconfig', path]);
    expect(get.code, get.stderr).toBe(0);
    expect((await plugin.calls()).length).toBeGreaterThan(1);
  });

  it('a failing plugin: its stderr is shown, then what failed, exit 1', async () => {
    const { path } = await execKubeconfig({ stderr: 'Error loading SSO Token: the SSO session has expired\n', exitCode: 255 });
    const r = await runKite(['get', 'nodes', '--kubeconfig', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error loading SSO Token: the SSO session has expired\n/);
    expect(r.stderr).toContain(`context "exec": the credential plugin "${process.execPath}" of user "u" failed with exit code 255: Error loading SSO Token: the SSO session has expired`);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('a plugin that is not installed: the kubeconfig installHint', async () => {
    const { path } = await execKubeconfig({}, { command: 'aws-kite-test-missing', args: ['eks', 'get-token'], installHint: 'The AWS CLI is needed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html' });
    const r = await runKite(['plan', join(dir, 'cm.yaml'), '--stack', 'via-exec', '--kubeconfig', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'the credential plugin "aws-kite-test-missing" of user "u" cannot be run: aws-kite-test-missing was not found\n\nThe AWS CLI is needed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
    );
  });

  it('a plugin printing something else than an ExecCredential', async () => {
    const { path } = await execKubeconfig({ raw: `${token}\n` });
    const r = await runKite(['get', 'nodes', '--kubeconfig', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('printed no usable ExecCredential: its standard output is not JSON');
    expect(r.stderr).not.toContain(token); // whatever it printed may be a secret
  });
});

describe('from the packed package', () => {
  /**
   * `npm pack`, then the tarball installed as npm would (extracted to node_modules/kite) into a
   * fresh project whose node_modules has kite's `dependencies` and nothing else, linked from the
   * repository's (a real `npm install` of the tarball needs the registry for metadata and GitHub
   * for better-sqlite3's prebuilt binary, neither reachable in CI; `npm ci` has already fetched
   * these exact versions). Node resolves the links to their real paths, so kite's own imports can
   * only find what package.json declares.
   */
  it('runs kite get nodes and kite plan of a program with the exec kubeconfig', async () => {
    const work = await mkdtemp(join(tmpdir(), 'kite-packed-'));
    try {
      const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
      const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const files = packed!.files.map((f) => f.path);
      for (const f of ['package.json', 'bin/kite.js', 'build/cli.js', 'build/index.js', 'build/types/index.d.ts', 'schema/plan-v1.schema.json', 'examples/shop/stack.ts']) expect(files).toContain(f);
      expect(files.filter((f) => /^(test|node_modules|lib|runtime|commands)\//.test(f) || f.endsWith('.tsbuildinfo'))).toEqual([]);

      const project = join(work, 'project');
      const modules = join(project, 'node_modules');
      await mkdir(modules, { recursive: true });
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module', dependencies: { kite: '0.1.0' } }));
      await run('tar', ['-xzf', join(work, packed!.filename), '-C', work]);
      await rename(join(work, 'package'), join(modules, 'kite'));
      const pkg = JSON.parse(await readFile(join(modules, 'kite', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      for (const name of Object.keys(pkg.dependencies)) {
        await mkdir(dirname(join(modules, name)), { recursive: true });
        await symlink(join(REPO, 'node_modules', name), join(modules, name), 'dir');
      }

      const { plugin, path } = await execKubeconfig({ tokens: [token], expiresInMs: 3_600_000 });
      const kite = (args: string[]) =>
        new Promise<RunResult>((done) => {
          execFile(process.execPath, [join(modules, 'kite', 'bin', 'kite.js'), ...args], { cwd: project }, (err, out, stderr) =>
            done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout: out, stderr }),
          );
        });
      const get = await kite(['get', 'nodes', '--kubeconfig', path]);
      expect(get.stderr).toBe('');
      expect(get.code).toBe(0);
      expect(get.stdout).toMatch(/kite-node-1\s+Ready/);

      await writeFile(
        join(project, 'stack.ts'),
        "import { Stack, Namespace, App } from 'kite';\nconst stack = new Stack('packed');\nnew App(new Namespace(stack, 'packed'), 'web', { image: 'nginx:1', replicas: 2, port: 80 });\nexport default stack;\n",
      );
      const plan = await kite(['plan', 'stack.ts', '--kubeconfig', path, '--detailed-exitcode']);
      expect(plan.stdout).toMatch(/packed\/ReplicaSet\/web\s+create/);
      expect(plan.code, plan.stderr).toBe(2);
      expect(await plugin.calls()).toHaveLength(2);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 90_000);
});

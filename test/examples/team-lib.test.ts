// The construct library example: a team's WebService used by two stacks through npm workspaces,
// its team policy catching a disallowed image at the user's line, and an upgrade of the library
// whose plan shows exactly what the new version changes.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { cliFixture } from '../commands/cli-fixture.ts';
import { REPO, runKite, scratchDir, writeFiles } from '../support/kite.ts';

interface Container {
  image: string;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  readinessProbe?: unknown;
}
interface Workload extends KubeObject {
  spec: { replicas: number; template: { spec: { containers: Container[] } } };
}

async function synth(file: string): Promise<{ objects: KubeObject[]; stderr: string }> {
  const r = await runKite(['synth', file, '--stdout']);
  expect(r.code, r.stderr).toBe(0);
  return { objects: parseAllDocuments(r.stdout).map((d) => d.toJS() as KubeObject), stderr: r.stderr };
}

const workload = (objects: KubeObject[]) => objects.find((o) => o.kind === 'ReplicaSet') as Workload;

describe('the team stacks', () => {
  it('checkout: the team defaults, three replicas', async () => {
    const { objects, stderr } = await synth('examples/team-stacks/checkout/stack.ts');
    // The library follows kite's best practices: nothing to warn about.
    expect(stderr).toBe('');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/shop', 'Service/checkout', 'ReplicaSet/checkout']);
    const rs = workload(objects);
    expect(rs.spec.replicas).toBe(3);
    expect(rs.metadata.labels?.team).toBe('web');
    const c = rs.spec.template.spec.containers[0]!;
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(c.readinessProbe).toBeDefined();
  });

  it('search: the team defaults, more memory', async () => {
    const { objects, stderr } = await synth('examples/team-stacks/search/stack.ts');
    expect(stderr).toBe('');
    const rs = workload(objects);
    expect(rs.spec.replicas).toBe(2);
    expect(rs.spec.template.spec.containers[0]!.resources.limits).toEqual({ memory: '512Mi' });
    expect(objects.find((o) => o.kind === 'Service')?.metadata.name).toBe('search');
  });
});

describe("the library's team policy", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails a disallowed image at the line that used the library, with the construct path and the library line', async () => {
    const program = `import { Stack, Namespace } from 'kite';
import { WebService } from '@kite-examples/team-lib';

const stack = new Stack('rogue');
const ns = new Namespace(stack, 'rogue');
new WebService(ns, 'miner', { image: 'evil.example.com/miner:1.0', team: 'web' });

export default stack;
`;
    await writeFiles(dir, { 'stack.ts': program });
    const file = relative(REPO, join(dir, 'stack.ts'));
    const r = await runKite(['synth', file, '--stdout']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^${file.replaceAll('.', '\\.')}:6:1: rogue/ReplicaSet/miner: spec\\.template\\.spec\\.containers\\[miner\\]\\.image: \\[allowed-registries\\] image evil\\.example\\.com/miner:1\\.0 is not from an allowed registry \\(registry\\.acme\\.dev, docker\\.io/jonbaier\\) \\(construct rogue/rogue/miner, via examples/team-lib/src/web-service\\.ts:\\d+\\)$`,
        'm',
      ),
    );
    expect(r.stderr).toMatch(/^1 error$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('upgrading the library', () => {
  const fx = cliFixture({ simulate: true });
  const lib = () => join(fx.dir, 'node_modules/@kite-examples/team-lib');

  beforeAll(async () => {
    // The project pins 1.0.0 (an installed copy, as npm would put it in node_modules).
    await cp(join(REPO, 'examples/team-lib'), lib(), { recursive: true });
  });

  afterAll(async () => {
    await rm(fx.dir, { recursive: true, force: true });
  });

  it('kite plan shows exactly what the new version changes', { timeout: 180_000 }, async () => {
    await writeFiles(fx.dir, {
      'stack.ts': `import { Stack, Namespace } from 'kite';
import { WebService } from '@kite-examples/team-lib';

const stack = new Stack('upgrade');
new WebService(new Namespace(stack, 'upgrade'), 'web', { image: 'jonbaier/node-express-info:latest', team: 'web' });
export default stack;
`,
    });
    const file = join(fx.dir, 'stack.ts');
    const apply = await fx.kite(['apply', file, '--yes', '--timeout', '60s']);
    expect(apply.code, apply.stderr).toBe(0);
    const clean = await fx.kite(['plan', file, '--detailed-exitcode']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);

    // 1.1.0 raises the default memory limit: a behaviour change of every stack that uses the default.
    const source = join(lib(), 'src/web-service.ts');
    await writeFile(source, (await readFile(source, 'utf8')).replace("limits: { memory: '256Mi' }", "limits: { memory: '384Mi' }"));
    const pkg = join(lib(), 'package.json');
    await writeFile(pkg, (await readFile(pkg, 'utf8')).replace('"version": "1.0.0"', '"version": "1.1.0"'));

    const plan = await fx.kite(['plan', file, '--detailed-exitcode', '--no-color']);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('      ~ spec.template.spec.containers[web].resources.limits.memory: 256Mi → 384Mi\n');
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy.');
    const json = await fx.kite(['plan', file, '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const actions = (JSON.parse(json.stdout) as { actions: Array<{ action: string; ref: { kind: string; name: string }; changes: Array<{ path: string }> }> }).actions;
    const changed = actions.filter((a) => a.action !== 'no-op');
    expect(changed.map((a) => [a.action, a.ref.kind, a.ref.name, a.changes.map((c) => c.path)])).toEqual([
      ['update', 'ReplicaSet', 'web', ['spec.template.spec.containers[web].resources.limits.memory']],
    ]);
  });

  // The installed copy is under node_modules: the library frame is named from its package.
  it('a policy error fails plan and apply with exit 1, and nothing is applied', { timeout: 120_000 }, async () => {
    await writeFiles(fx.dir, {
      'rogue.ts': `import { Stack, Namespace } from 'kite';
import { WebService } from '@kite-examples/team-lib';

const stack = new Stack('rogue');
new WebService(new Namespace(stack, 'rogue'), 'miner', { image: 'evil.example.com/miner:1.0', team: 'web' });
export default stack;
`,
    });
    const file = join(fx.dir, 'rogue.ts');
    for (const args of [['plan', file], ['apply', file, '--yes']]) {
      const r = await fx.kite(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toMatch(/rogue\.ts:5:\d+: rogue\/ReplicaSet\/miner: spec\.template\.spec\.containers\[miner\]\.image: \[allowed-registries\] .* \(construct rogue\/rogue\/miner, via @kite-examples\/team-lib\/src\/web-service\.ts:\d+\)$/m);
    }
    expect((await fx.rt.kubectl(['get', 'namespace', 'rogue'])).stderr).toMatch(/NotFound/);
  });
});

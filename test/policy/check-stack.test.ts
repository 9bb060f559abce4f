// A program's policies: the stack's rules on every object, rules attached to a subtree on that
// subtree only, the built-in best practices at the stack's mode (or --best-practices), all
// violations collected, each at the user's line with the construct path.
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runKite, scratchDir, writeFiles } from '../support/kite.ts';

const PROGRAM = `import { Stack, Namespace, App, addPolicy, policies, type PolicyRule } from 'kite';

const broken: PolicyRule = { name: 'broken', description: 'throws', check() { throw new Error('oops'); } };
const stack = new Stack('shop', { policies: { bestPractices: 'error', rules: [policies.requiredLabels(['team'], 'warning')] } });
const prod = new Namespace(stack, 'prod', { labels: { team: 'web' } });
const api = new App(prod, 'api', { image: 'nginx:1.27', port: 8080, health: '/healthz', resources: { cpu: '100m', memory: '64Mi' }, labels: { team: 'web' } });
addPolicy(api, policies.allowedRegistries(['registry.acme.dev']));
addPolicy(api, broken);
api.expose();
new App(prod, 'worker', { image: 'nginx:1.27', resources: { cpu: '100m', limits: { memory: '128Mi' } }, labels: { team: 'web' } });

export default stack;
`;

const LENIENT = `import { Stack, Namespace, App, addPolicy, policies } from 'kite';

const stack = new Stack('lenient');
const ns = new Namespace(stack, 'lenient');
const app = new App(ns, 'api', { image: 'nginx:1.27', resources: { cpu: '100m' } });
addPolicy(app, policies.memoryLimits());

export default stack;
`;

let dir: string;
let program: string;
let lenient: string;

beforeAll(async () => {
  dir = await scratchDir();
  await writeFiles(dir, { 'stack.ts': PROGRAM, 'lenient.ts': LENIENT });
  program = relative(REPO, join(dir, 'stack.ts'));
  lenient = relative(REPO, join(dir, 'lenient.ts'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('policies of a program', () => {
  it('collects every violation with rule, object, field path, construct and user line; errors fail with exit 1', async () => {
    const r = await runKite(['validate', program]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const lines = r.stderr.split('\n');
    const at = (line: number) => new RegExp(`^${program.replaceAll('.', '\\.')}:${line}:\\d+: `);
    const api = lines.filter((l) => at(6).test(l));
    expect(api.map((l) => l.replace(at(6), ''))).toEqual(
      expect.arrayContaining([
        'prod/ReplicaSet/api: spec.template.spec.containers[api].resources.limits.memory: [container-memory-limits] every container needs a memory limit (construct shop/prod/api)',
        'prod/ReplicaSet/api: spec.template.spec.containers[api].image: [allowed-registries] image nginx:1.27 is not from an allowed registry (registry.acme.dev) (construct shop/prod/api)',
        'prod/ReplicaSet/api: [broken] the rule failed: oops (construct shop/prod/api)',
      ]),
    );
    // The Service that expose() makes (line 9) has no team label: a warning, the severity the stack's rule asked for.
    expect(lines.filter((l) => l.includes('[required-labels]'))).toEqual([
      expect.stringMatching(/:9:\d+: prod\/Service\/api: metadata\.labels\[team\]: warning: \[required-labels\] the label team is required \(construct shop\/prod\/api\/service\)$/),
    ]);
    // The worker is outside the api's subtree: only the built-ins apply to it (it follows them).
    expect(r.stderr).not.toMatch(/ReplicaSet\/worker/);
    // The broken rule fails on both objects of the subtree: the ReplicaSet and the Service.
    expect(lines.filter((l) => l.includes('[broken]'))).toHaveLength(2);
    expect(r.stderr).toMatch(/^4 errors$/m);
  });

  it('--best-practices overrides the stack: off leaves the attached rules', async () => {
    const r = await runKite(['validate', '--best-practices', 'off', program]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('[container-memory-limits]');
    expect(r.stderr).toContain('[allowed-registries]');
    expect(r.stderr).toMatch(/^3 errors$/m);
  });

  it('built-ins warn by default; a rule attached as an error and built in runs once, as the error', async () => {
    const r = await runKite(['validate', lenient]);
    expect(r.code).toBe(1);
    const policy = r.stderr.split('\n').filter((l) => l.includes('['));
    expect(policy).toEqual([`${lenient}:5:13: lenient/ReplicaSet/api: spec.template.spec.containers[api].resources.limits.memory: [container-memory-limits] every container needs a memory limit (construct lenient/lenient/api)`]);
    const off = await runKite(['synth', '--stdout', lenient, '--best-practices', 'off']);
    expect(off.code).toBe(1);
    const warned = await runKite(['validate', '--best-practices', 'warning', program]);
    expect(warned.stderr).toMatch(/: warning: \[container-memory-limits\]/);
  });
});

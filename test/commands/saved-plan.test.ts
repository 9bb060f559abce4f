// Issue 8, point 6: `kite apply plan.json` refuses a saved plan if anything but status changed
// since it was made — a field the plan changes, or an annotation someone added — and writes nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFiles } from '../support/kite.ts';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture();
const kite = fx.kite;

const program = (replicas: number) => `import { Stack, Namespace, App } from 'kite';
const stack = new Stack('saved');
const ns = new Namespace(stack, 'saved');
new App(ns, 'api', { image: 'api:1', replicas: ${replicas}, port: 8080 }).expose({ port: 80 });
export default stack;
`;

async function rs(): Promise<{ metadata: { resourceVersion: string; annotations?: Record<string, string> }; spec: { replicas: number } }> {
  return JSON.parse((await fx.rt.kubectl(['get', 'rs', 'api', '-n', 'saved', '-o', 'json'])).stdout);
}

describe('a saved plan and changes made outside kite since', () => {
  it('is refused when someone annotated an object, or changed a field the plan changes; planned again, it applies', async () => {
    const file = join(fx.dir, 'stack.ts');
    await writeFiles(fx.dir, { 'stack.ts': program(2) });
    expect((await kite(['apply', file, '--yes', '--no-typecheck'])).code).toBe(0);
    await writeFiles(fx.dir, { 'stack.ts': program(3) });
    const planFile = join(fx.dir, 'plan.json');

    // An annotation on the Service, which the plan leaves unchanged.
    expect((await kite(['plan', file, '--out', planFile, '--no-typecheck'])).code).toBe(0);
    expect((await fx.rt.kubectl(['annotate', 'svc', 'api', '-n', 'saved', 'owner=payments'])).code).toBe(0);
    const before = await rs();
    const annotated = await kite(['apply', planFile]);
    expect(annotated.stderr).toMatch(/^error: stale plan: saved\/Service\/api changed since the plan was made \(resourceVersion \d+, now \d+\); run kite plan again$/m);
    expect(annotated.code).toBe(1);
    expect((await rs()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    // The field the plan changes.
    expect((await kite(['plan', file, '--out', planFile, '--no-typecheck'])).code).toBe(0);
    expect((await fx.rt.kubectl(['scale', 'rs', 'api', '-n', 'saved', '--replicas=5'])).code).toBe(0);
    const scaled = await kite(['apply', planFile]);
    expect(scaled.stderr).toMatch(/^error: stale plan: saved\/ReplicaSet\/api changed since the plan was made \(resourceVersion \d+, now \d+\); run kite plan again$/m);
    expect(scaled.code).toBe(1);
    expect((await rs()).spec.replicas).toBe(5);

    // Planned again: the plan restores replicas; the annotation is not kite's and stays.
    expect((await kite(['plan', file, '--out', planFile, '--no-typecheck'])).code).toBe(0);
    const applied = await kite(['apply', planFile, '--timeout', '30s']);
    expect(applied.stderr).toMatch(/Apply complete: 1 updated/);
    expect(applied.code).toBe(0);
    expect((await rs()).spec.replicas).toBe(3);
    const svc = JSON.parse((await fx.rt.kubectl(['get', 'svc', 'api', '-n', 'saved', '-o', 'json'])).stdout) as { metadata: { annotations: Record<string, string> } };
    expect(svc.metadata.annotations.owner).toBe('payments');
  });
});

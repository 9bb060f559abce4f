// Issue 14, splitting a stack (Terraform's `moved`, for stacks): objects stack b declares that are
// members of stack a move into b with `adoptFrom` / `--adopt-from`, uids kept; a no longer sees
// them, so never prunes them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../runtime/harness.ts';
import { writeFiles } from '../support/kite.ts';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture();

const WORKER = `new ReplicaSet(stack, 'worker', { spec: { replicas: 2, selector: { matchLabels: { app: 'worker' } }, template: { metadata: { labels: { app: 'worker' } }, spec: { containers: [{ name: 'w', image: 'worker:1' }] } } } });`;
const DB1 = `new ExternalDb(stack, 'db1', { host: 'one.example.com' });`;
const DB2 = `new ExternalDb(stack, 'db2', { host: 'two.example.com' });`;

function program(stack: string, props: string, body: string[]): string {
  const kinds = ['Stack', 'ExternalDb', ...(body.includes(WORKER) ? ['ReplicaSet'] : [])];
  return `import { ${kinds.join(', ')} } from 'kite';
const stack = new Stack('${stack}'${props ? `, ${props}` : ''});
${body.join('\n')}
export default stack;
`;
}

async function uidOf(what: string): Promise<string> {
  const r = await fx.rt.kubectl(['get', what, '-n', 'default', '-o', 'jsonpath={.metadata.uid}']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function workerPods(): Promise<string[]> {
  const r = await fx.rt.kubectl(['get', 'pods', '-n', 'default', '-l', 'app=worker', '-o', 'jsonpath={range .items[*]}{.metadata.uid}{"\\n"}{end}']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('moving objects between stacks', () => {
  it('moves what stack b declares out of stack a without recreating it; a then prunes nothing', { timeout: 240_000 }, async () => {
    await writeFiles(fx.dir, {
      'a.ts': program('a', '', [DB1, DB2, WORKER]),
      'a-split.ts': program('a', '', [DB2]),
      'b.ts': program('b', "{ adoptFrom: ['a'] }", [DB1, WORKER]),
      'b-plain.ts': program('b', '', [DB1, WORKER]),
    });
    const file = (f: string) => join(fx.dir, f);
    const applyA = await fx.kite(['apply', file('a.ts'), '--yes', '--timeout', '60s']);
    expect(applyA.code, applyA.stdout + applyA.stderr).toBe(0);
    await eventually(async () => (await workerPods()).length === 2, { timeoutMs: 30_000, what: "the worker's 2 pods" });
    const before = { db1: await uidOf('service/db1'), worker: await uidOf('replicaset/worker'), pods: await workerPods() };

    // Without adoptFrom, b may not take a's objects: the refusal names stack a and the way out.
    const refused = await fx.kite(['plan', file('b-plain.ts')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/default\/Service\/db1 belongs to kite stack a/);
    expect(refused.stderr).toMatch(/--adopt-from/);

    // The flag and the program's declaration plan the same moves.
    const flagged = await fx.kite(['plan', file('b-plain.ts'), '--adopt-from', 'a', '--detailed-exitcode', '--no-color']);
    expect(flagged.code, flagged.stdout + flagged.stderr).toBe(2);
    expect(flagged.stdout).toMatch(/→ default\/Service\/db1\s+move\s+\(from stack a\)/);
    expect(flagged.stdout).toMatch(/→ default\/ReplicaSet\/worker\s+move\s+\(from stack a\)/);
    expect(flagged.stdout).toMatch(/^No changes to objects; 2 to move into stack b\.$/m);
    const declared = await fx.kite(['plan', file('b.ts'), '--no-color']);
    expect(declared.code, declared.stderr).toBe(0);
    expect(declared.stdout).toBe(flagged.stdout);

    const applyB = await fx.kite(['apply', file('b.ts'), '--yes', '--timeout', '60s']);
    expect(applyB.code, applyB.stdout + applyB.stderr).toBe(0);
    expect(applyB.stdout + applyB.stderr).toMatch(/Apply complete: 2 moved/);
    expect({ db1: await uidOf('service/db1'), worker: await uidOf('replicaset/worker'), pods: await workerPods() }).toEqual(before);
    const bAgain = await fx.kite(['plan', file('b.ts'), '--detailed-exitcode']);
    expect(bAgain.stdout, bAgain.stderr).toMatch(/^No changes\. The cluster matches stack b\./m);
    expect(bAgain.code).toBe(0);

    // Stack a's old program still declares them: refused, naming stack b.
    const aOld = await fx.kite(['plan', file('a.ts')]);
    expect(aOld.code).toBe(1);
    expect(aOld.stderr).toMatch(/belongs to kite stack b/);

    // Stack a's split program: the moved objects are no longer its members, so nothing is deleted.
    const aPlan = await fx.kite(['plan', file('a-split.ts'), '--detailed-exitcode']);
    expect(aPlan.stdout, aPlan.stderr).toMatch(/^No changes\. The cluster matches stack a\./m);
    expect(aPlan.code).toBe(0);
    const aApply = await fx.kite(['apply', file('a-split.ts'), '--yes', '--timeout', '60s']);
    expect(aApply.code, aApply.stdout + aApply.stderr).toBe(0);
    expect({ db1: await uidOf('service/db1'), worker: await uidOf('replicaset/worker'), pods: await workerPods() }).toEqual(before);
    expect(await uidOf('service/db2')).toMatch(/\S/);
  });
});

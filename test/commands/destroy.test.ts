// Issue 8, points 7 and 10: `kite destroy` keeps a namespace that holds objects kite did not
// create, and says so — in the plan, in the summary, and again on a later destroy, which is not
// "No changes" while the namespace and the inventory remain. Its messages say destroy.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture } from './cli-fixture.ts';

const fx = cliFixture({ nodes: 1 });
const kite = fx.kite;

const KEPT_NS = /^ {2}~ Namespace\/keep\s+kept\s+\(it holds 1 object kite did not create: keep\/ConfigMap\/theirs; deleting it would delete them\)$/m;
const KEPT_PARENT = /^ {2}~ default\/Secret\/kite-stack-keep\s+kept\s+\(the stack's inventory \(ApplySet parent\), kept with Namespace\/keep\)$/m;

describe('kite destroy', () => {
  it('keeps a namespace holding objects kite did not create, says what and why, and finishes once they are gone', async () => {
    const file = join(fx.dir, 'keep.yaml');
    const docs = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ours', namespace: 'keep' }, data: { a: 'b' } },
    ];
    await writeFile(file, docs.map((d) => JSON.stringify(d)).join('\n---\n'));
    expect((await kite(['apply', file, '--stack', 'keep', '--yes'])).code).toBe(0);
    const theirs = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'keep' }, data: { c: 'd' } };
    expect((await fx.rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(theirs) })).code).toBe(0);

    // Without a terminal or --yes: refused, in destroy's words.
    const unconfirmed = await kite(['destroy', '--stack', 'keep']);
    expect(unconfirmed.stderr).toMatch(/^error: refusing to destroy without confirmation: run in a terminal, or pass --yes \(pipelines\)$/m);
    expect(unconfirmed.code).toBe(1);

    const first = await kite(['destroy', '--stack', 'keep', '--yes']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^ {2}- keep\/ConfigMap\/ours\s+delete\s+\(kite destroy\)$/m);
    expect(first.stdout).toMatch(KEPT_NS);
    expect(first.stdout).toMatch(KEPT_PARENT);
    expect(first.stdout).toMatch(/^Plan: 0 to add, 0 to change, 0 to replace, 1 to destroy, 2 kept\.$/m);
    expect(first.stderr).toMatch(/^Destroy complete: 1 deleted, 2 kept\.\n {2}Kept \(2\):\n {4}Namespace\/keep: it holds 1 object kite did not create/m);
    expect(first.stderr).not.toMatch(/\bApply\b/);

    // Again: not "No changes" — the namespace and the inventory remain, and it says why.
    const second = await kite(['destroy', '--stack', 'keep', '--yes']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toMatch(/No changes/);
    expect(second.stdout).toMatch(KEPT_NS);
    expect(second.stdout).toMatch(KEPT_PARENT);
    expect(second.stdout).toMatch(/^Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 2 kept\.$/m);
    expect(second.stderr).toMatch(
      /^Stack keep is not destroyed: Namespace\/keep and default\/Secret\/kite-stack-keep are kept \(see above\)\. Once the objects kite did not create are gone, run kite destroy again\.$/m,
    );
    expect((await fx.rt.kubectl(['get', 'namespace', 'keep'])).code).toBe(0);
    expect((await fx.rt.kubectl(['get', 'secret', 'kite-stack-keep', '-n', 'default'])).code).toBe(0);

    // Once theirs is gone, destroy finishes: the namespace, then the inventory.
    expect((await fx.rt.kubectl(['delete', 'configmap', 'theirs', '-n', 'keep'])).code).toBe(0);
    const third = await kite(['destroy', '--stack', 'keep', '--yes']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/^ {2}- Namespace\/keep\s+delete/m);
    expect(third.stdout).toMatch(/^ {2}- default\/Secret\/kite-stack-keep\s+delete/m);
    expect(third.stderr).toMatch(/^Destroy complete: 2 deleted\.$/m);

    const fourth = await kite(['destroy', '--stack', 'keep', '--yes']);
    expect(fourth.code).toBe(0);
    expect(fourth.stdout).toBe('Nothing to destroy: stack keep has no inventory on context kite-local (default/Secret/kite-stack-keep).\n');
  });
});

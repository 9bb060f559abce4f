// The stack lock under a long apply: `kite apply` (in process, its lease shortened to 2 s through
// its options) waits longer than three lease durations and keeps its lock all along; every other
// run is refused the whole time, and the real CLI refuses before printing the plan.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { applyCommand } from '../../commands/apply.ts';
import { acquireLock, forceUnlock, LockedError, readLock } from '../../lib/plan/lock.ts';
import { runKite, scratchDir } from '../support/kite.ts';
import { eventually } from '../runtime/harness.ts';
import { runtimeForFile } from '../support/runtime-client.ts';

const env = runtimeForFile({ nodes: 1 });
let dir: string;

beforeAll(async () => {
  dir = await scratchDir();
});

/** A bare pod whose env (immutable on a Pod) is `version`: changing it is a replace. */
async function podFile(version: number, name = 'web'): Promise<string> {
  const file = join(dir, `${name}-${version}.yaml`);
  await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', env: [{ name: 'V', value: String(version) }] }] } }));
  return file;
}

const hold = (pod: string) => env.rt.kubectl(['patch', 'pod', pod, '--type', 'merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
const unhold = (pod: string) => env.rt.kubectl(['patch', 'pod', pod, '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);

it('an apply held longer than its lease keeps the lock; a second apply is refused the whole time, before its plan is printed', async () => {
  const kite = (args: string[]) => runKite([...args, '--stack', 'web', '--state-dir', env.rt.dir]);
  expect((await kite(['apply', await podFile(1), '--yes'])).code).toBe(0);
  // The old pod cannot go away: the replace waits for it until the apply's deadline.
  expect((await hold('web')).code).toBe(0);
  const v2 = await podFile(2);
  try {
    let output = '';
    const io = { out: (t: string) => (output += t), err: (t: string) => (output += t) };
    const started = Date.now();
    let finished = false;
    const apply = applyCommand({ input: v2, stack: 'web', typecheck: false, yes: true, allowReplace: true, forceUnlock: false, wait: true, timeoutMs: 7000, color: false, target: { stateDir: env.rt.dir }, lock: { durationSeconds: 2 } }, io).finally(
      () => (finished = true),
    );
    await eventually(() => /waiting for default\/Pod\/web to terminate/.test(output), { what: 'the apply waiting for the old pod', timeoutMs: 10_000 });

    // The real CLI, meanwhile: refused before it prints the plan.
    const second = await kite(['apply', v2, '--yes', '--allow-replace']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^error: stack web is locked by \S+@\S+ \(pid \d+\) since .* \(Lease default\/kite-lock-web\); if that run is dead, run with --force-unlock$/m);
    expect(second.stdout).not.toMatch(/will perform|replace/);

    // Every other try, until the apply ends (its summary is printed before it releases the lock), is refused too.
    let refusals = 0;
    let grantedDuringApply = 0;
    await eventually(
      async () => {
        if (finished) return true;
        const got = await acquireLock(env.client, 'web', { holder: 'second' }).catch((e: unknown) => e as Error);
        if (got instanceof LockedError) {
          refusals++;
          return false;
        }
        if (got instanceof Error) throw got;
        await got.release();
        if (!/^Apply timed out/m.test(output)) grantedDuringApply++;
        return finished;
      },
      { timeoutMs: 30_000, what: 'the apply to end' },
    );
    const code = await apply;
    expect(grantedDuringApply).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(3 * 2000); // longer than three lease durations
    expect(refusals).toBeGreaterThan(3);
    expect(code).toBe(1);
    expect(output).toMatch(/^Apply timed out after \S+: the --timeout of 7 s passed\.$/m);
    expect(output).not.toMatch(/lost the lock/);
    expect(await readLock(env.client, 'web')).toBeUndefined(); // released at the end
  } finally {
    await unhold('web');
  }
}, 90_000);

it('an apply whose lock is taken from it (force-unlocked) stops writing, says so, and exits 1', async () => {
  const kite = (args: string[]) => runKite([...args, '--stack', 'robbed', '--state-dir', env.rt.dir]);
  expect((await kite(['apply', await podFile(1, 'robbed'), '--yes'])).code).toBe(0);
  expect((await hold('robbed')).code).toBe(0);
  try {
    let output = '';
    const io = { out: (t: string) => (output += t), err: (t: string) => (output += t) };
    const input = await podFile(2, 'robbed');
    const apply = applyCommand({ input, stack: 'robbed', typecheck: false, yes: true, allowReplace: true, forceUnlock: false, wait: true, timeoutMs: 60_000, color: false, target: { stateDir: env.rt.dir }, lock: { durationSeconds: 2 } }, io);
    await eventually(() => /waiting for default\/Pod\/robbed to terminate/.test(output), { what: 'the apply waiting for the old pod', timeoutMs: 10_000 });
    expect(await forceUnlock(env.client, 'robbed')).toMatchObject({ stack: 'robbed' }); // what `--force-unlock` does from another run
    expect(await apply).toBe(1);
    expect(output).toMatch(/^Apply stopped after \S+: lost the lock of stack robbed \(Lease default\/kite-lock-robbed\): it was removed \(--force-unlock\?\)\.$/m);
  } finally {
    await unhold('robbed');
  }
}, 90_000);

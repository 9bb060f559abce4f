// `kite apply` when the cluster goes away mid-apply: the runtime is killed (SIGKILL of its
// `kite up`) while apply waits for readiness. The summary still says what was applied, and that the
// stack's lock could not be released and until when it holds; exit 1. The real CLI throughout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { KITE_BIN, REPO } from '../support/kite.ts';
import { eventually } from '../runtime/harness.ts';

const children = new Set<ChildProcess>();
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

/** The CLI as a child process whose stderr is read as it comes. */
function kiteChild(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [KITE_BIN, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (children.delete(child), resolve(code))));
  return { child, stderr: () => err, exited };
}

it('the runtime killed while apply waits for readiness: the summary, the lock left held until its expiry, exit 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kite-gone-'));
  try {
    const up = kiteChild(['up', '--simulate', '--nodes', '1', '--state-dir', dir]);
    await eventually(() => /control plane ready/.test(up.stderr()), { what: 'kite up', timeoutMs: 30_000 });
    // Bound to a node that does not exist: Pending for as long as apply waits.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stuck', namespace: 'default' }, spec: { nodeName: 'ghost', containers: [{ name: 'web', image: 'nginx:1.25' }] } };
    await writeFile(join(dir, 'pod.yaml'), JSON.stringify(pod));

    const apply = kiteChild(['apply', join(dir, 'pod.yaml'), '--stack', 'shop', '--yes', '--timeout', '60s', '--state-dir', dir]);
    await eventually(() => /^default\/Pod\/stuck: Pending$/m.test(apply.stderr()), { what: 'apply waiting for readiness', timeoutMs: 30_000 });
    up.child.kill('SIGKILL');
    await up.exited;
    const code = await apply.exited;

    const err = apply.stderr();
    expect(code, err).toBe(1);
    expect(err).toMatch(/^Apply stopped after \d+\.\ds: cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+: connection refused/m);
    expect(err).toMatch(/^ {2}Applied \(1\): 1 created\n {4}default\/Pod\/stuck {2}created$/m);
    const lock = /^the lock of stack shop \(Lease default\/kite-lock-shop\) could not be released: it expires at (\d\d:\d\d:\d\d) \(in (\d+) s\), or run with --force-unlock$/m.exec(err);
    expect(lock, err).not.toBeNull();
    expect(Number(lock![2])).toBeGreaterThan(0);
    expect(Number(lock![2])).toBeLessThanOrEqual(60);
    expect(err).not.toMatch(/internal error/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

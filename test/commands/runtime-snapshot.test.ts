// `kite up --detach` starts its runtime from the build's V8 startup snapshot when the blob was made
// by this node for this directory, and as plain `kite up` otherwise: when the record differs, when
// it is switched off, and when the blob does not load. Each path must give a working runtime.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentSnapshotRecord, SNAPSHOT_BLOB, SNAPSHOT_RECORD_SUFFIX, usableRuntimeSnapshot } from '../../commands/runtime-snapshot.ts';
import { KITE_BIN, REPO, scratchDir } from '../support/kite.ts';

const BUILT_BLOB = join(REPO, 'build', SNAPSHOT_BLOB);

function kite(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [KITE_BIN, ...args], { cwd: REPO, env: { ...process.env, ...env } }, (err, _stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stderr }),
    );
  });
}

const running: string[] = [];
afterAll(async () => {
  for (const dir of running) await kite(['down', '--state-dir', dir]);
});

/** `kite up --detach` on a fresh dir; the runtime's command line, and what kubectl sees of its node. */
async function upDetached(env: NodeJS.ProcessEnv = {}): Promise<{ dir: string; cmdline: string[]; stderr: string }> {
  const dir = join(await scratchDir(), 'state');
  const up = await kite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir], env);
  expect(up.stderr).toMatch(/kite control plane ready in/);
  expect(up.code).toBe(0);
  running.push(dir);
  const { pid } = JSON.parse(await readFile(join(dir, 'runtime.json'), 'utf8')) as { pid: number };
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return { dir, cmdline, stderr: up.stderr };
}

/** The runtime answers kubectl with its node Ready, then `kite down` stops it. */
async function expectWorking(dir: string): Promise<void> {
  const nodes = await new Promise<string>((done, fail) =>
    execFile('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), 'get', 'nodes', '--no-headers'], (err, stdout, stderr) => (err ? fail(new Error(stderr)) : done(stdout))),
  );
  expect(nodes).toMatch(/^kite-node-1\s+Ready/);
  const down = await kite(['down', '--state-dir', dir]);
  expect(down.code).toBe(0);
  running.splice(running.indexOf(dir), 1);
}

describe('which start the runtime gets', () => {
  it("uses the build's blob when its record matches this node and directory", () => {
    expect(existsSync(BUILT_BLOB)).toBe(true);
    expect(usableRuntimeSnapshot(REPO)).toBe(BUILT_BLOB);
  });

  it('starts plain when the record is of another node, missing, or the snapshot is switched off', async () => {
    const root = await scratchDir();
    await mkdir(join(root, 'build'));
    const blob = join(root, 'build', SNAPSHOT_BLOB);
    await writeFile(blob, 'not a snapshot');
    expect(usableRuntimeSnapshot(root)).toBeUndefined(); // no record
    await writeFile(blob + SNAPSHOT_RECORD_SUFFIX, JSON.stringify({ ...currentSnapshotRecord(root), node: 'v0.0.0' }));
    expect(usableRuntimeSnapshot(root)).toBeUndefined();
    await writeFile(blob + SNAPSHOT_RECORD_SUFFIX, JSON.stringify({ ...currentSnapshotRecord(root), root: REPO }));
    expect(usableRuntimeSnapshot(root)).toBeUndefined(); // made for another directory
    await writeFile(blob + SNAPSHOT_RECORD_SUFFIX, JSON.stringify(currentSnapshotRecord(root)));
    expect(usableRuntimeSnapshot(root)).toBe(blob);
    process.env.KITE_RUNTIME_SNAPSHOT = '0';
    try {
      expect(usableRuntimeSnapshot(root)).toBeUndefined();
    } finally {
      delete process.env.KITE_RUNTIME_SNAPSHOT;
    }
  });
});

describe('kite up --detach', () => {
  it('from the snapshot: a working runtime', async () => {
    const { dir, cmdline } = await upDetached();
    expect(cmdline).toContain('--snapshot-blob');
    expect(cmdline).toContain(BUILT_BLOB);
    await expectWorking(dir);
  }, 60_000);

  it('without it (KITE_RUNTIME_SNAPSHOT=0): a working runtime', async () => {
    const { dir, cmdline } = await upDetached({ KITE_RUNTIME_SNAPSHOT: '0' });
    expect(cmdline).not.toContain('--snapshot-blob');
    expect(cmdline).toEqual(expect.arrayContaining(['up', '--simulate']));
    await expectWorking(dir);
  }, 60_000);

  it('falls back to the plain start when the blob does not load', async () => {
    // A blob whose record matches but whose bytes are not a snapshot: node cannot deserialize it.
    const blob = join(await scratchDir(), 'bad.blob');
    await writeFile(blob, Buffer.alloc(4096, 7));
    await copyFile(BUILT_BLOB + SNAPSHOT_RECORD_SUFFIX, blob + SNAPSHOT_RECORD_SUFFIX);
    const { dir, cmdline } = await upDetached({ KITE_RUNTIME_SNAPSHOT: blob });
    expect(cmdline).not.toContain('--snapshot-blob');
    await expectWorking(dir);
  }, 60_000);

  it("reports the snapshot runtime's own failure without a second start", async () => {
    const dir = join(await scratchDir(), 'state');
    const first = await upDetached();
    const port = (JSON.parse(await readFile(join(first.dir, 'runtime.json'), 'utf8')) as { port: number }).port;
    // Another runtime's port: the second one fails after it was deserialized.
    const up = await kite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir, '--port', String(port)]);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/kite up failed/);
    const log = await readFile(join(dir, 'runtime.log'), 'utf8');
    // One start, one failure: not retried the plain way.
    expect(log.match(/EADDRINUSE/g)).toHaveLength(1);
    await expectWorking(first.dir);
  }, 60_000);
});

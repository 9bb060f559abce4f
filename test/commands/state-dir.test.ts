// The state dir as other local users and a careless operator meet it: private files (0700 dir,
// 0600 files, also after writes and for dirs made by older versions), and a runtime identified by
// more than its pid (a stale runtime.json naming an unrelated process is cleaned up, never killed;
// a second `kite up` on a busy dir is refused plainly).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../lib/kube/index.ts';
import { processAlive } from '../../runtime/process-identity.ts';
import { KITE_BIN, REPO, runKite } from '../support/kite.ts';
import { eventually } from '../runtime/harness.ts';

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const dir of dirs) {
    await runKite(['down', '--state-dir', dir]);
    await rm(dirname(dir), { recursive: true, force: true }); // the mkdtemp base holding it
  }
});

async function scratch(): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'kite-statedir-'));
  dirs.push(join(base, '.kite'));
  return join(base, '.kite');
}

/** A process that is not kite: its pid goes into runtime.json as a reused pid would. */
function unrelatedProcess(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Every entry of the dir with its permission bits, e.g. `{ '.': 0o700, 'state.db': 0o600 }`. */
async function modes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = { '.': (await stat(dir)).mode & 0o777 };
  for (const name of await readdir(dir)) out[name] = (await stat(join(dir, name))).mode & 0o777;
  return out;
}

function expectPrivate(m: Record<string, number>): void {
  for (const [name, mode] of Object.entries(m)) expect(`${name} ${mode.toString(8)}`).toBe(`${name} ${name === '.' ? '700' : '600'}`);
}

function clientOf(dir: string): KubeClient {
  const target = loadKubeconfig({ kubeconfig: join(dir, 'kubeconfig') });
  if (target instanceof KubeconfigError) throw target;
  return new KubeClient(target, { timeoutMs: 20_000, maxRetries: 0 });
}

/** Writes a Secret through the API, so the database and its WAL hold it. */
async function writeSecret(dir: string, name: string): Promise<void> {
  const client = clientOf(dir);
  try {
    await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, stringData: { password: 'hunter2' } });
  } finally {
    client.close();
  }
}

describe('file modes', () => {
  it('a fresh state dir is 0700 and every file in it 0600, the WAL included, after writes', async () => {
    const dir = await scratch();
    const up = await runKite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir]);
    expect(up.stderr).toMatch(/ready in/);
    expect(up.stderr).not.toMatch(/fixed permissions/);
    await writeSecret(dir, 'fresh');
    const m = await modes(dir);
    for (const file of ['state.db', 'state.db-wal', 'runtime.json', 'runtime.log', 'kubeconfig', 'token', 'ca.key', 'server.key']) expect(m).toHaveProperty([file]);
    expectPrivate(m);
    expect((await runKite(['down', '--state-dir', dir])).code).toBe(0);
    expectPrivate(await modes(dir));
  }, 60_000);

  it('a state dir made by an older kite (0755, 0644 files) is fixed on start, with a note', async () => {
    const dir = await scratch();
    expect((await runKite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir])).code).toBe(0);
    await writeSecret(dir, 'old');
    expect((await runKite(['down', '--state-dir', dir])).code).toBe(0);
    // As older versions left it: a WAL and -shm next to the database, everything world-readable.
    await writeFile(join(dir, 'state.db-shm'), '');
    await mkdir(join(dir, 'kubectl-cache'));
    for (const name of await readdir(dir)) await chmod(join(dir, name), name === 'kubectl-cache' ? 0o755 : 0o644);
    await chmod(dir, 0o755);

    const up = await runKite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir]);
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/note: fixed permissions of .*\.kite \(was 0755\), .*state\.db \(was 0644\)/);
    expect(up.stderr).toMatch(/kubectl-cache \(was 0755\)/);
    await writeSecret(dir, 'after');
    const m = await modes(dir);
    expect(m['kubectl-cache']).toBe(0o700);
    delete m['kubectl-cache'];
    expectPrivate(m);
    expect((await runKite(['down', '--state-dir', dir])).code).toBe(0);
  }, 60_000);
});

describe('which process is the runtime', () => {
  /** runtime.json as a runtime killed with -9 leaves it, its pid since reused by `pid`. */
  async function staleRecord(dir: string, pid: number, format: 'current' | 'older kite'): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const record = { pid, url: 'https://127.0.0.1:1', port: 1, kubeconfig: join(dir, 'kubeconfig'), startedAt: '2026-01-01T00:00:00Z', nodes: 1, simulate: true };
    // The killed runtime's start time, which the process now under its pid does not have.
    const processStart = format === 'current' ? { processStart: 'an-earlier-boot:12345' } : {};
    await writeFile(join(dir, 'runtime.json'), JSON.stringify({ ...record, ...processStart }), { mode: 0o600 });
  }

  for (const format of ['current', 'older kite'] as const) {
    it(`kite down does not kill an unrelated process named by a stale record (${format} format), and kite up starts`, async () => {
      const dir = await scratch();
      const sleeper = unrelatedProcess();
      await staleRecord(dir, sleeper.pid!, format);

      const down = await runKite(['down', '--state-dir', dir]);
      expect(down.code).toBe(0);
      expect(down.stderr).toMatch(new RegExp(`note: removed .*runtime\\.json, the record of a kite control plane that is gone \\(pid ${sleeper.pid} `));
      expect(down.stderr).toMatch(/no kite control plane running/);
      expect(processAlive(sleeper.pid!)).toBe(true);
      await expect(stat(join(dir, 'runtime.json'))).rejects.toThrow(/ENOENT/);

      await staleRecord(dir, sleeper.pid!, format);
      const up = await runKite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir]);
      expect(up.code).toBe(0);
      expect(up.stderr).toMatch(/note: removed .*runtime\.json/);
      expect(up.stderr).toMatch(/ready in/);
      const stop = await runKite(['down', '--state-dir', dir]);
      expect(stop.stderr).toMatch(/kite control plane stopped/);
      expect(processAlive(sleeper.pid!)).toBe(true);
      sleeper.kill('SIGKILL');
    }, 60_000);
  }

  it('a second kite up on a busy state dir exits 1 and says so plainly', async () => {
    const dir = await scratch();
    expect((await runKite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir])).code).toBe(0);
    const record = JSON.parse(await readFile(join(dir, 'runtime.json'), 'utf8')) as { pid: number; url: string };
    const second = await runKite(['up', '--detach', '--simulate', '--nodes', '1', '--state-dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`error: a kite control plane is already running on ${dir} (pid ${record.pid}, ${record.url}); kite down stops it\n`);
    expect((await runKite(['down', '--state-dir', dir])).code).toBe(0);
  }, 60_000);

  it("a kill -9'd runtime's record is cleaned up by the next status, with a note", async () => {
    const dir = await scratch();
    const child = spawn(process.execPath, [KITE_BIN, 'up', '--simulate', '--nodes', '1', '--state-dir', dir], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await eventually(() => /control plane ready/.test(err), { what: 'kite up', timeoutMs: 30_000 });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const status = await runKite(['status', '--state-dir', dir]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(new RegExp(`note: removed .*runtime\\.json, the record of a kite control plane that is gone \\(pid ${child.pid} is not running; was it killed\\?\\)`));
    expect(status.stderr).toMatch(/kite control plane is not running/);
    await expect(stat(join(dir, 'runtime.json'))).rejects.toThrow(/ENOENT/);
  }, 60_000);
});

describe('a runtime that cannot start', () => {
  it('ends, and kite up --detach says why: more nodes than a later network slot has room for', async () => {
    const dir = await scratch();
    await mkdir(dir, { recursive: true });
    // The dir keeps the slot it recorded (runtime/network.ts): a slot other than 0 holds 32 nodes.
    await writeFile(join(dir, 'network.json'), JSON.stringify({ slot: 200 }));
    const up = await runKite(['up', '--detach', '--simulate', '--nodes', '33', '--state-dir', dir]);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('--nodes 33: this control plane is in network slot 200');
    expect(up.stderr).toContain('has room for 32 nodes');
    expect(up.stderr).toMatch(/kite up failed \(exit 1\); see .*runtime\.log/);
    expect(up.stderr).not.toMatch(/\n\s+at /);
    // Nothing was left holding the dir or its slot: the same dir starts with a node count that fits.
    const again = await runKite(['up', '--detach', '--simulate', '--nodes', '2', '--state-dir', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect((await runKite(['down', '--state-dir', dir])).code).toBe(0);
  }, 60_000);
});

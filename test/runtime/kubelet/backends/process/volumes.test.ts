/** Volumes on the host: emptyDir, hostPath type checks, configMap/secret projection, mapped and unavailable sources. */
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Volume } from '../../../../../lib/api/kinds/volume.ts';
import { preparePodSandbox, removePodSandboxDir } from '../../../../../runtime/kubelet/backends/process/sandbox.ts';
import { MapSources, NO_FEATURES, scratchDir, testPod } from './fixtures.ts';

let root: ReturnType<typeof scratchDir>;
let host: ReturnType<typeof scratchDir>;
let sources: MapSources;

beforeEach(() => {
  root = scratchDir('pods');
  host = scratchDir('host');
  sources = new MapSources();
});

afterEach(async () => {
  await removePodSandboxDir(root.dir); // unmounts a tmpfs a failed test left
  host.remove();
});

async function setUp(volumes: Volume[]) {
  return preparePodSandbox(root.dir, testPod({ volumes }), NO_FEATURES, sources, { podIP: '127.200.1.5' });
}

async function failure(volume: Volume): Promise<string> {
  const r = await setUp([volume]);
  if (r.ok) throw new Error(`volume ${volume.name} was set up`);
  expect(r.volume).toBe(volume.name);
  return r.message;
}

describe('hostPath type checks (the hostpath plugin wording)', () => {
  it('refuses what is not of the type, creates what OrCreate asks for', async () => {
    const missing = join(host.dir, 'missing');
    const file = join(host.dir, 'file.txt');
    writeFileSync(file, 'x');
    expect(await failure({ name: 'd', hostPath: { path: missing, type: 'Directory' } })).toBe(`hostPath type check failed: ${missing} is not a directory`);
    expect(await failure({ name: 'd', hostPath: { path: file, type: 'Directory' } })).toBe(`hostPath type check failed: ${file} is not a directory`);
    expect(await failure({ name: 'f', hostPath: { path: host.dir, type: 'File' } })).toBe(`hostPath type check failed: ${host.dir} is not a file`);
    expect(await failure({ name: 's', hostPath: { path: file, type: 'Socket' } })).toBe(`hostPath type check failed: ${file} is not a socket file`);
    expect(await failure({ name: 'c', hostPath: { path: file, type: 'CharDevice' } })).toBe(`hostPath type check failed: ${file} is not a character device`);
    expect(await failure({ name: 'b', hostPath: { path: '/dev/null', type: 'BlockDevice' } })).toBe('hostPath type check failed: /dev/null is not a block device');
    expect(await failure({ name: 'd', hostPath: { path: file, type: 'DirectoryOrCreate' } })).toBe(`hostPath type check failed: ${file} is not a directory`);

    const made = join(host.dir, 'made', 'deep');
    const madeFile = join(host.dir, 'made.log');
    const ok = await setUp([
      { name: 'a', hostPath: { path: made, type: 'DirectoryOrCreate' } },
      { name: 'b', hostPath: { path: madeFile, type: 'FileOrCreate' } },
      { name: 'c', hostPath: { path: '/dev/null', type: 'CharDevice' } },
      { name: 'e', hostPath: { path: join(host.dir, 'anything') } },
    ]);
    expect(ok.ok).toBe(true);
    expect(statSync(made).isDirectory()).toBe(true);
    expect(statSync(madeFile).isFile()).toBe(true);
  });

  it('accepts a socket as Socket', async () => {
    const path = join(host.dir, 'app.sock');
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(path, r));
    try {
      expect((await setUp([{ name: 's', hostPath: { path, type: 'Socket' } }])).ok).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('configMap and secret volumes', () => {
  it('projects every key through the ..data symlink, with the default mode', async () => {
    sources.putConfigMap('web', { 'index.html': '<h1>hi</h1>', 'app.ini': 'x=1' }, { 'logo.bin': Buffer.from([0, 1, 2]).toString('base64') });
    const r = await setUp([{ name: 'cfg', configMap: { name: 'web' } }]);
    if (!r.ok) throw new Error(r.message);
    const dir = join(r.sandbox.dir, 'volumes', 'cfg');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<h1>hi</h1>');
    expect([...readFileSync(join(dir, 'logo.bin'))]).toEqual([0, 1, 2]);
    expect(lstatSync(join(dir, 'app.ini')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'app.ini'))).toBe('..data/app.ini');
    expect(readlinkSync(join(dir, '..data'))).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
    expect(statSync(join(dir, 'app.ini')).mode & 0o777).toBe(0o644);
  });

  it('projects listed items at their paths and modes; a missing key fails unless optional', async () => {
    sources.putSecret('creds', { user: Buffer.from('admin').toString('base64'), pass: Buffer.from('s3cret').toString('base64') });
    const r = await setUp([{ name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400, items: [{ key: 'user', path: 'conf/user.txt' }, { key: 'pass', path: 'pass', mode: 0o600 }] } }]);
    if (!r.ok) throw new Error(r.message);
    const dir = join(r.sandbox.dir, 'volumes', 'creds');
    expect(readFileSync(join(dir, 'conf', 'user.txt'), 'utf8')).toBe('admin');
    expect(statSync(join(dir, 'conf', 'user.txt')).mode & 0o777).toBe(0o400);
    expect(statSync(join(dir, 'pass')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'user'))).toBe(false);

    expect(await failure({ name: 'v', secret: { secretName: 'creds', items: [{ key: 'token', path: 't' }] } })).toBe('references non-existent secret key: token');
    sources.putConfigMap('web', { a: '1' });
    expect(await failure({ name: 'v', configMap: { name: 'web', items: [{ key: 'b', path: 'b' }] } })).toBe('configmap references non-existent config key: b');
    expect((await setUp([{ name: 'v', configMap: { name: 'web', optional: true, items: [{ key: 'b', path: 'b' }] } }])).ok).toBe(true);
  });

  it('a missing object is a mount failure unless optional', async () => {
    expect(await failure({ name: 'cfg', configMap: { name: 'nope' } })).toBe('configmap "nope" not found');
    expect(await failure({ name: 'sec', secret: { secretName: 'nope' } })).toBe('secret "nope" not found');
    expect((await setUp([{ name: 'cfg', configMap: { name: 'nope', optional: true } }])).ok).toBe(true);
  });

  it('refresh swaps in changed contents and drops removed keys; an unchanged object writes nothing', async () => {
    sources.putConfigMap('web', { greeting: 'hello', old: 'x' });
    const r = await setUp([{ name: 'cfg', configMap: { name: 'web' } }]);
    if (!r.ok) throw new Error(r.message);
    const dir = join(r.sandbox.dir, 'volumes', 'cfg');
    const first = readlinkSync(join(dir, '..data'));
    await r.sandbox.refresh(sources);
    expect(readlinkSync(join(dir, '..data'))).toBe(first);
    sources.putConfigMap('web', { greeting: 'bonjour' });
    await r.sandbox.refresh(sources);
    expect(readFileSync(join(dir, 'greeting'), 'utf8')).toBe('bonjour');
    expect(existsSync(join(dir, 'old'))).toBe(false);
    expect(existsSync(join(dir, first))).toBe(false);
    // The kubelet keeps the last files when the object disappears.
    sources.configMaps.clear();
    await r.sandbox.refresh(sources);
    expect(readFileSync(join(dir, 'greeting'), 'utf8')).toBe('bonjour');
  });
});

describe('emptyDir and sources the host cannot provide', () => {
  it('an emptyDir is a directory of the pod, removed with it; an unbounded sizeLimit is noted', async () => {
    const r = await setUp([{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }]);
    if (!r.ok) throw new Error(r.message);
    const dir = join(r.sandbox.dir, 'volumes', 'scratch');
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(r.sandbox.notes).toEqual(['sizeLimit 1Mi of emptyDir "scratch" is not enforced (only tmpfs-backed emptyDirs are bounded)']);
    await r.sandbox.remove();
    expect(existsSync(r.sandbox.dir)).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0 || process.platform !== 'linux')('medium Memory is a tmpfs of sizeLimit, unmounted with the pod', async () => {
    const r = await setUp([{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '2Mi' } }]);
    if (!r.ok) throw new Error(r.message);
    const dir = join(r.sandbox.dir, 'volumes', 'cache');
    const line = readFileSync('/proc/self/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === dir);
    expect(line).toMatch(/^tmpfs .*[ ,]size=2048k/);
    expect(() => writeFileSync(join(dir, 'big'), Buffer.alloc(3 * 1024 * 1024))).toThrow(/ENOSPC/);
    await r.sandbox.remove();
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(dir);
  });

  it('nfs is a FailedMount naming the catalog, unless the catalog maps it to a directory', async () => {
    const nfs: Volume = { name: 'shared', nfs: { server: 'nfs.example', path: '/exports' } };
    expect(await failure(nfs)).toBe('mount failed: nfs volumes are not available on this machine; map it in kite.images.yaml under volumes:');
    expect(await failure({ name: 'disk', gcePersistentDisk: { pdName: 'x' } })).toMatch(/^mount failed: gcePersistentDisk volumes are not available/);
    const mapped = join(host.dir, 'nfs-stand-in');
    mkdirSync(mapped);
    sources.mapped.set('shared', mapped);
    const r = await setUp([nfs]);
    if (!r.ok) throw new Error(r.message);
    const cmd = r.sandbox.command({ name: 'app', image: 'busybox', volumeMounts: [{ name: 'shared', mountPath: '/shared' }] }, ['true'], {});
    expect(cmd.env.KITE_MOUNT_SHARED).toBe(mapped);
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../../../lib/api/model.ts';
import { StreamRefused, type ContainerLogOptions } from '../../../../../runtime/kubelet/backend.ts';
import { openContainerLogStore } from '../../../../../runtime/kubelet/backends/process/logs.ts';
import { eventually } from '../../../harness.ts';

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
const plain: ContainerLogOptions = { follow: false, previous: false, timestamps: false };

async function text(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString();
}

function write(w: Writable, s: string): Promise<void> {
  return new Promise((resolve, reject) => w.write(s, (e) => (e ? reject(e) : resolve())));
}

describe('container log store', () => {
  let root: string;
  let clock: number;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kite-logs-'));
    clock = Date.parse('2026-12-07T10:00:00.000Z');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes CRI lines per run and reads them back with timestamps, tail, since and limit', async () => {
    const store = openContainerLogStore(root, { now: () => new Date(clock) });
    const w = store.open(pod, 'c', 0);
    await write(w.stdout, 'one\ntwo\n');
    clock += 60_000;
    await write(w.stderr, 'three\nfour');
    await w.close();
    const file = await readFile(join(root, 'default_web_u-1', 'c', '0.log'), 'utf8');
    expect(file).toBe(
      '2026-12-07T10:00:00.000000000Z stdout F one\n2026-12-07T10:00:00.000000000Z stdout F two\n' +
        '2026-12-07T10:01:00.000000000Z stderr F three\n2026-12-07T10:01:00.000000000Z stderr F four\n',
    );
    expect(await text(await store.read(pod, 'c', 0, plain))).toBe('one\ntwo\nthree\nfour\n');
    expect(await text(await store.read(pod, 'c', 0, { ...plain, tailLines: 1, timestamps: true }))).toBe('2026-12-07T10:01:00.000000000Z four\n');
    expect(await text(await store.read(pod, 'c', 0, { ...plain, tailLines: 0 }))).toBe('');
    clock += 10_000;
    expect(await text(await store.read(pod, 'c', 0, { ...plain, sinceSeconds: 30 }))).toBe('three\nfour\n');
    expect(await text(await store.read(pod, 'c', 0, { ...plain, limitBytes: 6 }))).toBe('one\ntw');
  });

  it('stamps the lines of one read of the container\'s output with one time, in one write', async () => {
    // A clock that moves on every reading: lines of one chunk must still share their stamp.
    const store = openContainerLogStore(root, { now: () => new Date((clock += 1000)) });
    const w = store.open(pod, 'c', 0);
    await write(w.stdout, 'a\nb\nc\n');
    await write(w.stdout, 'd\n');
    await w.close();
    const stamps = (await readFile(join(root, 'default_web_u-1', 'c', '0.log'), 'utf8')).trimEnd().split('\n').map((l) => l.split(' ')[0]);
    expect(stamps).toEqual(['2026-12-07T10:00:01.000000000Z', '2026-12-07T10:00:01.000000000Z', '2026-12-07T10:00:01.000000000Z', '2026-12-07T10:00:02.000000000Z']);
  });

  it('joins the parts of an over-long line', async () => {
    const store = openContainerLogStore(root);
    const w = store.open(pod, 'c', 0);
    const long = 'x'.repeat(40 * 1024);
    await write(w.stdout, `${long}\nshort\n`);
    await w.close();
    const file = await readFile(join(root, 'default_web_u-1', 'c', '0.log'), 'utf8');
    expect(file.split('\n').map((l) => l.split(' ')[2])).toEqual(['P', 'P', 'F', 'F', undefined]);
    expect(await text(await store.read(pod, 'c', 0, plain))).toBe(`${long}\nshort\n`);
    expect(await text(await store.read(pod, 'c', 0, { ...plain, tailLines: 2 }))).toBe(`${long}\nshort\n`);
  });

  it('rotates by size, keeps maxFiles files, and reads rotated and live files oldest first', async () => {
    for (const gzip of [false, true]) {
      const store = openContainerLogStore(root, { maxSize: 1024, maxFiles: 3, gzip });
      const p = { ...pod, metadata: { ...pod.metadata, uid: `u-${gzip}` } };
      const w = store.open(p, 'c', 0);
      const all = Array.from({ length: 100 }, (_, i) => `line ${i}`);
      for (const l of all) await write(w.stdout, `${l}\n`);
      await w.close();
      const files = await readdir(join(root, `default_web_u-${gzip}`, 'c'));
      expect(files).toHaveLength(3);
      expect(files.filter((f) => /^0\.log\.\d{8}-\d{6}(-\d+)?(\.gz)?$/.test(f))).toHaveLength(2);
      expect(files.some((f) => f.endsWith('.gz'))).toBe(gzip);
      const back = (await text(await store.read(p, 'c', 0, plain))).split('\n').slice(0, -1);
      // the oldest files went; what is left is the end of the output, in order
      expect(back.length).toBeGreaterThan(20);
      expect(back).toEqual(all.slice(all.length - back.length));
    }
  });

  it('follows the live file across rotations until the run ends', async () => {
    const store = openContainerLogStore(root, { maxSize: 512, maxFiles: 5 });
    const w = store.open(pod, 'c', 0);
    await write(w.stdout, 'before\n');
    const follow = await store.read(pod, 'c', 0, { ...plain, follow: true });
    let got = '';
    follow.on('data', (c: Buffer) => (got += c.toString()));
    const ended = new Promise((r) => follow.on('end', r));
    await eventually(() => got === 'before\n', { what: 'the existing line' });
    const more = Array.from({ length: 30 }, (_, i) => `after ${i}`);
    for (const l of more) {
      await write(w.stdout, `${l}\n`);
      await eventually(() => got.endsWith(`${l}\n`), { what: l });
    }
    await w.close();
    await ended;
    expect(got).toBe(`before\n${more.join('\n')}\n`);
  });

  it('stops following when the reader goes away', async () => {
    const store = openContainerLogStore(root);
    const w = store.open(pod, 'c', 0);
    const follow = await store.read(pod, 'c', 0, { ...plain, follow: true });
    follow.resume();
    const closed = new Promise((r) => follow.on('close', r));
    follow.destroy();
    await closed;
    expect(follow.destroyed).toBe(true);
    await w.close();
  });

  it('reads the previous run, keeps only one, and refuses what is not there with the kubelet wording', async () => {
    const store = openContainerLogStore(root);
    await expect(store.read(pod, 'c', 0, plain)).rejects.toThrow(new StreamRefused('container "c" in pod "web" is waiting to start: ContainerCreating'));
    await expect(store.read(pod, 'c', 0, { ...plain, previous: true })).rejects.toThrow('previous terminated container "c" in pod "web" not found');
    for (const run of [0, 1, 2]) {
      const w = store.open(pod, 'c', run);
      await write(w.stdout, `run ${run}\n`);
      await w.close();
    }
    expect(await text(await store.read(pod, 'c', 2, { ...plain, previous: true }))).toBe('run 1\n');
    expect(await text(await store.read(pod, 'c', 2, plain))).toBe('run 2\n');
    expect((await readdir(join(root, 'default_web_u-1', 'c'))).sort()).toEqual(['1.log', '2.log']);
    await store.removePod(pod);
    expect(await readdir(root)).toEqual([]);
  });
});

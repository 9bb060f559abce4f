/**
 * Writes a ConfigMap's or Secret's files so a reader never sees half an update, as the
 * kubelet's AtomicWriter does (k/k pkg/volume/util/atomic_writer.go): the files go into a new
 * timestamped directory `..<time>`, the symlink `..data` is swapped to it with one rename, and
 * each visible top-level entry is a symlink through `..data`. An unchanged payload writes
 * nothing.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path (`key`, or an item's `path` such as `conf/app.ini`) → content. */
export type Payload = Map<string, FileProjection>;

const DATA_LINK = '..data';
const NEW_DATA_LINK = '..data_tmp';

/** `..2006_01_02_15_04_05.<random>`, the upstream naming. */
function timestampedName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const t = `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}`;
  return `..${t}.${randomBytes(5).readUInt32BE(0)}`;
}

async function samePayload(dir: string, payload: Payload): Promise<boolean> {
  for (const [path, f] of payload) {
    try {
      const [data, st] = await Promise.all([fs.readFile(join(dir, path)), fs.stat(join(dir, path))]);
      if (!data.equals(f.data) || (st.mode & 0o777) !== f.mode) return false;
    } catch {
      return false;
    }
  }
  const listed = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return listed.filter((e) => e.isFile()).length === payload.size;
}

const topLevel = (payload: Payload) => new Set([...payload.keys()].map((p) => p.split('/')[0]!));

/** Projects `payload` into `target`; true when something changed. */
export async function writeAtomically(target: string, payload: Payload, now = new Date()): Promise<boolean> {
  await fs.mkdir(target, { recursive: true });
  const old = await fs.readlink(join(target, DATA_LINK)).catch(() => undefined);
  if (old !== undefined && (await samePayload(join(target, old), payload))) return false;

  const tsName = timestampedName(now);
  const tsDir = join(target, tsName);
  await fs.mkdir(tsDir, { mode: 0o755 });
  for (const [path, f] of payload) {
    const file = join(tsDir, path);
    await fs.mkdir(dirname(file), { recursive: true, mode: 0o755 });
    await fs.writeFile(file, f.data, { mode: f.mode });
    await fs.chmod(file, f.mode); // the umask would narrow the mode given to writeFile
  }
  await fs.rm(join(target, NEW_DATA_LINK), { force: true });
  await fs.symlink(tsName, join(target, NEW_DATA_LINK));
  await fs.rename(join(target, NEW_DATA_LINK), join(target, DATA_LINK));

  const visible = topLevel(payload);
  for (const name of visible) await fs.symlink(join(DATA_LINK, name), join(target, name)).catch(() => undefined);
  for (const entry of await fs.readdir(target)) {
    if (!entry.startsWith('..') && !visible.has(entry)) await fs.rm(join(target, entry), { force: true });
  }
  if (old !== undefined) await fs.rm(join(target, old), { recursive: true, force: true });
  return true;
}

import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FileError, KiteError } from '../errors.ts';
import type { ScaffoldFile } from './scaffold.ts';

/**
 * Writes the scaffold into `dir` (created if missing). Refuses, writing nothing, when any of its
 * files exists already — all of them named at once — unless `force`.
 */
export async function writeScaffold(dir: string, files: readonly ScaffoldFile[], force: boolean): Promise<void> {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new KiteError(`${dir}: not a directory`, { code: 'init-not-dir', path: dir });
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0 && !force) {
    throw new KiteError(`${dir}: would overwrite ${existing.join(', ')} (nothing written; --force overwrites)`, { code: 'init-exists', path: dir });
  }
  for (const f of files) {
    const path = join(dir, f.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.text);
    } catch (e) {
      throw new FileError('write', path, e);
    }
  }
}

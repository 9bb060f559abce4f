/**
 * The state dir holds every Secret (in state.db and its WAL), the CA key and the bearer token:
 * only its owner may read it. The dir is 0700 and each file in it 0600, whatever the umask, and
 * a state dir written by an older kite (0755 dir, 0644 database) is fixed when a runtime starts.
 */
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A mode this call changed: `path` was `was` (e.g. 0o644) and is private now. */
export interface FixedMode {
  path: string;
  was: number;
}

/**
 * Creates `dir` (0700) if needed and makes it and its entries private: files 0600, directories
 * 0700 (their contents are then out of other users' reach). Symlinks are left alone. Returns
 * what it changed, for a note.
 */
export function securePrivateDir(dir: string): FixedMode[] {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const fixed: FixedMode[] = [];
  const fix = (path: string, mode: number) => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink() || (st.mode & 0o777) === mode) return;
    chmodSync(path, mode);
    fixed.push({ path, was: st.mode & 0o777 });
  };
  fix(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) fix(join(dir, entry.name), PRIVATE_FILE_MODE);
    else if (entry.isDirectory()) fix(join(dir, entry.name), PRIVATE_DIR_MODE);
  }
  return fixed;
}

/**
 * Creates `path` empty with mode 0600 unless it exists (then leaves it as it is). The mode is set
 * with fchmod, so the umask cannot widen or narrow it.
 */
export function createPrivateFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw e;
  }
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** `fixed permissions of .kite (was 0755), .kite/state.db (was 0644)`: the note a start prints. */
export function describeFixedModes(fixed: FixedMode[], shown: (path: string) => string = (p) => p): string {
  return `fixed permissions of ${fixed.map((f) => `${shown(f.path)} (was 0${f.was.toString(8)})`).join(', ')}: the state dir holds Secrets, so it is now readable by its owner only`;
}

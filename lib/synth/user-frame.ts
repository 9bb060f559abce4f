import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { packageRoot } from './package-root.ts';

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
  /**
   * The innermost frame inside a construct library (a package other than the program's, in
   * node_modules or a workspace) on the way to the user's line: `team-lib/src/web-service.ts:40`.
   */
  via?: string;
}

// Frames inside kite itself (bundled or from source), or in the temporary bundle of the program
// (its source map points back at the user's files) are not where the user wrote it.
const KITE_DIRS = ['build', 'lib'].map((d) => join(packageRoot(), d) + sep);

let programPackage: string | undefined;
const packageDirs = new Map<string, string | undefined>();

/**
 * The program being run: frames in another package than its own (a construct library, even one
 * linked from a workspace, whose frames are not under node_modules) are the library's, not the user's.
 */
export function setProgramEntry(entry: string): void {
  programPackage = packageDirOf(dirname(resolve(entry)));
}

/** The first frame of a stack trace that is in the user's own code, relative to the cwd. */
export function userFrame(stack: string | undefined): SourcePosition | undefined {
  let via: string | undefined;
  for (const m of (stack ?? '').matchAll(/\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?$/gm)) {
    const file = decodeURIComponent(m[1]!.replace(/^file:\/\//, ''));
    if (KITE_DIRS.some((d) => file.startsWith(d)) || file.endsWith('program.mjs')) continue;
    if (inLibrary(file)) {
      via ??= `${libraryPath(file)}:${m[2]}`;
      continue;
    }
    return { file: relativeToCwd(file), line: Number(m[2]), col: Number(m[3]), ...(via ? { via } : {}) };
  }
  return undefined;
}

function inLibrary(file: string): boolean {
  if (file.includes(`${sep}node_modules${sep}`)) return true;
  return programPackage !== undefined && packageDirOf(dirname(file)) !== programPackage;
}

/** `@team/lib/src/x.ts` for an installed package, else the path from the cwd. */
function libraryPath(file: string): string {
  const i = file.lastIndexOf(`${sep}node_modules${sep}`);
  return i >= 0 ? file.slice(i + `${sep}node_modules${sep}`.length) : relativeToCwd(file);
}

function packageDirOf(dir: string): string | undefined {
  if (packageDirs.has(dir)) return packageDirs.get(dir);
  const found = existsSync(join(dir, 'package.json')) ? dir : dirname(dir) === dir ? undefined : packageDirOf(dirname(dir));
  packageDirs.set(dir, found);
  return found;
}

export function relativeToCwd(file: string): string {
  const cwd = process.cwd() + sep;
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

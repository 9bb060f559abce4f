import { join, sep } from 'node:path';
import { packageRoot } from './package-root.ts';

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

// Frames inside kite itself (bundled or from source), in packages, or in the temporary bundle of
// the program (its source map points back at the user's files) are not where the user wrote it.
const KITE_DIRS = ['build', 'lib'].map((d) => join(packageRoot(), d) + sep);

/** The first frame of a stack trace that is in the user's own code, relative to the cwd. */
export function userFrame(stack: string | undefined): SourcePosition | undefined {
  for (const m of (stack ?? '').matchAll(/\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?$/gm)) {
    const file = decodeURIComponent(m[1]!.replace(/^file:\/\//, ''));
    if (file.includes(`${sep}node_modules${sep}`) || KITE_DIRS.some((d) => file.startsWith(d)) || file.endsWith('program.mjs')) continue;
    return { file: relativeToCwd(file), line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}

export function relativeToCwd(file: string): string {
  const cwd = process.cwd() + sep;
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `name` in `dir` or the nearest directory above it that has one. */
export function findUp(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../api/diagnostics.ts';
import { userFrame } from './user-frame.ts';

/** An exception from the user's program: its message, located at the first frame in their code. */
export async function programError(e: unknown, entry: string): Promise<Diagnostic> {
  const err = e instanceof Error ? e : new Error(String(e));
  const missing = await missingExport(err, entry);
  if (missing) return missing;
  const frame = userFrame(err.stack);
  return { severity: 'error', code: 'program', path: '', message: err.message, file: frame?.file ?? entry, line: frame?.line, col: frame?.col };
}

/**
 * Node refuses to link `import { Deployment } from 'kite'` when kite has no such export, naming
 * the resolved file (an internal path of the package). Say it the way the user wrote it: the
 * package's name, at the import in their file.
 */
async function missingExport(err: Error, entry: string): Promise<Diagnostic | undefined> {
  const m = /^The requested module '([^']+)' does not provide an export named '([^']+)'/.exec(err.message);
  if (!m) return undefined;
  const [, url, name] = m;
  const module = packageNameOf(url!) ?? url!;
  const source = await readFile(entry, 'utf8').catch(() => '');
  const at = findImport(source, name!);
  return {
    severity: 'error',
    code: 'program',
    path: '',
    message: `the module "${module}" does not provide an export named "${name}"`,
    file: entry,
    ...(at ? { line: at.line, col: at.col } : {}),
  };
}

/** The package a resolved module file belongs to: the name in its nearest package.json. */
function packageNameOf(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  for (let dir = dirname(fileURLToPath(url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
        return typeof name === 'string' ? name : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where `name` is imported in a source file (1-based line and column), if it can be found. */
function findImport(source: string, name: string): { line: number; col: number } | undefined {
  const re = new RegExp(`import\\s*(?:type\\s+)?\\{[^}]*\\b${name.replace(/[$]/g, '\\$&')}\\b`, 'g');
  const m = re.exec(source);
  if (!m) return undefined;
  const offset = m.index + m[0].lastIndexOf(name);
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

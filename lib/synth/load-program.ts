import { build, type Message, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from '../api/diagnostics.ts';
import { userFrame } from './user-frame.ts';

export interface LoadedProgram {
  /** The module's exports. */
  exports: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

/**
 * Every bare import (`kite`, `constructs`, a team's construct library) stays external but is
 * pinned to the absolute file esbuild resolves from the user's directory, with the user's
 * package.json conditions. The bundle can then run from a temp dir and still load exactly the
 * packages the user's project has installed: one copy of `kite`, not ours.
 */
const externalPackages: Plugin = {
  name: 'kite-external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'kite-resolving' || isAbsolute(args.path)) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const r = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'kite-resolving',
      });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.external ? args.path : pathToFileURL(r.path).href, external: true };
    });
  },
};

/**
 * Bundles a user program with esbuild (their code bundled, packages external, inline source
 * maps so a throw points at their .ts line) and imports it. Build errors are diagnostics with
 * file:line:col; an exception thrown by the program is one diagnostic at the user's frame.
 */
export async function loadProgram(entry: string): Promise<LoadedProgram> {
  const file = resolve(entry);
  const diagnostics: Diagnostic[] = [];
  // The outfile's location is where the source map's relative paths start from.
  const dir = await mkdtemp(join(tmpdir(), 'kite-program-'));
  const out = join(dir, 'program.mjs');
  let code: string;
  try {
    const result = await build({
      entryPoints: [file],
      outfile: out,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [externalPackages],
    });
    code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    await rm(dir, { recursive: true, force: true });
    if (!errors) throw e;
    return { exports: {}, diagnostics: errors.map((m) => buildDiagnostic(m, entry)) };
  }

  process.setSourceMapsEnabled(true);
  try {
    await writeFile(out, code);
    const exports = (await import(pathToFileURL(out).href)) as Record<string, unknown>;
    return { exports, diagnostics };
  } catch (e) {
    diagnostics.push(await programError(e, entry));
    return { exports: {}, diagnostics };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function buildDiagnostic(m: Message, entry: string): Diagnostic {
  return {
    severity: 'error',
    code: 'build',
    path: '',
    message: m.text,
    file: m.location?.file ?? entry,
    line: m.location?.line,
    col: m.location ? m.location.column + 1 : undefined,
  };
}

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

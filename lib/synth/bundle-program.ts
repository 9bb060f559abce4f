import type { Message, Plugin } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../api/diagnostics.ts';

/**
 * Every bare import (`kite`, `constructs`, a team's construct library) stays external but is
 * pinned to the absolute file esbuild resolves from the user's directory, with the user's
 * package.json conditions. The bundle can then run from a temp dir and still load exactly the
 * packages the user's project has installed: one copy of `kite`, not ours.
 */
const TYPESCRIPT_SOURCE = /\.(?:ts|mts|cts|tsx)$/;

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
      // A package that ships TypeScript source (a construct library in the same workspace) is
      // bundled with the program: Node cannot load it, esbuild can; its own imports come back here.
      if (!r.external && TYPESCRIPT_SOURCE.test(r.path)) return { path: r.path };
      return { path: r.external ? args.path : pathToFileURL(r.path).href, external: true };
    });
  },
};

/**
 * Bundles a user program with esbuild to `outfile` (their code bundled, packages external,
 * inline source maps so a throw points at their .ts line). Build errors are diagnostics with
 * file:line:col; none means the bundle was written.
 */
export async function bundleProgram(entry: string, outfile: string): Promise<Diagnostic[]> {
  // Loaded here, not with kite's library: the box's child, which loads the library, never bundles.
  const { build } = await import('esbuild');
  try {
    // Written by kite, not by esbuild's service process: that process outlives a Ctrl-C of kite
    // and would make the box's removed temp directory again when it writes.
    const result = await build({
      write: false,
      entryPoints: [resolve(entry)],
      // The outfile's location is where the source map's relative paths start from.
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [externalPackages],
    });
    try {
      for (const f of result.outputFiles) writeFileSync(f.path, f.contents);
    } catch (e) {
      // The box was interrupted meanwhile and its directory removed: running it says so.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return [];
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors) throw e;
    return errors.map((m) => buildDiagnostic(m, entry));
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


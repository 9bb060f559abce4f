// Bundles the CLI and the library to dist/ so `kite` starts as plain Node, without a
// TypeScript loader on the hot path. Runs from `npm install`/`npm ci` (prepare) and from tests.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildKite() {
  await build({
    absWorkingDir: root,
    entryPoints: { cli: 'cli.ts', index: 'lib/index.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true, // cli and index share one copy of the library (one Stack class)
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildKite();
}

// Bundles the CLI and the library to build/ so `kite` starts as plain Node, without a
// TypeScript loader on the hot path, and emits the library's declarations to build/types/ so a
// user's program is type-checked against them instead of kite's sources. Runs from
// `npm install`/`npm ci` (prepare) and from tests. build/, not dist/: dist/ is where a user's
// `kite synth` writes by default.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildKite() {
  // Chunks are content-hashed: without this, every old build's would stay (and be packed).
  await rm(join(root, 'build'), { recursive: true, force: true });
  await Promise.all([bundle(), declarations()]);
}

function bundle() {
  return build({
    absWorkingDir: root,
    // program-child runs a user's program in its own process (lib/synth/program-box.ts).
    entryPoints: { cli: 'cli.ts', index: 'lib/index.ts', 'program-child': 'lib/synth/program-child.ts' },
    outdir: 'build',
    bundle: true,
    splitting: true, // cli and index share one copy of the library (one Stack class)
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalExceptZod],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

/**
 * Packages stay external (installed beside kite, one copy shared with a user's program: constructs),
 * except zod: bundled, its hundred modules load as part of a few chunks, which is most of what
 * loading kite's object model costs a process (kite, and the box each program runs in).
 */
const externalExceptZod = {
  name: 'external-except-zod',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (/^zod(\/|$)/.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

async function declarations() {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json')], { cwd: root });
  } catch (e) {
    throw new Error(`declarations: ${e.stdout || e.message}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildKite();
}

// Bundles the CLI and the library to build/ so `kite` starts as plain Node, without a
// TypeScript loader on the hot path, and emits the library's declarations to build/types/ so a
// user's program is type-checked against them instead of kite's sources. Runs from
// `npm install`/`npm ci` (prepare) and from tests. build/, not dist/: dist/ is where a user's
// `kite synth` writes by default.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildKite() {
  // Chunks are content-hashed: without this, every old build's would stay (and be packed).
  await rm(join(root, 'build'), { recursive: true, force: true });
  await Promise.all([bundle(), declarations(), runtimeSnapshot()]);
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
    plugins: [requiredPackages, externalExceptBundled, zodEnglishOnly, largeJsonParsed],
    // The bundled CommonJS packages require Node's built-ins: an ES module has no `require` of its own.
    banner: { js: "import { createRequire as __kiteCreateRequire } from 'node:module'; const require = __kiteCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

/**
 * Packages stay external (installed beside kite, one copy shared with a user's program: constructs),
 * except those bundled: their modules load as part of a few chunks. zod's hundred modules are most
 * of what loading kite's object model costs a process (kite, and the box each program runs in);
 * yaml, ws and dns-packet are CommonJS, which Node's ESM loader would resolve file by file and scan
 * for exports (cjs-module-lexer) at every start of the runtime.
 */
const BUNDLED = /^(zod|yaml|ws|dns-packet)(\/|$)/;
const externalExceptBundled = {
  name: 'external-except-bundled',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

/**
 * These CommonJS packages stay external but are loaded with `require`, not `import`: Node's ESM
 * loader would first scan each of their files for its exports with its JavaScript lexer, ~0.8 ms
 * per KB (esbuild's 97 KB main: ~80 ms of CPU in kite's process while the program's box starts;
 * constructs: ~50 ms in the box itself). Same files, same module instances (ESM imports of
 * CommonJS share require's cache), so a program's `constructs` is still kite's.
 */
const REQUIRED = /^(constructs|esbuild)$/;
const requiredPackages = {
  name: 'required-packages',
  setup(b) {
    b.onResolve({ filter: REQUIRED }, (args) =>
      args.namespace === 'required-package' ? { path: args.path, external: true } : { path: args.path, namespace: 'required-package' },
    );
    // An ES module with the package's export names (read here), so that a dynamic import() of it has them too.
    b.onLoad({ filter: /.*/, namespace: 'required-package' }, (args) => {
      const names = Object.keys(createRequire(join(root, 'package.json'))(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      return { contents: `const m = require(${JSON.stringify(args.path)});\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`, loader: 'js' };
    });
  },
};

/**
 * zod's `locales` namespace (its error messages in some 50 languages, half of the bundled zod) is
 * cut down to English, the one kite's messages use (zod's default, registered by its schemas
 * themselves). Every process that loads kite's object model (kite, each program's box, the
 * runtime) parses and compiles that chunk at start-up.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: join(args.resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-english-only' };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * A large JSON file (the API server's OpenAPI docs and protobuf field table) becomes
 * `JSON.parse('…')`, not an object literal: V8 scans a string and parses JSON several times faster
 * than it parses and compiles the same data as JavaScript, at each start of the runtime.
 */
const LARGE_JSON_BYTES = 10_000;
const largeJsonParsed = {
  name: 'large-json-parsed',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (text.length < LARGE_JSON_BYTES) return undefined;
      // Parsed here first: a malformed file fails the build, as esbuild's own JSON loader would.
      return { contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});\n`, loader: 'js' };
    });
  },
};

/**
 * The detached runtime's V8 startup snapshot (commands/up-snapshot.ts): its modules bundled
 * as one CommonJS script, run by `node --build-snapshot`, the heap saved to build/runtime.blob with
 * a record of the node binary and this directory beside it (commands/runtime-snapshot.ts uses the
 * blob only when both match). A failure here is not the build's: `kite up` then starts the plain way.
 */
async function runtimeSnapshot() {
  const script = join(root, 'build', 'runtime-snapshot.cjs');
  const blob = join(root, 'build', 'runtime.blob');
  try {
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: ['commands/up-snapshot.ts'],
      metafile: true,
      outfile: script,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // Only built-ins can be required in a snapshot: every package is bundled (better-sqlite3 is
      // required by the store's worker, by path, after deserialization).
      plugins: [lazyBuiltins, zodEnglishOnly, largeJsonParsed],
      external: ['better-sqlite3'],
      // The heap keeps each function's source for lazy compilation: less of it, less to deserialize
      // (blob 12.0 → 9.0 MB). Names are kept (no identifier minification), so stack traces read.
      minifyWhitespace: true,
      minifySyntax: true,
      // The blob is tied to this directory (the record says so): module paths resolve from build/.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(script).href) },
      logLevel: 'warning',
    });
    // Code in a snapshot cannot import(): Node 20 fails it at run time ("A dynamic import callback
    // was not specified"). Bundled modules' import() became function calls; any left is refused here.
    const dynamic = Object.entries(metafile.inputs).flatMap(([file, input]) =>
      input.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => `${file}: import('${i.path}')`),
    );
    if (dynamic.length > 0) throw new Error(`dynamic import of a module outside the bundle, which a snapshot cannot run:\n${dynamic.join('\n')}`);
    await promisify(execFile)(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', script], { cwd: root });
    const record = { node: process.version, execPath: process.execPath, arch: process.arch, root };
    await writeFile(`${blob}.json`, `${JSON.stringify(record, null, 2)}\n`);
    // Not packed: a blob is only good for the machine and directory that built it.
    await writeFile(join(root, 'build', '.npmignore'), 'runtime.blob\nruntime.blob.json\n');
  } catch (e) {
    await rm(blob, { force: true });
    console.warn(`build: no runtime snapshot (kite up starts without it): ${(e.stderr || e.message).split('\n').slice(0, 5).join('\n')}`);
  } finally {
    if (!process.env.KITE_KEEP_SNAPSHOT_SCRIPT) await rm(script, { force: true });
  }
}

/**
 * Node's built-ins that hold native handles (http's parser, http2's and dgram's bindings, child
 * processes, workers...) cannot be in a startup snapshot on Node 20 (`--build-snapshot` aborts on
 * them), so in the snapshot's bundle each is a stand-in that requires the real module on its first
 * use after deserialization. Its export names are known here, so that esbuild's ES-module interop
 * (which lists them) does not load it, and a name it does not have (ws probes http for
 * `websocketMask`) reads as undefined without loading it.
 */
const LAZY_BUILTINS = /^(node:)?(http|https|http2|child_process|tls|net|dgram|zlib|worker_threads|tty|readline|readline\/promises|dns|dns\/promises|inspector|cluster)$/;
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: LAZY_BUILTINS }, (args) =>
      // The stand-in's own require of the real module.
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const id = `node:${args.path}`;
      const names = Object.keys(await import(id)).filter((n) => n !== 'default');
      return {
        contents: `let real;
const load = () => (real ??= require(${JSON.stringify(id)}));
const names = new Set(${JSON.stringify(names)});
module.exports = new Proxy({}, {
  get: (_, k) => (names.has(k) ? load()[k] : real?.[k]),
  has: (_, k) => names.has(k),
  ownKeys: () => [...names],
  getOwnPropertyDescriptor: (_, k) => (names.has(k) ? { value: undefined, writable: true, enumerable: true, configurable: true } : undefined),
  getPrototypeOf: () => Object.prototype,
});
`,
        loader: 'js',
      };
    });
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

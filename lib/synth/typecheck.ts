import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../api/diagnostics.ts';
import { findUp } from './find-up.ts';

/** Programs in these languages are type-checked; plain JavaScript is not. */
const TYPED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Without a tsconfig.json of the user's, the program is checked as kite bundles it: esbuild
 * resolves imports like a bundler, so extensionless and `.ts` imports are fine.
 */
const DEFAULT_OPTIONS = {
  target: 'ES2022',
  module: 'preserve',
  moduleResolution: 'bundler',
  strict: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
};

/** A stuck compiler must not hold synth or plan forever. */
const TIMEOUT_MS = 120_000;

/**
 * Type-checks a user's program with TypeScript, as `tsc --noEmit` would with their
 * tsconfig.json (or kite's defaults), checking only the program and what it imports — kite
 * itself through its published declarations, never its sources. Incremental: the build info is
 * kept in node_modules/.cache/kite, so a changed program re-checks only what changed, and an
 * unchanged one that passed is not re-checked at all.
 * Returns the compiler's errors as diagnostics at file:line:col.
 */
export async function typecheckProgram(entry: string): Promise<Diagnostic[]> {
  const file = resolve(entry);
  if (!TYPED_EXTENSIONS.has(extname(file))) return [];
  const tsc = findTsc();
  if (!tsc) {
    return [{ severity: 'warning', code: 'typecheck', path: '', message: 'not type-checked: the typescript package is not installed (run with --no-typecheck to silence this)', file: entry }];
  }
  const dir = dirname(file);
  const config = await writeConfig(file, findUp(dir, 'tsconfig.json'));
  // Build mode (`-b`), not `-p`: it first asks the build info whether any input (the program, what
  // it imports, the declarations of kite and other packages, the options) changed since a check that
  // passed, and if none did it is done in milliseconds instead of re-reading every declaration.
  const { stdout, failed } = await run(tsc.file, [...tsc.args, '-b', config, '--pretty', 'false'], dir);
  const diagnostics = parseTscOutput(stdout, dir);
  if (failed && diagnostics.length === 0) {
    diagnostics.push({ severity: 'error', code: 'typecheck', path: '', message: `the type check failed: ${failed}`, file: entry });
  }
  return diagnostics;
}

/** How to run TypeScript's compiler: its native executable when it has one, else its bin script under Node. */
interface Tsc {
  file: string;
  args: string[];
}

function findTsc(): Tsc | undefined {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('typescript/package.json');
  } catch {
    return undefined;
  }
  // TypeScript 7's bin/tsc is a Node script that only starts the native compiler of the platform's
  // package (typescript/lib/getExePath.js): starting that directly saves a Node process.
  try {
    const platform = createRequire(pkg).resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    const exe = join(dirname(platform), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
    if (existsSync(exe)) return { file: exe, args: [] };
  } catch {
    // not a native TypeScript: its bin script
  }
  return { file: process.execPath, args: [join(dirname(pkg), 'bin', 'tsc')] };
}

/**
 * The check's own tsconfig, extending the user's: it sits in the project's node_modules/.cache
 * so TypeScript finds the project's @types from there as it would from the project itself.
 */
async function writeConfig(file: string, userConfig: string | undefined): Promise<string> {
  const modules = findUp(dirname(file), 'node_modules');
  const cacheDir = modules ? join(modules, '.cache', 'kite') : join(tmpdir(), 'kite-typecheck');
  await mkdir(cacheDir, { recursive: true });
  const key = createHash('sha256').update(file).digest('hex').slice(0, 16);
  const config = {
    ...(userConfig ? { extends: userConfig } : {}),
    compilerOptions: {
      ...(userConfig ? {} : DEFAULT_OPTIONS),
      noEmit: true,
      incremental: true,
      tsBuildInfoFile: join(cacheDir, `${key}.tsbuildinfo`),
    },
    files: [file],
    include: [],
  };
  const path = join(cacheDir, `tsconfig.${key}.json`);
  const text = JSON.stringify(config, null, 2);
  // Rewritten only when it changes: a newer config makes the build mode re-check everything.
  if ((await readFile(path, 'utf8').catch(() => undefined)) !== text) await writeFile(path, text);
  return path;
}

function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; failed: string | undefined }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // tsc exits 1 or 2 when it reports errors; only a crash or a timeout is a failure of its own.
      const code = (err as { code?: unknown } | null)?.code;
      const failed = err && !(code === 1 || code === 2) ? (stderr.trim() || err.message) : undefined;
      done({ stdout, failed });
    });
  });
}

const LOCATED = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const UNLOCATED = /^(error|warning|message) (TS\d+): (.*)$/;

/** `file(line,col): error TS2322: message` lines (`--pretty false`), continuation lines indented. */
export function parseTscOutput(out: string, cwd: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of out.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const at = LOCATED.exec(line);
    const bare = at ? undefined : UNLOCATED.exec(line);
    if (at) {
      const [, f, l, c, severity, code, message] = at;
      diagnostics.push({
        severity: severity === 'error' ? 'error' : 'warning',
        code: 'typecheck',
        path: '',
        message: `${message} (${code})`,
        file: displayPath(resolve(cwd, f!)),
        line: Number(l),
        col: Number(c),
      });
    } else if (bare) {
      const [, severity, code, message] = bare;
      diagnostics.push({ severity: severity === 'error' ? 'error' : 'warning', code: 'typecheck', path: '', message: `${message} (${code})` });
    } else if (diagnostics.length > 0 && /^\s/.test(line)) {
      diagnostics[diagnostics.length - 1]!.message += `\n${line}`;
    }
  }
  return diagnostics;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SEED = resolve(REPO, 'test/fixtures/seed');
export const KITE_BIN = join(REPO, 'bin/kite.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `kite` command as a user would (the bundled CLI, a separate process). */
export function runKite(args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((done) => {
    execFile(process.execPath, [KITE_BIN, ...args], { cwd: opts.cwd ?? REPO, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 2) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/**
 * A scratch directory inside the repo, so that programs written there resolve `kite` the way a
 * user's project does (through package.json), not through a test-only alias.
 */
export async function scratchDir(): Promise<string> {
  // Inside the run's own dir when vitest's global setup made one (removed when the run ends).
  const base = process.env.KITE_TEST_WORK ?? join(REPO, 'test/.work');
  await mkdir(base, { recursive: true });
  return mkdtemp(join(base, 'case-'));
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

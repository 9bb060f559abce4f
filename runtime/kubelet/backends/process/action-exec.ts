/**
 * An exec action: the argv spawned as it is (never through a shell) with the sandbox's file,
 * env and working directory, in its own process group so a timeout ends everything it started.
 * Output is stdout then stderr, at most 10 KiB (CRI ExecSync returns them apart and the kubelet
 * appends stderr to stdout; pkg/probe/exec maxReadLength).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { SandboxCommand } from './sandbox.ts';
import { goQuote } from './go-net-errors.ts';

const MAX_OUTPUT_BYTES = 10 * 1024;
/** How long output pipes may stay open after the process exited (held by something it left running). */
const DRAIN_AFTER_EXIT_MS = 100;

export type ExecOutcome =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'aborted' }
  | { kind: 'start-failed'; message: string };

export function runExec(argv: string[], cmd: SandboxCommand, timeoutMs: number, signal?: AbortSignal): Promise<ExecOutcome> {
  // Validation requires a command; an empty one still must not throw out of a probe.
  if (!cmd.file) return Promise.resolve({ kind: 'start-failed', message: `exec: "": executable file not found in $PATH` });
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let drain: NodeJS.Timeout | undefined;
    const child = spawn(cmd.file, cmd.args, { env: cmd.env, cwd: cmd.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const finish = (o: ExecOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(drain);
      signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(o);
    };
    const onAbort = (): void => {
      killGroup();
      finish({ kind: 'aborted' });
    };
    const collect = (into: Buffer[]) => (c: Buffer) => {
      if (total(out) + total(err) < MAX_OUTPUT_BYTES) into.push(c);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e: NodeJS.ErrnoException) => finish({ kind: 'start-failed', message: startError(argv[0] ?? '', e) }));
    let exitCode = 0;
    const exited = (): void => {
      const [stdout, stderr] = capped(out, err);
      finish({ kind: 'exited', exitCode, stdout, stderr });
    };
    child.on('exit', (code, sig) => {
      exitCode = code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0);
      drain = setTimeout(exited, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', exited);
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        killGroup();
        // remote_runtime.go ExecSync: a deadline becomes this TimeoutError.
        finish({ kind: 'timeout', message: `command ${goQuote(argv.join(' '))} timed out` });
      }, timeoutMs);
    }
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
  });
}

function total(bufs: Buffer[]): number {
  return bufs.reduce((n, b) => n + b.length, 0);
}

function capped(out: Buffer[], err: Buffer[]): [string, string] {
  const o = Buffer.concat(out).subarray(0, MAX_OUTPUT_BYTES);
  const e = Buffer.concat(err).subarray(0, MAX_OUTPUT_BYTES - o.length);
  return [o.toString('utf8'), e.toString('utf8')];
}

/** Go's os/exec wording for a program that cannot be started. */
function startError(file: string, e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOENT') return file.includes('/') ? `fork/exec ${file}: no such file or directory` : `exec: ${goQuote(file)}: executable file not found in $PATH`;
  if (e.code === 'EACCES') return `fork/exec ${file}: permission denied`;
  return e.message;
}

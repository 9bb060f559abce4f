/**
 * One container's process: spawned as the leader of its own process group, so the whole group
 * — whatever the program forked — is signalled at once and nothing outlives the container
 * (as a container's PID namespace ends with its first process). Its exit as Kubernetes reports
 * it: a death by signal N is exit code 128+N (SIGKILL 137, SIGTERM 143).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { processStartOf } from '../../../process-identity.ts';
import type { SandboxCommand } from './sandbox.ts';

export interface ProcessExit {
  exitCode: number;
  /** Set when the program could not be started at all (containerd's `StartError`, exit 128). */
  startError?: string;
}

export interface ContainerProcess {
  readonly pid: number;
  /** The pid's start time (processStartOf): with the pid, names this process for good. */
  readonly startToken: string | undefined;
  /** Resolves once the leader exited, the rest of its group was killed and its output drained. */
  readonly exited: Promise<ProcessExit>;
  readonly running: boolean;
  /** Signals the whole process group (no-op once it is gone). */
  signal(sig: NodeJS.Signals): void;
}

export interface ProcessIO {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** How processes are started (injected in tests). */
export type SpawnProcess = (cmd: SandboxCommand, io: ProcessIO) => ContainerProcess;

export const spawnContainerProcess: SpawnProcess = (cmd, io) => {
  const child = spawn(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, detached: true, stdio: [io.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let running = child.pid !== undefined;
  const pid = child.pid ?? -1;
  child.stdout!.pipe(io.stdout, { end: false });
  child.stderr!.pipe(io.stderr, { end: false });
  if (io.stdin && child.stdin) {
    io.stdin.pipe(child.stdin);
    child.stdin.on('error', () => {}); // the program closed its stdin: nothing left to give it
  }
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (running) return; // errors after a successful spawn (a failed kill) end in 'close' anyway
      resolve({ exitCode: 128, startError: startErrorMessage(cmd.file, e) });
    });
    // The leader is gone: the rest of its group goes with it, then its pipes close.
    child.once('exit', () => {
      running = false;
      signalGroup(pid, 'SIGKILL');
    });
    child.once('close', (code, sig) => {
      running = false;
      resolve({ exitCode: code ?? 128 + (sig ? (constants.signals[sig] ?? 0) : 0) });
    });
  });
  return {
    pid,
    startToken: running ? processStartOf(pid) : undefined,
    exited,
    get running() {
      return running;
    },
    signal: (sig) => {
      if (running) signalGroup(pid, sig);
    },
  };
};

/** A process that never started: it exits at once with the start error. */
export function unstartedProcess(startError: string): ContainerProcess {
  return { pid: -1, startToken: undefined, exited: Promise.resolve({ exitCode: 128, startError }), running: false, signal: () => {} };
}

/** Signals the process group led by `pid`; a group that is already gone is fine. */
export function signalGroup(pid: number, sig: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // ESRCH: nothing of the group is left
  }
}

/** The PATH runc uses when the container's env has none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Why a container's program cannot be exec'd, as runc says it (`exec: "x": executable file not
 * found in $PATH`), or undefined. Checked before the spawn because the sandbox's wrapper starts
 * first and would turn a missing program into the wrapper's own exit 127. Paths under a volume's
 * mountPath exist only inside the sandbox: those are left to the exec itself.
 */
export function startErrorOf(file: string, env: Record<string, string>, cwd: string, mountPaths: readonly string[]): string | undefined {
  const inVolume = (p: string) => mountPaths.some((m) => p === m || p.startsWith(m.endsWith('/') ? m : `${m}/`));
  const executable = (p: string) => {
    try {
      accessSync(p, fsConstants.X_OK);
      return !statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (file.includes('/')) {
    const p = isAbsolute(file) ? file : resolve(cwd, file);
    if (inVolume(p) || executable(p)) return undefined;
    return startErrorMessage(file, { code: 'ENOENT' } as NodeJS.ErrnoException);
  }
  for (const dir of (env.PATH ?? DEFAULT_PATH).split(':')) {
    const d = dir || '.';
    if (inVolume(resolve(cwd, d)) || executable(join(resolve(cwd, d), file))) return undefined;
  }
  return startErrorMessage(file, { code: 'ENOENT' } as NodeJS.ErrnoException);
}

/** As containerd/runc words a failed exec (`exec: "x": executable file not found in $PATH`). */
function startErrorMessage(file: string, e: NodeJS.ErrnoException): string {
  const why = e.code === 'ENOENT' ? 'executable file not found in $PATH' : e.code === 'EACCES' ? 'permission denied' : e.message;
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${file}": ${why}: unknown`;
}

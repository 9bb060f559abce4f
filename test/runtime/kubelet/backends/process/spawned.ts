/** Runs a sandbox command as the process backend does: its own process group, output collected. */
import { spawn } from 'node:child_process';
import type { SandboxCommand } from '../../../../../runtime/kubelet/backends/process/sandbox.ts';

export interface Spawned {
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the whole group if the test did not (never leaves a process behind). */
  kill(): void;
}

export function spawnSandboxed(cmd: SandboxCommand): Spawned {
  const child = spawn(cmd.file, cmd.args, { env: cmd.env, cwd: cmd.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  return {
    pid: child.pid!,
    output: () => out,
    exited,
    kill() {
      if (done) return;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

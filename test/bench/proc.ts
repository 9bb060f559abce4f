/** What the benches read of a process from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time (user + system) a process has used, in ms (clock ticks of 10 ms, Linux's USER_HZ). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/**
 * `kite up ARGS` in the foreground under `node --cpu-prof` (SIGINT stops it and writes the
 * profile), resolved once it prints that it is ready.
 */
export async function profiledUp(bin: string, args: string[], profileDir: string, cwd: string): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, bin, 'up', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let stderr = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`kite up not ready within 60 s:\n${stderr}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (stderr.includes('kite control plane ready in')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`kite up exited ${code}:\n${stderr}`));
    });
  });
  return { child, exited };
}

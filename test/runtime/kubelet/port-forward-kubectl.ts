/** Runs `kubectl port-forward` as a long-lived child for tests: its local port, its output, and its end. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually, type TestRuntime } from '../harness.ts';

export interface RunningForward {
  child: ChildProcess;
  /** The local port of the first `Forwarding from 127.0.0.1:<port>` line. */
  localPort: number;
  stdout(): string;
  stderr(): string;
  /** Ends the child (SIGINT, as Ctrl-C) and waits for it. */
  stop(): Promise<number | null>;
}

export async function kubectlPortForward(rt: TestRuntime, args: string[], env: Record<string, string> = {}): Promise<RunningForward> {
  const child = spawn('kubectl', ['--kubeconfig', rt.kubeconfig, '--cache-dir', join(rt.dir, 'kubectl-cache'), 'port-forward', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    return exited;
  };
  try {
    const localPort = await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`kubectl exited ${child.exitCode}: ${err}`);
        const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(out);
        return m ? Number(m[1]) : undefined;
      },
      { timeoutMs: 20_000, what: `kubectl port-forward ${args.join(' ')} to listen (stderr: ${err})` },
    );
    return { child, localPort, stdout: () => out, stderr: () => err, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

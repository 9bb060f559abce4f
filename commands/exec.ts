/**
 * `kite exec POD [-c C] [-i] [-t] -- CMD...`: runs a command in a pod's container through
 * pods/exec, speaking the WebSocket remote-command protocol as kubectl 1.32 does
 * (runtime-semantics §18.3): stdout and stderr arrive on their channels, stdin goes out on
 * channel 0 and ends with `[255, 0]`, terminal sizes on channel 4; the Status on channel 3
 * gives the command's exit code, which becomes kite's.
 */
import type { Readable, Writable } from 'node:stream';
import type { Pod } from '../lib/api/model.ts';
import type { Status } from '../lib/api/status.ts';
import { openWebSocket } from '../lib/kube/streams.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { reportKubeError } from './kube-errors.ts';
import { POD_REF } from './logs.ts';
import { UserError, type Io } from './output.ts';
import { podContainer, podPath } from './pod-container.ts';
import { connect, type TargetFlags } from './target.ts';

export interface ExecOptions {
  pod: string;
  command: string[];
  container?: string;
  namespace?: string;
  stdin: boolean;
  tty: boolean;
  target: TargetFlags;
}

/** The streams the command's own bytes go through (the process's, in the CLI). */
export interface ExecStdio {
  stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: Writable & { columns?: number; rows?: number };
  stderr: Writable;
}

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const RESIZE = 4;
const CLOSE = 255;

/** The command's exit code; 1 when the server refused or the pod cannot run it. */
export async function execCommand(o: ExecOptions, io: Io, stdio: ExecStdio): Promise<number> {
  if (o.command.length === 0) throw new UserError('you must specify at least one command for the container');
  const client = connect(o.target, o.namespace ? { namespace: o.namespace } : {});
  try {
    const ns = client.target.namespace;
    const pod = await client.get<Pod>(POD_REF, ns, o.pod);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new UserError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = podContainer(pod, o.container, io.err);
    const ws = await openWebSocket(
      client,
      podPath(ns, o.pod, 'exec'),
      // As kubectl asks: false flags omitted, no stderr with a TTY (it is merged into stdout).
      { command: o.command, container, stdin: o.stdin || undefined, stdout: true, stderr: o.tty ? undefined : true, tty: o.tty || undefined },
      ['v5.channel.k8s.io'],
    );
    const status = await session(ws, o, stdio);
    if (!status || status.status === 'Success') return EXIT_OK;
    if (status.reason === 'NonZeroExitCode') {
      const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
      io.err(`command terminated with exit code ${code}\n`);
      return code;
    }
    io.err(`error: ${status.message ?? 'the command failed'}\n`);
    return EXIT_USER_ERROR;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}

/** Runs the session until the server closes it; resolves with the Status it sent. */
function session(ws: import('ws').WebSocket, o: ExecOptions, stdio: ExecStdio): Promise<Status | undefined> {
  return new Promise((resolve, reject) => {
    let status: Status | undefined;
    const send = (channel: number, data: Buffer | string) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
    };
    const raw = o.tty && o.stdin && stdio.stdin.isTTY && stdio.stdin.setRawMode;
    const resize = () => send(RESIZE, JSON.stringify({ Width: stdio.stdout.columns ?? 80, Height: stdio.stdout.rows ?? 24 }));
    const onData = (chunk: Buffer) => send(STDIN, chunk);
    const onEnd = () => ws.readyState === ws.OPEN && ws.send(Buffer.from([CLOSE, STDIN]));
    if (o.tty) {
      resize();
      process.on('SIGWINCH', resize);
    }
    if (raw) stdio.stdin.setRawMode!(true);
    if (o.stdin) {
      stdio.stdin.on('data', onData);
      stdio.stdin.once('end', onEnd);
    }
    ws.on('message', (data: Buffer) => {
      const payload = data.subarray(1);
      if (data[0] === STDOUT) stdio.stdout.write(payload);
      else if (data[0] === STDERR) stdio.stderr.write(payload);
      else if (data[0] === STATUS) status = JSON.parse(payload.toString()) as Status;
    });
    ws.on('error', reject);
    ws.on('close', () => {
      process.off('SIGWINCH', resize);
      if (raw) stdio.stdin.setRawMode!(false);
      if (o.stdin) {
        stdio.stdin.off('data', onData);
        stdio.stdin.off('end', onEnd);
        stdio.stdin.pause();
      }
      resolve(status);
    });
  });
}

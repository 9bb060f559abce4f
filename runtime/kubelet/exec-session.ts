/**
 * One pods/exec session over WebSocket, the kubelet's side of the remote-command protocol
 * (runtime-semantics §18.3; apimachinery pkg/util/httpstream/wsstream, kubelet
 * cri/streaming/remotecommand v4WriteStatusFunc): binary messages whose first byte is the
 * channel — 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize — stdin's end as `[255, 0]` (v5),
 * and exactly one Status on channel 3 before the close.
 */
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Status } from '../../lib/api/status.ts';

/** What goes on channel 3: a Status without its type (as the kubelet marshals metav1.Status). */
type ChannelStatus = Omit<Status, 'kind' | 'apiVersion'>;
import { StreamRefused, type ExecStreams, type KubeletBackend } from './backend.ts';
import type { Pod } from '../../lib/api/model.ts';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
/** v5's close signal: `[255, <channel>]`. */
export const CLOSE = 255;

/** The channel protocols kubectl offers, the one we prefer first. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** How long a TTY session waits for the terminal's size before starting without one. */
const FIRST_SIZE_WAIT_MS = 1000;

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecRequest {
  pod: Pod;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export async function runExecSession(ws: WebSocket, backend: KubeletBackend, r: ExecRequest): Promise<void> {
  const stdin = r.stdin ? new PassThrough() : undefined;
  const resizeListeners: Array<(size: TerminalSize) => void> = [];
  let size: TerminalSize | undefined;
  let sized: () => void = () => {};
  const firstSize = new Promise<void>((resolve) => (sized = resolve));
  ws.on('message', (data: Buffer) => {
    const channel = data[0];
    if (channel === STDIN) stdin?.write(data.subarray(1));
    else if (channel === RESIZE) {
      size = parseResize(data.subarray(1)) ?? size;
      if (size) for (const l of resizeListeners) l(size);
      sized();
    } else if (channel === CLOSE && data[1] === STDIN) stdin?.end();
  });
  ws.on('close', () => stdin?.end());
  const streams: ExecStreams = {
    tty: r.tty,
    ...(stdin ? { stdin } : {}),
    ...(r.stdout ? { stdout: channelWriter(ws, STDOUT) } : {}),
    // With a TTY stderr is merged into stdout (kubectl asks for no stderr then).
    ...(r.stderr && !r.tty ? { stderr: channelWriter(ws, STDERR) } : {}),
    ...(r.tty
      ? {
          onResize: (l: (size: TerminalSize) => void) => {
            resizeListeners.push(l);
            if (size) l(size);
          },
        }
      : {}),
  };
  // With a TTY the terminal's size comes first (kubectl sends it at once), so the command starts at its size.
  if (r.tty) await Promise.race([firstSize, new Promise((resolve) => setTimeout(resolve, FIRST_SIZE_WAIT_MS).unref())]);
  let status: ChannelStatus;
  try {
    const { exitCode } = await backend.exec!(r.pod, r.container, r.command, streams);
    status = exitStatus(r.command, exitCode);
  } catch (e) {
    // client-go returns a Failure's message as the error (kubectl prints `error: <message>`).
    status = e instanceof StreamRefused ? failure('BadRequest', e.message) : failure('InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`);
  }
  if (ws.readyState === ws.OPEN) {
    ws.send(Buffer.concat([Buffer.from([STATUS]), Buffer.from(JSON.stringify(status))]));
    ws.close(1000);
  }
}

/** The Status v4WriteStatusFunc sends for an exit code: Success, or NonZeroExitCode with the code as its ExitCode cause. */
export function exitStatus(command: string[], exitCode: number): ChannelStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

function failure(reason: string, message: string): ChannelStatus {
  return { metadata: {}, status: 'Failure', message, reason };
}

/** What the process writes to one stream, as binary messages on its channel. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (ws.readyState !== ws.OPEN) return done();
      // A client gone mid-stream loses the rest of the output; the command still runs to its end.
      ws.send(Buffer.concat([Buffer.from([channel]), chunk]), () => done());
    },
  });
}

/** `{"Width":80,"Height":24}` (remotecommand.TerminalSize). */
function parseResize(data: Buffer): TerminalSize | undefined {
  try {
    const size = JSON.parse(data.toString()) as { Width?: unknown; Height?: unknown };
    return typeof size.Width === 'number' && typeof size.Height === 'number' ? { width: size.Width, height: size.Height } : undefined;
  } catch {
    return undefined;
  }
}

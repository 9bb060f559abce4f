/**
 * One forwarded connection, whichever protocol carried it (./port-forward-spdy.ts,
 * ./port-forward-websocket.ts): the backend dials the pod's port, bytes are copied both ways
 * with half-closes passed on, and a failure is written as text on the error stream — the
 * kubelet's wording (pkg/kubelet/cri/streaming/portforward/httpstream.go, `portForward`:
 * `error forwarding port <port> to pod <sandbox>, uid <uid>: <runtime error>`; the CRI is asked
 * by sandbox id with an empty uid). kubectl prints that text as
 * `an error occurred forwarding <local> -> <remote>: <text>`.
 */
import type { Duplex, Writable } from 'node:stream';
import type { Pod } from '../../lib/api/model.ts';

/** Opens a connection to one of the pod's ports (the backend's portForward, bound to the pod). */
export type PodPortDialer = (port: number) => Promise<Duplex>;

/** The kubelet's error text for a forward that failed. */
export function forwardErrorText(pod: Pod, port: number, cause: string): string {
  // The CRI names the pod by its sandbox; a pod's uid is what identifies its sandbox here.
  return `error forwarding port ${port} to pod ${pod.metadata.uid ?? pod.metadata.name}, uid : ${cause}`;
}

/**
 * Forwards `data` to the pod's `port` until both directions ended; failures go to `error` as
 * text. `error` is ended when the forward is over (the client reads it to EOF).
 */
export async function forwardConnection(pod: Pod, port: number, dial: PodPortDialer, data: Duplex, error: Writable): Promise<void> {
  let conn: Duplex;
  try {
    conn = await dial(port);
  } catch (e) {
    error.end(forwardErrorText(pod, port, (e as Error).message));
    data.end();
    return;
  }
  await new Promise<void>((resolve) => {
    let open = 2;
    const done = () => {
      if (--open === 0) resolve();
    };
    // The pod's side half-closed: the client sees FIN on the data stream.
    conn.on('end', () => {
      data.end();
      done();
    });
    // The client half-closed: the pod's side is told with a FIN.
    data.on('end', () => {
      conn.end();
      done();
    });
    conn.on('data', (c: Buffer) => {
      if (!data.write(c)) conn.pause();
    });
    data.on('drain', () => conn.resume());
    data.on('data', (c: Buffer) => {
      if (!conn.write(c)) data.pause();
    });
    conn.on('drain', () => data.resume());
    const gone = () => {
      conn.destroy();
      data.destroy();
      resolve();
    };
    conn.on('error', gone);
    conn.on('close', () => {
      if (open > 0) {
        data.end();
        resolve();
      }
    });
    data.on('error', gone);
    data.on('close', () => {
      if (open > 0) gone();
    });
  });
  error.end();
}

/**
 * One forwarded connection to a pod's port through the API server, in the plain WebSocket
 * port-forward protocol every kubelet serves (k8s.io/kubelet pkg/cri/streaming/portforward/
 * websocket.go; runtime-semantics §18.5): `pods/<pod>/portforward?ports=<port>`, binary
 * messages of one channel byte and the payload — channel 0 data, channel 1 errors — each
 * channel's first message from the server being the port (2 bytes, little-endian).
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { KubeClient } from './client.ts';
import { openWebSocket } from './streams.ts';

const DATA = 0;
const ERROR = 1;
/** Binary channel framing (`v4.channel.k8s.io`; kubelets also take the older `channel.k8s.io`). */
export const PORT_FORWARD_WEBSOCKET_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

export function portForwardPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
}

/** A connection being forwarded: resolves once both ends are done, with the kubelet's error text ('' if none). */
export interface ForwardedConnection {
  done: Promise<string>;
  /** Ends it at once (both ends closed). */
  close(): void;
}

/** Opens the WebSocket for one connection; a refused upgrade rejects (a KubeApiError). */
export async function openPortForward(client: KubeClient, namespace: string, pod: string, port: number): Promise<WebSocket> {
  return openWebSocket(client, portForwardPath(namespace, pod), { ports: String(port) }, PORT_FORWARD_WEBSOCKET_PROTOCOLS);
}

/** Copies between `local` and the pod's port over `ws` until either side closes. */
export function pipePortForward(ws: WebSocket, local: Duplex): ForwardedConnection {
  let error = '';
  const seen = new Set<number>();
  const done = new Promise<string>((resolve) => {
    ws.on('message', (msg: Buffer) => {
      const ch = msg[0];
      if (ch !== DATA && ch !== ERROR) return;
      // The first message on each channel names the port; what follows is the stream.
      if (!seen.has(ch)) return void seen.add(ch);
      if (ch === DATA) {
        if (!local.write(msg.subarray(1))) ws.pause();
      } else error += msg.subarray(1).toString();
    });
    local.on('drain', () => ws.resume());
    local.on('data', (c: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([DATA]), c]));
    });
    ws.on('close', () => {
      local.end();
      resolve(error);
    });
    ws.on('error', () => local.destroy());
    // The protocol has no half-close: the local side closing ends the forward.
    local.on('close', () => ws.close(1000));
    local.on('error', () => ws.close(1000));
  });
  return {
    done,
    close: () => {
      ws.terminate();
      local.destroy();
    },
  };
}

/**
 * The plain WebSocket port-forward protocol (pkg/kubelet/cri/streaming/portforward/websocket.go):
 * the ports are in the query (`?port=8080,9090` at the kubelet, `?ports=` at the API server); for
 * the i-th port, channel 2i carries data and 2i+1 errors. Every message is one channel byte then the payload; the server's first message on
 * each channel is the port as 2-byte little-endian. One connection to the pod per port; the
 * WebSocket closes when all of them are over. kubectl no longer speaks it; kite's client does,
 * and so does any kubelet.
 */
import { Duplex, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Pod } from '../../lib/api/model.ts';
import { forwardConnection, type PodPortDialer } from './port-forward.ts';

/** Subprotocols it is offered under (binary channel framing; "" = none offered). */
export const PORT_FORWARD_WEBSOCKET_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

/**
 * The ports a request asks for, or the kubelet's refusal text (websocket.go, `NewV4Options`). The
 * kubelet reads `port` (api.PortHeader), which the API server fills from the client's `ports`
 * (registry/core/pod/strategy.go, `streamParams`).
 */
export function parseForwardPorts(q: URLSearchParams): number[] | string {
  const values = q.getAll('port');
  if (values.length === 0) return 'query parameter "port" is required';
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') return 'query parameter "port" cannot be empty';
    for (const p of value.split(',')) {
      if (!/^\d+$/.test(p)) return `unable to parse "${value}" as a port: strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`;
      const n = Number(p);
      if (n > 65535) return `unable to parse "${value}" as a port: strconv.ParseUint: parsing ${JSON.stringify(p)}: value out of range`;
      if (n < 1) return `port "${value}" must be > 0`;
      ports.push(n);
    }
  }
  return ports;
}

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

/** A channel of the WebSocket as a stream: what the client sends on it is readable, writes become messages. */
function channel(ws: WebSocket, id: number): Duplex {
  return new Duplex({
    allowHalfOpen: true,
    read() {},
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(Buffer.concat([Buffer.from([id]), chunk]), { binary: true }, () => cb());
    },
  });
}

export async function servePortForwardWebSocket(pod: Pod, dial: PodPortDialer, ws: WebSocket, ports: number[]): Promise<void> {
  const data = ports.map((_, i) => channel(ws, 2 * i));
  ws.on('message', (msg: Buffer, isBinary: boolean) => {
    if (!isBinary || msg.length === 0) return;
    const ch = msg[0]!;
    // Only data channels take input; what the client sends on an error channel is dropped.
    if (ch % 2 === 0) data[ch / 2]?.push(msg.subarray(1));
  });
  const ended = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  void ended.then(() => {
    for (const d of data) d.push(null);
  });
  for (let i = 0; i < ports.length; i++) {
    ws.send(Buffer.concat([Buffer.from([2 * i]), portBytes(ports[i]!)]));
    ws.send(Buffer.concat([Buffer.from([2 * i + 1]), portBytes(ports[i]!)]));
  }
  await Promise.all(
    ports.map((port, i) => {
      const error = new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([2 * i + 1]), chunk]), () => cb());
          else cb();
        },
      });
      return forwardConnection(pod, port, dial, data[i]!, error);
    }),
  );
  ws.close(1000);
}

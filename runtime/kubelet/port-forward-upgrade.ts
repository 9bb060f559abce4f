/**
 * Accepting a pods/portforward upgrade at the kubelet, in the three ways clients ask:
 * - WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io` (kubectl 1.32's first try): SPDY
 *   frames carried in binary messages, read and written as one byte stream;
 * - `Upgrade: SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io` (kubectl's fallback,
 *   `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`): SPDY directly on the connection;
 * - plain WebSocket (`?ports=`, channel framing): kite's own client.
 * Negotiation wording from apimachinery pkg/util/httpstream/httpstream.go (`Handshake`).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Pod } from '../../lib/api/model.ts';
import { answerOnSocket } from '../http/raw-socket.ts';
import type { PodPortDialer } from './port-forward.ts';
import { PORT_FORWARD_PROTOCOL, servePortForwardSpdy, SPDY_OVER_WEBSOCKET_PROTOCOL, type PortForwardSession } from './port-forward-spdy.ts';
import { parseForwardPorts, PORT_FORWARD_WEBSOCKET_PROTOCOLS, servePortForwardWebSocket } from './port-forward-websocket.ts';

const WEBSOCKET_PROTOCOLS = [SPDY_OVER_WEBSOCKET_PROTOCOL, ...PORT_FORWARD_WEBSOCKET_PROTOCOLS];

export class PortForwardServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => WEBSOCKET_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  private readonly sessions = new Set<PortForwardSession>();
  private readonly sockets = new Set<Duplex>();
  /** Tunnel requests whose protocol header was taken off before the handshake (see acceptWebSocket). */
  private readonly tunnels = new WeakSet<IncomingMessage>();

  constructor() {
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      if (this.tunnels.has(req)) headers.push(`Sec-WebSocket-Protocol: ${SPDY_OVER_WEBSOCKET_PROTOCOL}`);
    });
  }

  /** Takes over an upgrade request for the pod (already authorised, the pod running). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, pod: Pod, dial: PodPortDialer, query: URLSearchParams): void {
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'websocket') return this.acceptWebSocket(req, socket, head, pod, dial, query);
    if (upgrade === 'spdy/3.1') return this.acceptSpdy(req, socket, head, pod, dial);
    answerOnSocket(socket, 400, `unable to upgrade: unsupported protocol ${req.headers.upgrade ?? '(none)'}`, 'text/plain');
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    for (const s of this.sessions) s.close();
    for (const s of this.sockets) s.destroy();
    this.wss.close();
  }

  private acceptSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, pod: Pod, dial: PodPortDialer): void {
    const offered = (req.headers['x-stream-protocol-version'] ?? '')
      .toString()
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    // A client naming no protocol is taken to speak the only one (httpstream.Handshake).
    if (offered.length && !offered.includes(PORT_FORWARD_PROTOCOL)) {
      return answerOnSocket(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`, 'text/plain');
    }
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
        (offered.length ? `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n` : '') +
        `\r\n`,
    );
    const session = servePortForwardSpdy(pod, dial, {
      write: (b) => {
        if (socket.writable) socket.write(b);
      },
      close: () => socket.destroy(),
    });
    this.track(session, socket);
    if (head.length) session.receive(head);
    socket.on('data', (b: Buffer) => session.receive(b));
  }

  private acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, pod: Pod, dial: PodPortDialer, query: URLSearchParams): void {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const tunnel = offered.includes(SPDY_OVER_WEBSOCKET_PROTOCOL);
    let ports: number[] = [];
    if (!tunnel) {
      const parsed = parseForwardPorts(query);
      if (typeof parsed === 'string') return answerOnSocket(socket, 400, parsed, 'text/plain');
      ports = parsed;
      if (offered.length && !PORT_FORWARD_WEBSOCKET_PROTOCOLS.some((p) => offered.includes(p))) {
        return answerOnSocket(socket, 400, `unable to upgrade: none of the offered protocols is supported: ${offered.join(', ')}`, 'text/plain');
      }
    }
    if (tunnel) {
      // `/` is not a token character (RFC 7230), so ws refuses `SPDY/3.1+portforward.k8s.io` as
      // malformed; Go's gorilla/websocket accepts it. The header is removed for ws, and the
      // chosen protocol is put back into the 101 answer ('headers' above).
      delete req.headers['sec-websocket-protocol'];
      this.tunnels.add(req);
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (!tunnel) return void servePortForwardWebSocket(pod, dial, ws, ports).catch(() => ws.terminate());
      const session = servePortForwardSpdy(pod, dial, {
        write: (b) => {
          if (ws.readyState === ws.OPEN) ws.send(b, { binary: true });
        },
        close: () => ws.terminate(),
      });
      this.sessions.add(session);
      ws.on('message', (m: Buffer) => session.receive(m));
      ws.on('close', () => {
        session.close();
        this.sessions.delete(session);
      });
    });
  }

  private track(session: PortForwardSession, socket: Duplex): void {
    this.sessions.add(session);
    this.sockets.add(socket);
    const end = () => {
      session.close();
      this.sessions.delete(session);
      this.sockets.delete(socket);
      socket.destroy();
    };
    socket.on('close', end).on('error', end).on('end', end);
  }
}

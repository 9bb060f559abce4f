/**
 * Proxying a stream to a kubelet, as kube-apiserver does: pods/log as a streamed HTTP response
 * (LocationStreamer: chunked, kept open while following), pods/exec as an upgrade
 * (UpgradeAwareHandler: the upgrade request is forwarded with the kubelet credentials, then the
 * two raw connections are piped). A kubelet's own refusal (a Status) goes back as it is; a
 * kubelet that does not answer gives kube-apiserver's wording for it.
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { answerOnSocket } from '../../http/raw-socket.ts';
import { ApiError } from '../status.ts';
import type { KubeletStream } from './streaming.ts';

/** pods/log: the kubelet's answer, streamed through. */
export function proxyLog(res: ServerResponse, to: KubeletStream, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = `http://${to.host}:${to.port}${to.pathAndQuery}`;
    const up = request(url, { headers: { Authorization: `Bearer ${token}` } });
    up.on('error', (e) => reject(unreachable(`Get "${url}": ${dialError(to, e)}`)));
    up.on('response', (kubelet) => {
      res.on('close', () => {
        up.destroy();
        resolve();
      });
      res.writeHead(kubelet.statusCode ?? 502, { 'Content-Type': kubelet.headers['content-type'] ?? 'text/plain' });
      // Lines are sent as they come: a follower sees each one at once.
      res.flushHeaders();
      kubelet.pipe(res);
      kubelet.on('end', () => resolve());
      kubelet.on('error', () => res.destroy());
    });
    up.end();
  });
}

/** pods/exec (and attach, port-forward): the upgrade forwarded; after a 101 the connections are piped. */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, to: KubeletStream, token: string): void {
  const headers = { ...req.headers, authorization: `Bearer ${token}`, host: `${to.host}:${to.port}` };
  const up = request({ host: to.host, port: to.port, path: to.pathAndQuery, method: req.method, headers });
  up.on('error', (e) => {
    const err = unreachable(`error dialing backend: ${dialError(to, e)}`);
    answerOnSocket(socket, err.code, JSON.stringify(err.toStatus()));
  });
  up.on('upgrade', (kubelet, kubeletSocket, kubeletHead) => {
    const lines = [`HTTP/1.1 101 ${kubelet.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < kubelet.rawHeaders.length; i += 2) lines.push(`${kubelet.rawHeaders[i]}: ${kubelet.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (kubeletHead.length) socket.write(kubeletHead);
    if (head.length) kubeletSocket.write(head);
    socket.pipe(kubeletSocket).pipe(socket);
    const end = () => {
      socket.destroy();
      kubeletSocket.destroy();
    };
    for (const s of [socket, kubeletSocket]) s.on('error', end).on('close', end);
  });
  // Not upgraded: the kubelet's refusal, passed on.
  up.on('response', (kubelet) => {
    const chunks: Buffer[] = [];
    kubelet.on('data', (c: Buffer) => chunks.push(c));
    kubelet.on('end', () => answerOnSocket(socket, kubelet.statusCode ?? 502, Buffer.concat(chunks).toString(), kubelet.headers['content-type'] ?? 'text/plain'));
  });
  socket.on('error', () => up.destroy());
  up.end();
}

/** What a dial error reads like from Go's net package (`dial tcp 127.0.0.1:10250: connect: connection refused`). */
function dialError(to: KubeletStream, e: NodeJS.ErrnoException): string {
  const why: Record<string, string> = { ECONNREFUSED: 'connect: connection refused', ETIMEDOUT: 'i/o timeout', ECONNRESET: 'read: connection reset by peer' };
  return `dial tcp ${to.host}:${to.port}: ${why[e.code ?? ''] ?? e.message}`;
}

/** A plain Go error through ErrorToAPIStatus: 500 with no reason (kubectl prints `Error from server: <message>`). */
function unreachable(message: string): ApiError {
  return new ApiError(500, '', message);
}

/** An HTTP answer written straight to a socket: for requests Node hands over raw (upgrades, unparseable requests). */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

export function answerOnSocket(socket: Duplex, code: number, body: string, type = 'application/json'): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * One forwarded TCP connection: the client's socket joined to a new connection to the chosen
 * endpoint. Bytes are written straight from each `data` event with pause/resume backpressure
 * (measured faster than `pipe` in test/bench/proxy.ts), Nagle off on both sides so small
 * requests are not held back, half-closes passed on (a client may end its side and still read),
 * and a failure on either side resets the other (the client of an unreachable endpoint sees a
 * reset, as it would through kube-proxy's DNAT).
 *
 * The endpoint sees the client's address, as it does through kube-proxy's DNAT: every client
 * here is on loopback, and any 127/8 address can be a socket's local address, so the upstream
 * connection is bound to the client's.
 */
import { connect, type Socket } from 'node:net';
import type { ProxyEndpoint } from './service-table.ts';

/** Every socket of forwarded connections, so stop() can end them all. */
export type SocketSet = Set<Socket>;

export function forwardTcp(client: Socket, endpoint: ProxyEndpoint, open: SocketSet): void {
  const from = client.remoteAddress;
  const localAddress = from?.startsWith('127.') ? from : from?.startsWith('::ffff:127.') ? from.slice(7) : undefined;
  // The endpoint's replies are read without the stream machinery (`onread`: one buffer per
  // connection, handed straight to the client's socket), the cheaper half of the proxy's work.
  const replies = Buffer.allocUnsafe(64 * 1024);
  let upstream: Socket;
  const onReply = (n: number, buf: Buffer): boolean => {
    const chunk = buf.subarray(0, n);
    client.write(chunk);
    // Written through at once: the buffer can be read into again. Else the client's socket holds
    // it: stop reading until it drained.
    if (client.writableLength === 0) return true;
    client.once('drain', () => upstream.resume());
    return false;
  };
  upstream = connect({ host: endpoint.ip, port: endpoint.port, noDelay: true, allowHalfOpen: true, onread: { buffer: replies, callback: onReply }, ...(localAddress ? { localAddress } : {}) });
  client.setNoDelay(true);
  open.add(client);
  open.add(upstream);
  join(client, upstream, open);
  passEnds(upstream, client, open);
}

/** Copies `from` to `to` and passes on its end and its failure. */
function join(from: Socket, to: Socket, open: SocketSet): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  passEnds(from, to, open);
}

/** Passes on `from`'s end and its failure to `to`. */
function passEnds(from: Socket, to: Socket, open: SocketSet): void {
  from.on('end', () => {
    if (!to.destroyed) to.end();
  });
  from.on('error', () => {
    if (!to.destroyed) to.resetAndDestroy();
  });
  from.on('close', () => {
    open.delete(from);
    // Both halves ended cleanly: the other side closes once its own end is flushed.
    if (!to.destroyed && to.writableEnded && to.readableEnded) to.destroy();
  });
}

/**
 * One forwarded TCP connection: the client's socket joined to a new connection to the chosen
 * endpoint. Nagle is off on both sides so small requests are not held back, half-closes are
 * passed on (a client may end its side and still read), and a failure on either side resets the
 * other (the client of an unreachable endpoint sees a reset, as it would through kube-proxy's
 * DNAT).
 *
 * The endpoint's replies are read with `onread` into one buffer per connection (no stream 'data'
 * events, no allocation per chunk) and written straight to the client. The client's side is read
 * with 'data' events (measured faster than `pipe` in test/bench/proxy.ts): Node offers `onread`
 * only to sockets it creates, and re-wrapping the accepted socket's handle in one (a private
 * field) showed no gain beyond the machine's noise (README, Service networking).
 *
 * The endpoint sees the client's address, as it does through kube-proxy's DNAT: every client
 * here is on loopback, and any 127/8 address can be a socket's local address, so the upstream
 * connection is bound to the client's.
 */
import { connect, type OnReadOpts, type Socket } from 'node:net';
import type { ProxyEndpoint } from './service-table.ts';

/** Every socket of forwarded connections, so stop() can end them all. */
export type SocketSet = Set<Socket>;

/** Each read's bytes of the endpoint's replies; 64 KiB, libuv's own read size. */
const BUFFER_BYTES = 64 * 1024;

/** Forwards `client` (just accepted) to `endpoint`. */
export function forwardTcp(client: Socket, endpoint: ProxyEndpoint, open: SocketSet): void {
  const from = client.remoteAddress;
  const localAddress = from?.startsWith('127.') ? from : from?.startsWith('::ffff:127.') ? from.slice(7) : undefined;
  const replies = new Relay();
  const upstream = connect({ host: endpoint.ip, port: endpoint.port, noDelay: true, allowHalfOpen: true, onread: replies.onread, ...(localAddress ? { localAddress } : {}) });
  replies.join(upstream, client);
  client.setNoDelay(true);
  open.add(client);
  open.add(upstream);
  client.on('data', (chunk: Buffer) => {
    if (!upstream.write(chunk)) client.pause();
  });
  upstream.on('drain', () => client.resume());
  passEnds(client, upstream, open);
  passEnds(upstream, client, open);
}

/**
 * The replies: what `from` (the endpoint) reads goes to `to` (the client). The buffer is read
 * into again only once the last chunk has left it: at once when the kernel took the whole write,
 * else `from` pauses until that write completes (its callback: 'drain' comes only past the
 * high-water mark, so a small chunk written in part would have paused the replies for good).
 */
class Relay {
  private from!: Socket;
  private to!: Socket;
  private waiting = false;
  readonly onread: OnReadOpts = {
    buffer: Buffer.allocUnsafe(BUFFER_BYTES),
    callback: (n: number, buf: Uint8Array): boolean => {
      this.to.write(buf.subarray(0, n), this.written);
      if (this.to.writableLength === 0) return true;
      this.waiting = true;
      return false;
    },
  };

  join(from: Socket, to: Socket): void {
    this.from = from;
    this.to = to;
  }

  // Nothing of this direction left in `to`'s queue: the buffer is free.
  private readonly written = (): void => {
    if (!this.waiting || this.to.writableLength !== 0) return;
    this.waiting = false;
    this.from.resume();
  };
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

/**
 * One forwarded TCP connection: the client's socket joined to a new connection to the chosen
 * endpoint. Bytes are written straight from each `data` event with pause/resume backpressure
 * (measured faster than `pipe` in test/bench/proxy.ts), Nagle off on both sides so small
 * requests are not held back, half-closes passed on (a client may end its side and still read),
 * and a failure on either side resets the other (the client of an unreachable endpoint sees a
 * reset, as it would through kube-proxy's DNAT).
 */
import { connect, type Socket } from 'node:net';
import type { ProxyEndpoint } from './service-table.ts';

/** Every socket of forwarded connections, so stop() can end them all. */
export type SocketSet = Set<Socket>;

export function forwardTcp(client: Socket, endpoint: ProxyEndpoint, open: SocketSet): void {
  const upstream = connect({ host: endpoint.ip, port: endpoint.port, noDelay: true, allowHalfOpen: true });
  client.setNoDelay(true);
  open.add(client);
  open.add(upstream);
  join(client, upstream, open);
  join(upstream, client, open);
}

/** Copies `from` to `to` and passes on its end and its failure. */
function join(from: Socket, to: Socket, open: SocketSet): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
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

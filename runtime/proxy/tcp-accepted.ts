/**
 * An accepted connection re-wrapped to read through `onread`. `net.Server` builds the Socket of
 * an accepted connection without that option (lib/net.js `onconnection`), so a server listening
 * with `pauseOnConnect` hands over a socket that has read nothing yet; its handle moves to a new
 * Socket built with `onread` (the constructor takes a handle: lib/net.js `Socket`, as `onconnection`
 * itself uses it), and the husk is destroyed without a handle, which only releases the server's
 * count of connections. This reaches Socket's `_handle`, which Node does not document; where a
 * Node changes it, the connection is reset rather than mis-forwarded.
 */
import { Socket, type OnReadOpts } from 'node:net';

interface WithHandle {
  _handle: object | null;
}

/** The new Socket; undefined (and `accepted` reset) when it has no handle to move. */
export function withOnread(accepted: Socket, onread: OnReadOpts): Socket | undefined {
  const husk = accepted as unknown as WithHandle;
  const handle = husk._handle;
  if (!handle || accepted.destroyed || accepted.readableFlowing !== false) {
    accepted.resetAndDestroy();
    return undefined;
  }
  husk._handle = null;
  accepted.destroy();
  // `handle` is what `onconnection` passes too; the typings leave it out.
  return new Socket({ handle, allowHalfOpen: true, readable: true, writable: true, onread } as ConstructorParameters<typeof Socket>[0]);
}

/**
 * kubectl's port-forward protocol (`portforward.k8s.io` over SPDY/3.1): per local connection the
 * client opens an `error` and a `data` stream with the same `requestID` and the remote `port`
 * in their headers. Rules from pkg/kubelet/cri/streaming/portforward/httpstream.go: every stream
 * is accepted, the pair is forwarded once both arrived; a stream without a valid `port` or
 * `streamType` is reset; a pair not complete within the creation timeout is dropped.
 */
import type { Pod } from '../../lib/api/model.ts';
import { forwardConnection, type PodPortDialer } from './port-forward.ts';
import { RstStatus } from './spdy/frames.ts';
import { SpdyServerSession, type SpdyStream, type SpdyTransport } from './spdy/session.ts';

/** The protocol name in `X-Stream-Protocol-Version` (apimachinery pkg/util/portforward/constants.go). */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol kubectl 1.32 tries first: the same SPDY session, in binary messages. */
export const SPDY_OVER_WEBSOCKET_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
/** The kubelet's streamCreationTimeout default (4h is its idle timeout; pairs come within seconds). */
const PAIR_TIMEOUT_MS = 30_000;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** A session being served: the caller feeds it the connection's bytes and closes it with the connection. */
export interface PortForwardSession {
  receive(bytes: Buffer): void;
  close(): void;
}

export function servePortForwardSpdy(pod: Pod, dial: PodPortDialer, transport: SpdyTransport): PortForwardSession {
  const pairs = new Map<string, Pair>();
  const session = new SpdyServerSession(transport, (stream) => {
    const type = stream.header('streamType');
    const port = Number(stream.header('port'));
    const requestId = stream.header('requestID') ?? String(stream.id);
    if ((type !== 'data' && type !== 'error') || !Number.isInteger(port) || port < 1 || port > 65535) return stream.reset(RstStatus.PROTOCOL_ERROR);
    void stream.reply().catch(() => {});
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(requestId);
        pair?.data?.reset();
        pair?.error?.reset();
      }, PAIR_TIMEOUT_MS);
      timer.unref();
      pair = { timer };
      pairs.set(requestId, pair);
    }
    pair[type] = stream;
    const { data, error } = pair;
    if (!data || !error) return;
    clearTimeout(pair.timer);
    pairs.delete(requestId);
    // The client writes nothing on the error stream; it only reads it to EOF.
    error.resume();
    void forwardConnection(pod, port, dial, data, error).catch(() => {});
  });
  return {
    receive: (bytes) => session.receive(bytes),
    close: () => {
      for (const p of pairs.values()) clearTimeout(p.timer);
      pairs.clear();
      session.close();
    },
  };
}

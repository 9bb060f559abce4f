/**
 * Node's socket errors worded as Go's net and net/http packages word them, because the kubelet
 * puts Go's error text into probe events and hook messages (`dial tcp 127.244.0.5:8080: connect:
 * connection refused`, `Get "http://…": …`). Wording from Go's net.OpError / url.Error and the
 * syscall errno strings of linux/amd64.
 */
import { isIPv6 } from 'node:net';

/** net.JoinHostPort: IPv6 literals in brackets. */
export function joinHostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

const CONNECT_ERRNO: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** The error a Go dialer reports for a failed `Dial("tcp", host:port)`. */
export function dialError(host: string, port: number, err: NodeJS.ErrnoException | 'timeout'): string {
  const addr = joinHostPort(host, port);
  if (err === 'timeout' || err.code === 'ETIMEDOUT') return `dial tcp ${addr}: i/o timeout`;
  const code = err.code ?? '';
  if (code === 'ENOTFOUND') return `dial tcp: lookup ${host}: no such host`;
  if (code === 'EAI_AGAIN') return `dial tcp: lookup ${host}: server misbehaving`;
  const text = CONNECT_ERRNO[code];
  if (text) return `dial tcp ${addr}: connect: ${text}`;
  return `dial tcp ${addr}: ${err.message}`;
}

/** net/http's error for TLS spoken to a plain-HTTP server. */
export const HTTP_RESPONSE_TO_HTTPS = 'http: server gave HTTP response to HTTPS client';

/** The error after the connection was made (net/http's transport wording). */
export function transportError(err: NodeJS.ErrnoException): string {
  // node's "socket hang up": the peer closed before a response, which Go reports as EOF.
  if (err.message === 'socket hang up') return 'EOF';
  if (err.code === 'ECONNRESET') return 'read: connection reset by peer';
  // TLS to a plain-HTTP server (the kubelet's isHTTPResponseError case).
  if (err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || err.code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || err.code === 'EPROTO') {
    return HTTP_RESPONSE_TO_HTTPS;
  }
  return err.message;
}

/** url.Error: `Get "<url>": <err>`. */
export function urlError(url: string, text: string): string {
  return `Get ${goQuote(url)}: ${text}`;
}

/** Go's %q for the ASCII strings these messages carry. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

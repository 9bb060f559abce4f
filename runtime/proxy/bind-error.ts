/**
 * A failed listen, worded as Go's net package words it (kube-proxy's messages come from there):
 * `listen tcp 127.240.0.1:80: bind: address already in use`.
 */
import type { ProxyListener } from './service-table.ts';

/** syscall.Errno strings for the errors a bind on loopback can give. */
const ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EPERM: 'operation not permitted',
};

export function bindErrorMessage(l: Pick<ProxyListener, 'address' | 'port' | 'protocol'>, e: NodeJS.ErrnoException): string {
  const text = (e.code && ERRNO_TEXT[e.code]) ?? e.message;
  return `listen ${l.protocol.toLowerCase()} ${l.address}:${l.port}: bind: ${text}`;
}

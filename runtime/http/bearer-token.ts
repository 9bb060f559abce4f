/** The runtime's bearer token, checked by the API server and by the kubelets' servers alike. */
import { timingSafeEqual } from 'node:crypto';

/** Constant-time check of an `Authorization` header against the bearer token. */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What every request passes before routing: the Host must be a loopback name (no DNS rebinding
 * from a browser), and a bearer token is required except on the public health/version paths.
 */
import type { IncomingMessage } from 'node:http';
import { errors } from '../status.ts';
import { bearerTokenMatches } from '../../http/bearer-token.ts';

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** Throws 403 for a foreign Host, 401 without the token. */
export function guard(req: IncomingMessage, pathname: string, token: string): void {
  if (!loopbackHost(req.headers.host)) throw errors.forbidden(`host "${req.headers.host}" is not allowed: the API server answers loopback names only`);
  if (!PUBLIC_PATHS.has(pathname) && !bearerTokenMatches(req.headers.authorization, token)) throw errors.unauthorized();
}

function loopbackHost(host: string | undefined): boolean {
  if (!host) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * Requests that ask to upgrade the connection (kubectl exec/attach: WebSocket GET, or SPDY POST
 * as the fallback; port-forward): the same guard and checks as every request, then the upgrade
 * is proxied to the pod's kubelet. Answers are written to the raw socket Node hands over.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { guard } from '../http/guard.ts';
import { answerOnSocket } from '../../http/raw-socket.ts';
import { parseRoute } from '../http/router.ts';
import { ApiError, errors } from '../status.ts';
import type { ServerContext } from './context.ts';
import { proxyUpgrade } from './kubelet-proxy.ts';
import { kubeletStream, type StreamSubresource } from './streaming.ts';

const UPGRADABLE = new Set<string>(['exec', 'attach', 'portforward']);

export function serveUpgrade(ctx: ServerContext, token: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  try {
    const url = new URL(req.url ?? '/', 'https://localhost');
    guard(req, url.pathname, token);
    const route = parseRoute(url.pathname.replace(/\/+$/, ''));
    if (!route || 'discovery' in route || route.r.resource !== 'pods' || !route.ns || !route.name || !UPGRADABLE.has(route.sub ?? '')) {
      throw errors.badRequest(`${url.pathname} cannot be upgraded: only pods/exec, pods/attach and pods/portforward can`);
    }
    proxyUpgrade(req, socket, head, kubeletStream(ctx.registry, route.ns, route.name, route.sub as StreamSubresource, url.searchParams), ctx.kubeletToken);
  } catch (e) {
    const err = e instanceof ApiError ? e : errors.internal((e as Error)?.message ?? String(e));
    answerOnSocket(socket, err.code, JSON.stringify(err.toStatus()));
  }
}

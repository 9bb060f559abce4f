/**
 * The API server: HTTPS on loopback only, bearer-token auth, the Kubernetes REST surface over
 * the registry. This file starts and stops it and dispatches each request; the guard, routing,
 * request parsing and responses live in http/, one handler module per concern in handlers/
 * (discovery and OpenAPI, CRUD, watch, subresources).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ServerContext } from './handlers/context.ts';
import { serveCollection, serveObject } from './handlers/crud.ts';
import { serveDiscovery, serveFixedPath } from './handlers/discovery.ts';
import { serveReview } from './handlers/reviews.ts';
import { serveSubresource } from './handlers/subresources.ts';
import { serveUpgrade } from './handlers/upgrade.ts';
import { guard } from './http/guard.ts';
import { answerOnSocket } from '../http/raw-socket.ts';
import { sendError } from './http/response.ts';
import { parseRoute } from './http/router.ts';
import type { Registry } from './registry.ts';
import { reviewAt } from './reviews.ts';
import { errors } from './status.ts';

export interface ApiServerOptions {
  registry: Registry;
  certPem: string;
  keyPem: string;
  token: string;
  host?: string;
  port?: number;
  /** What it presents to kubelets when proxying pods/log and pods/exec (default: `token`, which the runtime's kubelets share). */
  kubeletToken?: string;
  /** Interval of watch bookmarks for clients that allow them. */
  bookmarkIntervalMs?: number;
}

export interface RunningApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** HTTPS on loopback only, bearer-token auth, the Kubernetes REST surface over the registry. */
export async function startApiServer(o: ApiServerOptions): Promise<RunningApiServer> {
  const host = o.host ?? '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`the API server binds to loopback only, not ${host}`);
  const ctx: ServerContext = { registry: o.registry, kubeletToken: o.kubeletToken ?? o.token, bookmarkIntervalMs: o.bookmarkIntervalMs, watches: new Set() };
  const server: Server = createServer({ cert: o.certPem, key: o.keyPem }, (req, res) => {
    handle(ctx, o.token, req, res).catch((e) => sendError(res, e));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => serveUpgrade(ctx, o.token, req, socket, head));
  // A request Node's HTTP parser refuses (bad method, header or framing) still gets a Status.
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    answerOnSocket(socket, 400, JSON.stringify(errors.badRequest(`the request could not be parsed: ${e.code ?? e.message}`).toStatus()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of [...ctx.watches]) end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(ctx: ServerContext, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  guard(req, url.pathname, token);
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (method === 'GET' && serveFixedPath(res, path)) return;
  const review = reviewAt(path);
  if (review) return serveReview(req, res, method, review);
  const route = parseRoute(path);
  if (!route) throw errors.notFoundPath();
  if ('discovery' in route) return serveDiscovery(res, method, route);
  const rr = { req, res, method, q: url.searchParams, ...route };
  const { name, sub } = route;
  if (name === undefined) return serveCollection(ctx, rr);
  if (sub === undefined) return serveObject(ctx, { ...rr, name });
  return serveSubresource(ctx, { ...rr, name, sub });
}

/**
 * Streams from the API server for `kite logs` and `kite exec`, with the client's cluster and
 * credentials (TLS, headers, proxy): a streamed GET (pods/log, kept open with follow) and a
 * WebSocket (pods/exec, `v5.channel.k8s.io`, as kubectl 1.32 speaks it).
 */
import http from 'node:http';
import https from 'node:https';
import { WebSocket } from 'ws';
import type { KubeClient, QueryValue } from './client.ts';
import { KubeApiError, unreachable } from './errors.ts';
import { tunnelAgent } from './proxy.ts';

/** GET a path and hand over the response as it streams; a non-2xx answer is a KubeApiError. */
export async function openStream(client: KubeClient, path: string, query: Record<string, QueryValue>): Promise<http.IncomingMessage> {
  const { url, options } = await requestOptions(client, path, query);
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, { ...options, method: 'GET', headers: { ...options.headers, accept: 'text/plain, */*' } });
    req.on('error', (e) => reject(unreachable(client.target.server, client.target.local, e)));
    req.on('response', (res) => {
      if ((res.statusCode ?? 0) < 300) return resolve(res);
      failure(res, 'GET', path).then(reject, reject);
    });
    req.end();
  });
}

/** A WebSocket to a path, with one of `protocols`; a refused upgrade is a KubeApiError. */
export async function openWebSocket(client: KubeClient, path: string, query: Record<string, QueryValue>, protocols: string[]): Promise<WebSocket> {
  const { url, options } = await requestOptions(client, path, query);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { ...options, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => failure(res, 'GET', path).then(reject, reject));
    ws.once('error', (e) => reject(unreachable(client.target.server, client.target.local, e)));
  });
}

async function requestOptions(client: KubeClient, path: string, query: Record<string, QueryValue>): Promise<{ url: URL; options: https.RequestOptions }> {
  const conn = await client.target.connection();
  const url = new URL(client.target.server);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(x));
  }
  const secure = url.protocol === 'https:';
  const options: https.RequestOptions = { headers: { 'user-agent': 'kite', ...conn.headers }, ...(secure ? conn.tls : {}) };
  if (conn.proxy) options.agent = tunnelAgent(new URL(conn.proxy), secure, conn.tls);
  return { url, options };
}

async function failure(res: http.IncomingMessage, method: string, path: string): Promise<KubeApiError> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return new KubeApiError({ code: res.statusCode ?? 0, statusText: res.statusMessage ?? '', method, path, body });
}

/**
 * A cluster's `proxy-url`: requests go through an HTTP CONNECT tunnel to the API server (TLS
 * end to end for https servers, so the proxy sees neither credentials nor traffic). The proxy
 * itself may be reached over http:// or https://, with user:password in its URL for
 * Proxy-Authorization. socks5 proxies, which client-go also accepts, are not supported.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

export const PROXY_PROTOCOLS = ['http:', 'https:'];

/** A keep-alive agent whose connections are tunnels through `proxy`. */
export function tunnelAgent(proxy: URL, secure: boolean, tlsOptions: https.AgentOptions): http.Agent {
  const agent = secure ? new https.Agent({ keepAlive: true, scheduling: 'lifo', ...tlsOptions }) : new http.Agent({ keepAlive: true, scheduling: 'lifo' });
  // Node's Agent accepts a connection handed to the callback later, so the CONNECT can be awaited.
  agent.createConnection = (options: http.ClientRequestArgs & tls.ConnectionOptions, done?: (err: Error | null, stream: Duplex) => void) => {
    const host = (options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port);
    connectThrough(proxy, host, port).then(
      (socket) => {
        if (!secure) return done?.(null, socket);
        const servername = options.servername ?? (isIP(host) ? undefined : host);
        done?.(null, tls.connect({ ...options, host, socket, ...(servername ? { servername } : {}) }));
      },
      (e: Error) => done?.(e, undefined as unknown as Duplex),
    );
    return undefined as unknown as Duplex;
  };
  return agent;
}

function connectThrough(proxy: URL, host: string, port: number): Promise<Socket> {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  const secure = proxy.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({
      method: 'CONNECT',
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (secure ? 443 : 80),
      path: authority,
      headers,
      agent: false,
    });
    req.on('connect', (res: http.IncomingMessage, socket: Socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(Object.assign(new Error(`the proxy ${proxy.host} refused to connect to ${authority}: ${res.statusCode} ${res.statusMessage ?? ''}`.trim()), { code: 'EPROXY' }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => reject(Object.assign(new Error(`the proxy ${proxy.host}: ${e.code ?? e.message}`), { code: 'EPROXY', cause: e })));
    req.end();
  });
}

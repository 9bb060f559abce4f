/**
 * The kubelet's own HTTP server on loopback (the real kubelet's :10250): the API server proxies
 * pods/log (`/containerLogs/<ns>/<pod>/<container>`), pods/exec (`/exec/<ns>/<pod>/<container>`,
 * WebSocket `v5.channel.k8s.io`) and pods/portforward (`/portForward/<ns>/<pod>`, SPDY or
 * WebSocket: ./port-forward-upgrade.ts) to it, as kube-apiserver does; the port is published in the
 * Node's `status.daemonEndpoints.kubeletEndpoint.Port`. Only the API server may call it (a
 * bearer token the runtime shares with it). A backend without processes answers that there is
 * nothing to stream. Errors are Status objects, which the API server passes on as they are.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Pod } from '../../lib/api/model.ts';
import type { Status } from '../../lib/api/status.ts';
import { answerOnSocket } from '../http/raw-socket.ts';
import { bearerTokenMatches } from '../http/bearer-token.ts';
import { StreamRefused, type ContainerLogOptions, type KubeletBackend } from './backend.ts';
import { EXEC_PROTOCOLS, runExecSession } from './exec-session.ts';
import { PortForwardServer } from './port-forward-upgrade.ts';

export interface KubeletServerOptions {
  /** Finds a pod bound to this node (the kubelet's view). */
  pod(ns: string, name: string): Pod | undefined;
  backend: KubeletBackend;
  nodeName: string;
  /** Bearer token the API server presents. */
  token: string;
  host?: string;
  /** The port to try first (the one it had before a stop), else any free one. */
  port?: number;
}

export interface RunningKubeletServer {
  port: number;
  close(): Promise<void>;
}

/** What a stream to a pod on a node without processes would have reached (the wording the API server used before it proxied). */
const NOTHING_THERE: Record<string, string> = {
  containerLogs: 'no log to follow',
  exec: 'nothing to exec into',
  attach: 'nothing to attach to',
  portForward: 'no port to forward to',
};

/** A refusal, as the Status the API server relays. */
class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }

  status(): Status {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
  }
}

interface Target {
  what: string;
  pod: Pod;
  container: string;
  q: URLSearchParams;
}

export async function startKubeletServer(o: KubeletServerOptions): Promise<RunningKubeletServer> {
  const host = o.host ?? '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`the kubelet server binds to loopback only, not ${host}`);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false });
  const sessions = new Set<Promise<void>>();
  const forwards = new PortForwardServer();

  /** The request's pod and container, after the token; throws a Refusal. */
  const target = (req: IncomingMessage): Target => {
    if (!bearerTokenMatches(req.headers.authorization, o.token)) throw new Refusal(401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const [what = '', ns = '', name = '', container = ''] = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (!(what in NOTHING_THERE) || !ns || !name || (what !== 'portForward' && !container)) throw new Refusal(404, 'NotFound', 'the server could not find the requested resource');
    const pod = o.pod(ns, name);
    if (!pod) throw new Refusal(404, 'NotFound', `pods "${name}" not found`);
    const runs = what === 'containerLogs' ? o.backend.logs : what === 'exec' ? o.backend.exec : what === 'portForward' ? o.backend.portForward : undefined;
    const refusal = `pod ${name} runs on simulated node ${o.nodeName}: its containers are not processes, so there is ${NOTHING_THERE[what]}`;
    // Plain logs of a simulated node are empty; following them would wait for ever.
    if (!runs && !(what === 'containerLogs' && url.searchParams.get('follow') !== 'true')) throw new Refusal(400, 'BadRequest', refusal);
    if (what === 'attach') throw new Refusal(400, 'BadRequest', `kite's process kubelet does not support attach: use kubectl exec`);
    // The kubelet asks its runtime for the pod's sandbox (kubelet.go, GetPortForward); a pod not running has none.
    if (what === 'portForward' && pod.status?.phase !== 'Running') throw new Refusal(500, 'InternalError', `pod not found ("${name}_${ns}")`);
    return { what, pod, container, q: url.searchParams };
  };

  const server = createServer((req, res) => {
    serveLogs(o.backend, req, res, target).catch((e) => sendRefusal(res, e));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let t: Target;
    try {
      t = target(req);
      if (t.what === 'portForward') {
        const { pod } = t;
        // target() refused backends without portForward.
        return forwards.accept(req, socket, head, pod, (port) => o.backend.portForward!(pod, port), t.q);
      }
      if (t.what !== 'exec') throw new Refusal(400, 'BadRequest', `${t.what} is not an upgrade`);
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
        throw new Refusal(400, 'BadRequest', `unable to upgrade: kite's kubelet speaks the WebSocket remote-command protocol (${EXEC_PROTOCOLS.join(', ')}), not ${req.headers.upgrade}`);
      }
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if (!EXEC_PROTOCOLS.some((p) => offered.includes(p))) throw new Refusal(400, 'BadRequest', `unable to upgrade: none of the offered protocols is supported: ${offered.join(', ')}`);
    } catch (e) {
      const status = e instanceof Refusal ? e.status() : new Refusal(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`).status();
      return answerOnSocket(socket, status.code ?? 500, JSON.stringify(status));
    }
    const flag = (k: string) => t.q.get(k) === 'true' || t.q.get(k) === '1';
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = runExecSession(ws, o.backend, {
        pod: t.pod,
        container: t.container,
        command: t.q.getAll('command'),
        stdin: flag('stdin'),
        stdout: flag('stdout'),
        stderr: flag('stderr'),
        tty: flag('tty'),
      }).catch((e) => console.error(`kubelet ${o.nodeName}: exec:`, e));
      sessions.add(session);
      void session.finally(() => sessions.delete(session));
    });
  });
  await listen(server, o.port ?? 0, host).catch(() => listen(server, 0, host));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        forwards.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** GET /containerLogs/<ns>/<pod>/<container>: the backend's log, streamed (chunked; kept open with follow). */
async function serveLogs(backend: KubeletBackend, req: IncomingMessage, res: ServerResponse, target: (req: IncomingMessage) => Target): Promise<void> {
  const t = target(req);
  if (t.what !== 'containerLogs' || req.method !== 'GET') throw new Refusal(400, 'BadRequest', `${t.what} needs an upgrade request`);
  if (!backend.logs) {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    return void res.end();
  }
  const int = (k: string) => (t.q.has(k) ? Number(t.q.get(k)) : undefined);
  const opts: ContainerLogOptions = {
    container: t.container,
    follow: t.q.get('follow') === 'true',
    previous: t.q.get('previous') === 'true',
    timestamps: t.q.get('timestamps') === 'true',
  };
  for (const k of ['tailLines', 'sinceSeconds', 'limitBytes'] as const) {
    const v = int(k);
    if (v !== undefined && Number.isFinite(v)) opts[k] = v;
  }
  const source = await backend.logs(t.pod, opts);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  if (typeof source === 'string') return void res.end(source);
  res.flushHeaders();
  res.on('close', () => source.destroy());
  source.pipe(res);
}

function sendRefusal(res: ServerResponse, e: unknown): void {
  const refusal =
    e instanceof Refusal ? e : e instanceof StreamRefused ? new Refusal(400, 'BadRequest', e.message) : new Refusal(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`);
  if (res.headersSent) return void res.end();
  const body = JSON.stringify(refusal.status());
  res.writeHead(refusal.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

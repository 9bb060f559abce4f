/**
 * A tiny HTTPS peer for lib/kube's tests: a real TLS server on 127.0.0.1 with kite's credentials
 * (from loadOrCreateCredentials), answering fixed Kubernetes-shaped JSON, checking the bearer
 * token, recording every request, and streaming watches under the test's control. It is a peer
 * for the client, not a model of kite's API server.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from '../../runtime/apiserver/tls.ts';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

export const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const CORE_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'] },
    { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm'] },
  ],
};

const APPS_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'apps/v1',
  resources: [
    { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['deploy'], categories: ['all'] },
    { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
  ],
};

const AGGREGATED_CORE = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  metadata: {},
  items: [
    {
      metadata: { creationTimestamp: null },
      versions: [
        {
          version: 'v1',
          resources: [
            { resource: 'namespaces', responseKind: { group: '', version: 'v1', kind: 'Namespace' }, scope: 'Cluster', singularResource: 'namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
            {
              resource: 'pods',
              responseKind: { group: '', version: 'v1', kind: 'Pod' },
              scope: 'Namespaced',
              singularResource: 'pod',
              verbs: ['get', 'list'],
              shortNames: ['po'],
              categories: ['all'],
              subresources: [{ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] }],
            },
          ],
          freshness: 'Current',
        },
      ],
    },
  ],
};

const AGGREGATED_GROUPS = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  metadata: {},
  items: [
    {
      metadata: { name: 'apps' },
      versions: [
        {
          version: 'v1',
          resources: [
            { resource: 'deployments', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', verbs: ['get'], shortNames: ['deploy'] },
          ],
        },
      ],
    },
    {
      metadata: { name: 'example.com' },
      versions: [
        { version: 'v2', resources: [{ resource: 'widgets', responseKind: { group: 'example.com', version: 'v2', kind: 'Widget' }, scope: 'Cluster', singularResource: 'widget', verbs: ['get'] }] },
        { version: 'v1', resources: [{ resource: 'widgets', responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' }, scope: 'Cluster', singularResource: 'widget', verbs: ['get'] }] },
      ],
    },
  ],
};

export function status(code: number, reason: string, message: string, details?: object): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class Peer {
  readonly requests: Recorded[] = [];
  /** TCP connections accepted so far (keep-alive reuse keeps this low). */
  connections = 0;
  /** Serve aggregated discovery when asked for it. */
  aggregated = false;
  /** An extra legacy group whose discovery fails (like a down aggregated API). */
  brokenGroup = false;
  #routes: Array<{ method: string; path: string | RegExp; handler: Handler }> = [];

  private constructor(
    readonly server: https.Server,
    readonly url: string,
    readonly port: number,
    /** The bearer token it accepts; tests rotate it. */
    public token: string,
  ) {}

  static async start(creds: Credentials, opts: { port?: number } = {}): Promise<Peer> {
    const server = https.createServer({ cert: creds.certPem, key: creds.keyPem });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const peer = new Peer(server, `https://127.0.0.1:${port}`, port, creds.token);
    server.on('connection', () => peer.connections++);
    server.on('request', (req, res) => void peer.#handle(req, res));
    return peer;
  }

  /** Answer `method path` with `handler` (later routes win over earlier and over the defaults). */
  route(method: string, path: string | RegExp, handler: Handler): void {
    this.#routes.unshift({ method, path, handler });
  }

  clearRoutes(): void {
    this.#routes = [];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'https://peer');
    const rec: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(rec);
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    for (const r of this.#routes) {
      if (r.method !== rec.method) continue;
      if (typeof r.path === 'string' ? r.path !== rec.path : !r.path.test(rec.path)) continue;
      await r.handler(rec, res);
      return;
    }
    this.#defaults(rec, res);
  }

  #defaults(rec: Recorded, res: ServerResponse): void {
    const wantsAggregated = this.aggregated && String(rec.headers.accept ?? '').includes('as=APIGroupDiscoveryList');
    switch (`${rec.method} ${rec.path}`) {
      case 'GET /version':
        return sendJson(res, 200, VERSION);
      case 'GET /api':
        return wantsAggregated
          ? sendJson(res, 200, AGGREGATED_CORE, { 'content-type': 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })
          : sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
      case 'GET /apis':
        if (wantsAggregated) return sendJson(res, 200, AGGREGATED_GROUPS, { 'content-type': 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
        return sendJson(res, 200, {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [
            { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
            ...(this.brokenGroup
              ? [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } }]
              : []),
          ],
        });
      case 'GET /api/v1':
        return sendJson(res, 200, CORE_RESOURCES);
      case 'GET /apis/apps/v1':
        return sendJson(res, 200, APPS_RESOURCES);
      case 'GET /apis/metrics.k8s.io/v1beta1':
        return sendJson(res, 503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
      case 'GET /api/v1/namespaces':
        return sendJson(res, 200, {
          kind: 'NamespaceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '42' },
          items: ['default', 'kube-system'].map((name, i) => ({
            metadata: { name, uid: `00000000-0000-0000-0000-00000000000${i}`, resourceVersion: String(10 + i), creationTimestamp: '2025-01-01T00:00:00Z' },
            spec: { finalizers: ['kubernetes'] },
            status: { phase: 'Active' },
          })),
        });
      default:
        return sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
  }
}

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, openApiV3, openApiV3Root, versionInfo } from './discovery.ts';
import type { FieldValidation } from './admission.ts';
import type { DeleteOptions, ListOptions, Registry, WatchEvent, WriteResult } from './registry.ts';
import type { PatchType } from './patching.ts';
import { resourceAt, type ResourceDef } from './resources.ts';
import { ApiError, errors } from './status.ts';
import { toTable } from './tables.ts';
import { bearerTokenMatches } from './tls.ts';

type Obj = Record<string, any>;

/** Where pod logs come from (the kubelet); absent: pods have no logs to show. */
export type LogSource = (ns: string, pod: string, opts: LogOptions) => Promise<Readable | string>;
export interface LogOptions {
  container?: string;
  follow: boolean;
  tailLines?: number;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
}

export interface ApiServerOptions {
  registry: Registry;
  certPem: string;
  keyPem: string;
  token: string;
  host?: string;
  port?: number;
  logs?: LogSource;
  /** Interval of watch bookmarks for clients that allow them. */
  bookmarkIntervalMs?: number;
}

export interface RunningApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 3 * 1024 * 1024;
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** HTTPS on loopback only, bearer-token auth, the Kubernetes REST surface over the registry. */
export async function startApiServer(o: ApiServerOptions): Promise<RunningApiServer> {
  const host = o.host ?? '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`the API server binds to loopback only, not ${host}`);
  const watches = new Set<() => void>();
  const server: Server = createServer({ cert: o.certPem, key: o.keyPem }, (req, res) => {
    handle(req, res).catch((e) => sendError(res, e));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (!loopbackHost(req.headers.host)) throw errors.forbidden(`host "${req.headers.host}" is not allowed: the API server answers loopback names only`);
    if (!PUBLIC_PATHS.has(url.pathname) && !bearerTokenMatches(req.headers.authorization, o.token)) throw errors.unauthorized();
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;

    // discovery and health
    if (method === 'GET') {
      if (path === '/version') return sendJson(res, 200, versionInfo());
      if (path === '/healthz' || path === '/livez' || path === '/readyz') return sendText(res, 200, 'ok');
      if (path === '/api') return sendJson(res, 200, coreApiVersions());
      if (path === '/apis') return sendJson(res, 200, apiGroupList());
      if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Root());
      if (path.startsWith('/openapi/v3/')) {
        const doc = openApiV3(path.slice('/openapi/v3/'.length));
        if (!doc) throw errors.notFoundPath();
        return sendRaw(res, 200, doc, 'application/json');
      }
    }
    const route = parseRoute(path);
    if (!route) throw errors.notFoundPath();
    if ('discovery' in route) {
      if (method !== 'GET') throw errors.methodNotAllowed(method);
      const doc = route.group ? apiGroup(route.group) : apiResourceList(route.discovery);
      if (!doc) throw errors.notFoundPath();
      return sendJson(res, 200, doc);
    }
    const { r, ns, name, sub } = route;
    const reg = o.registry;
    const write = writeOptions(q);

    if (name === undefined) {
      // collection
      const list = listOptions(q);
      if (method === 'GET') {
        if (q.get('watch') === 'true' || q.get('watch') === '1') return watch(req, res, r, ns, { ...list, resourceVersion: q.get('resourceVersion') ?? undefined }, q);
        const result = reg.list(r, ns, list);
        if (wantsTable(req)) return sendJson(res, 200, withListMeta(toTable(r.resource, result.items, { now: reg.clock(), includeObject: includeObject(q) }), result), TABLE_TYPE);
        return sendJson(res, 200, {
          kind: `${r.kind}List`,
          apiVersion: r.apiVersion,
          metadata: listMeta(result),
          items: result.items,
        });
      }
      if (method === 'POST') {
        const body = await readJson(req);
        const result = await reg.create(r, ns, body, write);
        return sendWrite(res, result, 201);
      }
      if (method === 'DELETE') {
        const opts = await deleteOptions(req, q);
        const items = reg.list(r, ns, list).items;
        const deleted: Obj[] = [];
        for (const item of items) deleted.push((await reg.delete(r, ns, item.metadata.name, opts)).object);
        return sendJson(res, 200, { kind: `${r.kind}List`, apiVersion: r.apiVersion, metadata: { resourceVersion: String(reg.revision) }, items: deleted });
      }
      throw errors.methodNotAllowed(method);
    }

    if (sub === undefined) {
      if (method === 'GET') {
        const obj = reg.get(r, ns, name);
        if (wantsTable(req)) return sendJson(res, 200, toTable(r.resource, [obj], { now: reg.clock(), includeObject: includeObject(q) }), TABLE_TYPE);
        return sendJson(res, 200, obj);
      }
      if (method === 'PUT') return sendWrite(res, await reg.update(r, ns, name, await readJson(req), write), 200);
      if (method === 'PATCH') {
        const { type, patch } = await readPatch(req);
        return sendWrite(res, await reg.patch(r, ns, name, type, patch, { ...write, force: q.get('force') === 'true' }), 200);
      }
      if (method === 'DELETE') return sendWrite(res, await reg.delete(r, ns, name, await deleteOptions(req, q)), 200);
      throw errors.methodNotAllowed(method);
    }

    switch (sub) {
      case 'status':
        if (method === 'GET') return sendJson(res, 200, reg.get(r, ns, name));
        if (method === 'PUT') return sendWrite(res, await reg.update(r, ns, name, await readJson(req), { ...write, subresource: 'status' }), 200);
        if (method === 'PATCH') {
          const { type, patch } = await readPatch(req);
          return sendWrite(res, await reg.patch(r, ns, name, type, patch, { ...write, subresource: 'status' }), 200);
        }
        break;
      case 'scale':
        return scale(req, res, r, ns, name, method, write);
      case 'binding':
        if (method === 'POST') return sendWrite(res, await reg.bind(ns!, name, await readJson(req)), 201);
        break;
      case 'finalize':
        if (method === 'PUT') return sendWrite(res, await reg.finalizeNamespace(name, await readJson(req)), 200);
        break;
      case 'log':
        if (method === 'GET') return logs(res, ns!, name, q);
        break;
    }
    throw errors.methodNotAllowed(method);
  }

  async function scale(req: IncomingMessage, res: ServerResponse, r: ResourceDef, ns: string | undefined, name: string, method: string, write: ReturnType<typeof writeOptions>): Promise<void> {
    const reg = o.registry;
    const toScale = (obj: Obj) => ({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
      spec: { replicas: obj.spec?.replicas ?? 1 },
      status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj) },
    });
    if (method === 'GET') return sendJson(res, 200, toScale(reg.get(r, ns, name)));
    let replicas: unknown;
    let rv: string | undefined;
    if (method === 'PUT') {
      const body = await readJson(req);
      replicas = body.spec?.replicas;
      rv = body.metadata?.resourceVersion;
    } else if (method === 'PATCH') {
      const { type, patch } = await readPatch(req);
      const { applyPatch } = await import('./patching.ts');
      const current = toScale(reg.get(r, ns, name));
      const { object: next } = applyPatch(type === 'strategic' ? 'merge' : type, current, patch, { kind: 'Scale', apiVersion: 'autoscaling/v1', manager: write.fieldManager ?? '', force: false, now: reg.clock() });
      replicas = next.spec?.replicas;
      rv = next.metadata?.resourceVersion !== current.metadata.resourceVersion ? next.metadata?.resourceVersion : undefined;
    } else throw errors.methodNotAllowed(method);
    if (!Number.isInteger(replicas) || (replicas as number) < 0) {
      throw errors.invalid(r, name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    const patch = { spec: { replicas }, ...(rv ? { metadata: { resourceVersion: rv } } : {}) };
    const result = await reg.patch(r, ns, name, 'merge', patch, write);
    return sendJson(res, 200, toScale(result.object));
  }

  async function logs(res: ServerResponse, ns: string, name: string, q: URLSearchParams): Promise<void> {
    const pod = o.registry.get(resourceAt('v1', 'pods')!, ns, name);
    const container = q.get('container') ?? pod.spec.containers[0]?.name;
    if (!pod.spec.containers.some((c: Obj) => c.name === container)) {
      throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
    }
    if (!o.logs) {
      if (!pod.spec.nodeName) throw errors.badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
      return sendText(res, 200, '');
    }
    const tail = q.get('tailLines');
    const since = q.get('sinceSeconds');
    const source = await o.logs(ns, name, {
      container,
      follow: q.get('follow') === 'true',
      previous: q.get('previous') === 'true',
      timestamps: q.get('timestamps') === 'true',
      ...(tail !== null ? { tailLines: Number(tail) } : {}),
      ...(since !== null ? { sinceSeconds: Number(since) } : {}),
    });
    if (typeof source === 'string') return sendText(res, 200, source);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.on('close', () => source.destroy());
    source.pipe(res);
  }

  function watch(req: IncomingMessage, res: ServerResponse, r: ResourceDef, ns: string | undefined, opts: ListOptions & { resourceVersion?: string }, q: URLSearchParams): void {
    const table = wantsTable(req);
    const include = includeObject(q);
    res.writeHead(200, { 'Content-Type': table ? TABLE_TYPE : 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const write = (e: WatchEvent) => {
      const object = table && e.type !== 'ERROR' && e.type !== 'BOOKMARK' ? toTable(r.resource, [e.object], { now: o.registry.clock(), includeObject: include }) : e.object;
      res.write(JSON.stringify({ type: e.type, object }) + '\n');
    };
    let stop: () => void = () => {};
    const timers: NodeJS.Timeout[] = [];
    const end = () => {
      stop();
      timers.forEach(clearTimeout);
      watches.delete(end);
      if (!res.writableEnded) res.end();
    };
    watches.add(end);
    res.on('close', end);
    try {
      stop = o.registry.watch(r, ns, opts, write);
    } catch (e) {
      if (e instanceof ApiError) {
        write({ type: 'ERROR', object: e.toStatus() });
        return end();
      }
      throw e;
    }
    const timeout = Number(q.get('timeoutSeconds') ?? 1800);
    timers.push(setTimeout(end, Math.max(1, timeout) * 1000));
    if (q.get('allowWatchBookmarks') === 'true') {
      const interval = o.bookmarkIntervalMs ?? 10_000;
      const bookmark = () => {
        write({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion: r.apiVersion, metadata: { resourceVersion: String(o.registry.revision) } } });
        timers.push(setTimeout(bookmark, interval));
      };
      timers.push(setTimeout(bookmark, interval));
    }
  }

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
        for (const end of [...watches]) end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// -------------------------------------------------------------------------------------------------
// routing

type Route =
  | { discovery: string; group?: string }
  | { r: ResourceDef; ns: string | undefined; name: string | undefined; sub: string | undefined };

/**
 * `/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{sub}]]` and the same under `/apis/{g}/{v}`;
 * `/api/v1/namespaces/{name}[/status|/finalize]` is the namespace itself.
 */
export function parseRoute(path: string): Route | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  let apiVersion: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length < 2) return undefined;
    apiVersion = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 2) return { discovery: '', group: segs[1]! };
    if (segs.length < 3) return undefined;
    apiVersion = `${segs[1]}/${segs[2]}`;
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return { discovery: apiVersion };
  let ns: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    ns = rest[1];
    rest = rest.slice(2);
  }
  const r = resourceAt(apiVersion, rest[0]!);
  if (!r || rest.length > 3) return undefined;
  if (ns !== undefined && !r.namespaced) return undefined;
  const sub = rest[2];
  if (sub !== undefined && !r.subresources.includes(sub as never)) return undefined;
  return { r, ns, name: rest[1], sub };
}

// -------------------------------------------------------------------------------------------------
// request parsing

function loopbackHost(host: string | undefined): boolean {
  if (!host) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<Obj> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  // kubectl's typed generators (`kubectl create namespace|configmap|secret|…`) send protobuf, which
  // this server does not decode: say what works instead.
  if (type !== 'application/json' && type !== '' && type !== '*/*') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json (got ${type}; kite's API server speaks JSON: use \`kubectl apply -f\` or \`kubectl create -f\`, or \`kubectl create … --dry-run=client -o yaml | kubectl apply -f -\`)`,
    );
  }
  const text = await readBody(req);
  try {
    return JSON.parse(text) as Obj;
  } catch (e) {
    throw errors.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

async function readPatch(req: IncomingMessage): Promise<{ type: PatchType; patch: unknown }> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  const type = PATCH_TYPES[contentType];
  if (!type) throw errors.unsupportedMediaType(contentType);
  const text = await readBody(req);
  try {
    if (type === 'apply') {
      const { parse } = await import('yaml');
      return { type, patch: parse(text) };
    }
    return { type, patch: JSON.parse(text) };
  } catch (e) {
    throw errors.badRequest(`the patch body could not be decoded: ${(e as Error).message}`);
  }
}

function writeOptions(q: URLSearchParams): { dryRun: boolean; fieldManager?: string; fieldValidation: FieldValidation } {
  const dryRun = q.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw errors.badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') throw errors.badRequest(`fieldValidation parameter must be Strict, Warn or Ignore, got ${fv}`);
  const manager = q.get('fieldManager');
  return { dryRun: dryRun.length > 0, fieldValidation: fv, ...(manager ? { fieldManager: manager } : {}) };
}

function listOptions(q: URLSearchParams): ListOptions {
  const limit = q.get('limit');
  return {
    ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
    ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
    ...(limit ? { limit: Number(limit) } : {}),
    ...(q.get('continue') ? { continue: q.get('continue')! } : {}),
  };
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const text = await readBody(req);
  const body: Obj = text.trim() ? JSON.parse(text) : {};
  const grace = body.gracePeriodSeconds ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined);
  const policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? (body.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) throw errors.badRequest(`Unsupported propagation policy: ${policy}`);
  return {
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(body.preconditions ? { preconditions: body.preconditions } : {}),
    ...(q.getAll('dryRun').includes('All') || body.dryRun?.includes?.('All') ? { dryRun: true } : {}),
  };
}

const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

function includeObject(q: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function listMeta(result: { resourceVersion: string; continue?: string; remainingItemCount?: number }): Obj {
  return {
    resourceVersion: result.resourceVersion,
    ...(result.continue ? { continue: result.continue, remainingItemCount: result.remainingItemCount } : {}),
  };
}

function withListMeta(table: Obj, result: { resourceVersion: string; continue?: string; remainingItemCount?: number }): Obj {
  return { ...table, metadata: listMeta(result) };
}

function selectorString(obj: Obj): string {
  const sel = obj.spec?.selector;
  if (!sel) return '';
  const labels: Record<string, string> = sel.matchLabels || sel.matchExpressions ? (sel.matchLabels ?? {}) : sel;
  const parts = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In' || op === 'NotIn') parts.push(`${e.key} ${op.toLowerCase()} (${[...e.values].sort().join(',')})`);
    else parts.push(op === 'Exists' ? e.key : `!${e.key}`);
  }
  return parts.join(',');
}

// -------------------------------------------------------------------------------------------------
// responses

function sendRaw(res: ServerResponse, code: number, body: string, type: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  sendRaw(res, code, JSON.stringify(body), type);
}

function sendText(res: ServerResponse, code: number, body: string): void {
  sendRaw(res, code, body, 'text/plain; charset=utf-8');
}

function sendWrite(res: ServerResponse, result: WriteResult, created: number): void {
  const headers: Record<string, string[]> = {};
  if (result.warnings.length > 0) headers.Warning = result.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  sendRaw(res, result.created ? created : 200, JSON.stringify(result.object), 'application/json', headers);
}

function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : errors.internal((e as Error)?.message ?? String(e));
  if (!(e instanceof ApiError)) console.error('kite apiserver: internal error:', e);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

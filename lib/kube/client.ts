/**
 * KubeClient: the one Kubernetes API client kite's CLI and plan/apply use, for `kite up`'s local
 * control plane and for real clusters alike. Plain JSON over node:https with a keep-alive agent;
 * resources are addressed by kind (resolved to URLs through discovery, cached per client), so one
 * code path serves built-in kinds and CRDs.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeObject } from '../api/meta.ts';
import { parseApiVersion } from '../api/object-ref.ts';
import { discoverResources, type ApiResource, type ResourceTable } from './discovery.ts';
import { KubeApiError, KubeNoMatchError, unreachable, type Status } from './errors.ts';
import { tunnelAgent } from './proxy.ts';
import type { Connection, KubeTarget } from './kubeconfig.ts';

export type { KubeObject };

/** A kind, by group/version/kind or apiVersion/kind. Give `plural` and `namespaced` to skip discovery. */
export type ResourceRef = ({ group?: string; version: string; kind: string } | { apiVersion: string; kind: string }) & {
  plural?: string;
  namespaced?: boolean;
};

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** `meta.k8s.io/v1` Table, what `kubectl get` prints. */
export interface Table {
  apiVersion: string;
  kind: 'Table';
  metadata: ListMeta;
  columnDefinitions: Array<{ name: string; type: string; format: string; description: string; priority: number }>;
  rows: Array<{ cells: unknown[]; object?: unknown }>;
}

export interface TableOptions {
  /** Ask for a server-side Table (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), falling back to JSON. */
  table?: boolean;
  /** With `table`: what each row's `object` carries (server default: Metadata). */
  includeObject?: 'None' | 'Metadata' | 'Object';
}

export interface GetOptions extends TableOptions {
  resourceVersion?: string;
}

export interface ListOptions extends TableOptions {
  /** Omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface WatchOptions {
  /** Omit for all namespaces. */
  namespace?: string;
  /** Start after this version (from a list); omit or `0` for "any", per the API's rules. */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  /** For ERROR, a Status. */
  object: T;
}

export interface Watch {
  /** End the watch; `done` then resolves. */
  stop(): void;
  /** Resolves when the server ends the stream or `stop()` is called; rejects on a refused watch, a lost connection, a malformed event or a throwing handler. */
  done: Promise<void>;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
  [field: string]: unknown;
}

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON unless a string. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Socket inactivity timeout for this request. */
  timeoutMs?: number;
}

export interface KubeClientOptions {
  userAgent?: string;
  /** Socket inactivity timeout for non-watch requests (default 60 s). */
  timeoutMs?: number;
  /** Retries of a 429 / Retry-After answer (default 3). */
  maxRetries?: number;
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

interface Resolved {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The connection (credentials) the request went with. */
  conn: Connection;
}

export class KubeClient {
  readonly #base: URL;
  readonly #opts: Required<KubeClientOptions>;
  #discovery: Promise<ResourceTable> | undefined;
  /** What #discovery resolved to, for lookups that need not wait. */
  #table: ResourceTable | undefined;
  #agents = new Map<string, http.Agent>();
  #lastTls: { tls: Connection['tls']; proxy: string | undefined; agent: http.Agent } | undefined;
  #closed = false;

  constructor(
    readonly target: KubeTarget,
    opts: KubeClientOptions = {},
  ) {
    this.#base = new URL(target.server);
    this.#opts = {
      userAgent: opts.userAgent ?? `kite (node ${process.version})`,
      timeoutMs: opts.timeoutMs ?? 60_000,
      maxRetries: opts.maxRetries ?? 3,
    };
  }

  /** `/version` */
  async version(): Promise<VersionInfo> {
    return (await this.request('GET', '/version')) as VersionInfo;
  }

  /** The server's resources; fetched once per client unless `refresh`. */
  discover(opts: { refresh?: boolean } = {}): Promise<ResourceTable> {
    if (opts.refresh || !this.#discovery) {
      const p = discoverResources((path, accept) => this.request('GET', path, accept ? { accept } : {}));
      this.#discovery = p;
      this.#table = undefined;
      p.then(
        (table) => {
          if (this.#discovery === p) this.#table = table;
        },
        () => {
          if (this.#discovery === p) this.#discovery = undefined;
        },
      );
    }
    return this.#discovery;
  }

  /**
   * The discovered resource of an object's apiVersion and kind, without waiting: undefined unless
   * discovery has finished and has it (then `resourceFor` decides). A plan looks up every object's.
   */
  knownResource(ref: { apiVersion: string; kind: string }): ApiResource | undefined {
    return this.#table?.forApiVersionKind(ref.apiVersion, ref.kind);
  }

  /** The discovered resource for a kind; refreshes discovery once on a miss (a CRD may be new). */
  async resourceFor(ref: ResourceRef): Promise<ApiResource> {
    const { group, version, kind } = gvkOf(ref);
    let table = await this.discover();
    let found = table.forKind(group, version, kind);
    if (!found) {
      table = await this.discover({ refresh: true });
      found = table.forKind(group, version, kind);
    }
    if (!found) throw new KubeNoMatchError(group ? `${group}/${version}` : version, kind, this.target.server);
    return found;
  }

  async get<T = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, opts: GetOptions = {}): Promise<T> {
    const r = await this.#resolve(ref);
    return (await this.request('GET', this.#path(r, this.#ns(r, namespace), name), {
      query: { resourceVersion: opts.resourceVersion, ...tableQuery(opts) },
      ...(opts.table ? { accept: TABLE_ACCEPT } : {}),
    })) as T;
  }

  /** One page (or all, without `limit`); `metadata.continue` names the next page. */
  async list<T = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    const r = await this.#resolve(ref);
    return (await this.request('GET', this.#path(r, r.namespaced ? opts.namespace : undefined), {
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
        ...tableQuery(opts),
      },
      ...(opts.table ? { accept: TABLE_ACCEPT } : {}),
    })) as KubeList<T>;
  }

  /** Every page of a list, `pageSize` items at a time; the resourceVersion is the first page's. */
  async listAll<T = KubeObject>(ref: ResourceRef, opts: Omit<ListOptions, 'limit' | 'continue' | 'table'> & { pageSize?: number } = {}): Promise<KubeList<T>> {
    const { pageSize = 500, ...rest } = opts;
    const first = await this.list<T>(ref, { ...rest, limit: pageSize });
    const items = [...first.items];
    let cont = first.metadata?.continue;
    while (cont) {
      const page = await this.list<T>(ref, { ...rest, limit: pageSize, continue: cont });
      items.push(...page.items);
      cont = page.metadata?.continue;
    }
    const metadata: ListMeta = {};
    if (first.metadata?.resourceVersion !== undefined) metadata.resourceVersion = first.metadata.resourceVersion;
    return { apiVersion: first.apiVersion, kind: first.kind, metadata, items };
  }

  /** POST; the namespace is the object's, else the context's for a namespaced kind. */
  async create<T extends KubeObject = KubeObject>(obj: T, opts: WriteOptions = {}): Promise<T> {
    const r = await this.#resolve(obj);
    return (await this.request('POST', this.#path(r, this.#ns(r, obj.metadata?.namespace)), { query: writeQuery(opts), body: obj })) as T;
  }

  /** PUT, replacing the whole object; carries `metadata.resourceVersion` for optimistic concurrency. */
  async replace<T extends KubeObject = KubeObject>(obj: T, opts: WriteOptions = {}): Promise<T> {
    const r = await this.#resolve(obj);
    const name = obj.metadata?.name;
    if (!name) throw new TypeError(`replace needs metadata.name (${obj.kind})`);
    return (await this.request('PUT', this.#path(r, this.#ns(r, obj.metadata?.namespace), name), { query: writeQuery(opts), body: obj })) as T;
  }

  /** PATCH of the given type; `apply` is server-side apply (fieldManager defaults to `kite`). */
  async patch<T = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    opts: PatchOptions = {},
  ): Promise<T> {
    const r = await this.#resolve(ref);
    const fieldManager = opts.fieldManager ?? (type === 'apply' ? 'kite' : undefined);
    return (await this.request('PATCH', this.#path(r, this.#ns(r, namespace), name), {
      query: { ...writeQuery({ ...opts, ...(fieldManager ? { fieldManager } : {}) }), force: type === 'apply' && opts.force ? true : undefined },
      body,
      contentType: PATCH_CONTENT_TYPE[type],
    })) as T;
  }

  /** DELETE; returns the object (being finalized) or a Success Status, as the server answers. */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    const r = await this.#resolve(ref);
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.dryRun) body.dryRun = ['All'];
    return (await this.request('DELETE', this.#path(r, this.#ns(r, namespace), name), { body })) as KubeObject | Status;
  }

  /**
   * Stream changes (newline-delimited JSON). `onEvent` runs for each event in order, BOOKMARK and
   * ERROR (a Status, e.g. 410 Expired) included.
   */
  watch<T = KubeObject>(ref: ResourceRef, opts: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Watch {
    let stopped = false;
    let settled = false;
    let req: http.ClientRequest | undefined;
    let resolveDone!: () => void;
    let rejectDone!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      if (err !== undefined) {
        req?.destroy();
        rejectDone(err);
      } else resolveDone();
    };
    const stop = () => {
      if (stopped) return;
      stopped = true;
      req?.destroy();
      finish();
    };

    const start = async () => {
      const r = await this.#resolve(ref);
      const path = this.#path(r, r.namespaced ? opts.namespace : undefined);
      const query = {
        watch: true,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        allowWatchBookmarks: opts.allowWatchBookmarks,
        timeoutSeconds: opts.timeoutSeconds,
        sendInitialEvents: opts.sendInitialEvents,
      };
      const conn = await this.target.connection();
      if (stopped) return;
      req = this.#open('GET', path, query, conn, { accept: 'application/json' }, 0);
      req.on('error', (err) => {
        if (!stopped) finish(unreachable(this.target.server, this.target.local, err));
      });
      req.on('response', (res) => {
        if (stopped) return res.resume();
        if ((res.statusCode ?? 0) >= 300) {
          readBody(res).then(
            (body) => finish(apiError(res.statusCode ?? 0, res.statusMessage ?? '', 'GET', path, body)),
            (err) => finish(unreachable(this.target.server, this.target.local, err)),
          );
          return;
        }
        res.setEncoding('utf8');
        let buf = '';
        let ended = false;
        const deliver = (line: string): boolean => {
          let event: WatchEvent<T>;
          try {
            event = JSON.parse(line) as WatchEvent<T>;
          } catch {
            finish(new Error(`malformed watch event from ${this.target.server}${path}: ${line.slice(0, 200)}`));
            return false;
          }
          try {
            onEvent(event);
          } catch (e) {
            finish(e);
            return false;
          }
          return !stopped && !settled;
        };
        res.on('data', (chunk: string) => {
          if (settled) return;
          buf += chunk;
          let from = 0;
          for (let nl = buf.indexOf('\n', from); nl >= 0; nl = buf.indexOf('\n', from)) {
            const line = buf.slice(from, nl).trim();
            from = nl + 1;
            if (line && !deliver(line)) return;
          }
          buf = buf.slice(from);
        });
        res.on('end', () => {
          ended = true;
          const line = buf.trim();
          if (line && !settled && !deliver(line)) return;
          finish();
        });
        res.on('error', () => {});
        res.on('close', () => {
          if (!ended && !stopped) {
            finish(unreachable(this.target.server, this.target.local, Object.assign(new Error('watch connection lost'), { code: 'ECONNRESET' })));
          }
        });
      });
      req.end();
    };
    start().catch((e) => finish(e));
    return { stop, done };
  }

  /** A raw request to a path under the server URL; returns parsed JSON (or text for non-JSON). */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<unknown> {
    let authRetried = false;
    for (let attempt = 0; ; attempt++) {
      const res = await this.#send(method, path, opts);
      if (res.status >= 200 && res.status < 300) return decode(res);
      if (res.status === 401 && !authRetried && this.target.invalidate(res.conn)) {
        authRetried = true; // credentials from a plugin or a token file may have rotated (client-go re-runs a plugin on a 401 too)
        continue;
      }
      const retryAfter = Number(res.headers['retry-after']);
      const retryable = res.status === 429 || (res.status >= 500 && res.headers['retry-after'] !== undefined);
      if (retryable && attempt < this.#opts.maxRetries && Number.isFinite(retryAfter)) {
        await new Promise((r) => setTimeout(r, Math.min(Math.max(retryAfter, 0), 10) * 1000));
        continue;
      }
      throw apiError(res.status, res.statusText, method, path, decodeLoose(res));
    }
  }

  /** Close idle keep-alive connections; in-flight watches end. */
  close(): void {
    this.#closed = true;
    for (const a of this.#agents.values()) a.destroy();
    this.#agents.clear();
    this.#lastTls = undefined;
  }

  // ---- internals -----------------------------------------------------------------------------

  async #resolve(ref: ResourceRef): Promise<Resolved> {
    const { group, version, kind } = gvkOf(ref);
    if (ref.plural && ref.namespaced !== undefined) return { group, version, kind, plural: ref.plural, namespaced: ref.namespaced };
    const r = await this.resourceFor(ref);
    return { group, version, kind, plural: r.plural, namespaced: r.namespaced };
  }

  #ns(r: Resolved, namespace: string | undefined): string | undefined {
    return r.namespaced ? namespace || this.target.namespace : undefined;
  }

  #path(r: Resolved, namespace: string | undefined, name?: string): string {
    if (name === '') throw new TypeError(`an empty name for ${r.kind}`);
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${r.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
  }

  async #send(method: string, path: string, opts: RequestOptions, retried = false): Promise<RawResponse> {
    const conn = await this.target.connection();
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      // Explicit length: node sends DELETE bodies unframed otherwise.
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise<RawResponse>((resolve, reject) => {
      const req = this.#open(method, path, opts.query ?? {}, conn, headers, opts.timeoutMs ?? this.#opts.timeoutMs);
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${(opts.timeoutMs ?? this.#opts.timeoutMs) / 1000}s`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed meanwhile: retry once on a fresh one (not a create).
        if (!retried && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && method !== 'POST') {
          this.#send(method, path, opts, true).then(resolve, reject);
          return;
        }
        reject(unreachable(this.target.server, this.target.local, err));
      });
      req.on('response', (res) => {
        readBody(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body, conn }),
          (err) => reject(unreachable(this.target.server, this.target.local, err)),
        );
      });
      req.end(payload);
    });
  }

  #open(method: string, path: string, query: Record<string, QueryValue>, conn: Connection, headers: Record<string, string>, timeoutMs: number): http.ClientRequest {
    if (this.#closed) throw new Error('KubeClient is closed');
    const basePath = this.#base.pathname.replace(/\/+$/, '');
    const qs = queryString(query);
    const secure = this.#base.protocol === 'https:';
    const options: https.RequestOptions = {
      method,
      protocol: this.#base.protocol,
      hostname: this.#base.hostname.replace(/^\[|\]$/g, ''),
      port: this.#base.port || (secure ? 443 : 80),
      path: basePath + path + (qs ? `?${qs}` : ''),
      headers: { 'user-agent': this.#opts.userAgent, ...conn.headers, ...headers },
      agent: this.#agent(conn, secure),
    };
    if (timeoutMs > 0) options.timeout = timeoutMs;
    return (secure ? https : http).request(options);
  }

  /** One keep-alive agent per TLS identity and proxy; the last one is remembered by identity, the common case. */
  #agent(conn: Connection, secure: boolean): http.Agent {
    const { tls, proxy } = conn;
    if (this.#lastTls?.tls === tls && this.#lastTls.proxy === proxy) return this.#lastTls.agent;
    const key = [
      secure ? [tls.ca?.toString('base64'), tls.cert?.toString('base64'), tls.key?.toString('base64'), tls.rejectUnauthorized, tls.servername].join('|') : 'http',
      proxy ?? '',
    ].join('|');
    let agent = this.#agents.get(key);
    if (!agent) {
      if (proxy) agent = tunnelAgent(new URL(proxy), secure, tls);
      else agent = secure ? new https.Agent({ keepAlive: true, scheduling: 'lifo', ...tls }) : new http.Agent({ keepAlive: true, scheduling: 'lifo' });
      this.#agents.set(key, agent);
    }
    this.#lastTls = { tls, proxy, agent };
    return agent;
  }
}

function gvkOf(ref: ResourceRef): { group: string; version: string; kind: string } {
  if ('apiVersion' in ref && typeof ref.apiVersion === 'string') {
    return { ...parseApiVersion(ref.apiVersion), kind: ref.kind };
  }
  const r = ref as { group?: string; version: string; kind: string };
  return { group: r.group ?? '', version: r.version, kind: r.kind };
}

function tableQuery(opts: TableOptions): Record<string, QueryValue> {
  return opts.table && opts.includeObject ? { includeObject: opts.includeObject } : {};
}

function writeQuery(opts: WriteOptions): Record<string, QueryValue> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation };
}

function queryString(query: Record<string, QueryValue>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.append(k, String(v));
  }
  return p.toString();
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    res.setEncoding('utf8');
    let body = '';
    res.on('data', (c: string) => (body += c));
    res.on('end', () => resolve(body));
    res.on('error', reject);
  });
}

function isJson(res: RawResponse): boolean {
  const ct = String(res.headers['content-type'] ?? '');
  return ct === '' || /[/+]json\b/.test(ct);
}

function decode(res: RawResponse): unknown {
  if (res.body === '') return undefined;
  if (!isJson(res)) return res.body;
  try {
    return JSON.parse(res.body);
  } catch {
    throw new Error(`invalid JSON from the API server (${res.status}): ${res.body.slice(0, 200)}`);
  }
}

/** For error bodies: JSON if it parses, else the text. */
function decodeLoose(res: RawResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return res.body;
  }
}

function apiError(status: number, statusText: string, method: string, path: string, body: unknown): KubeApiError {
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* keep the text */
    }
  }
  return new KubeApiError({ code: status, statusText, method, path, body });
}

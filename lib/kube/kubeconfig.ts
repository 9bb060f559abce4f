/**
 * Kubeconfig loading, with kubectl's rules: `--kubeconfig`, else `$KUBECONFIG` (a list, merged
 * first-wins), else `~/.kube/config`, else the in-cluster service account; `--context` or the
 * current context; relative file paths resolved against the file that names them.
 *
 * The common cases (bearer token, token file, client certificate, basic auth, CA, skip-verify,
 * tls-server-name, impersonation) are handled here, without loading @kubernetes/client-node:
 * importing its KubeConfig costs 400-800 ms, on every CLI command. Contexts whose user runs an
 * exec plugin or an auth-provider, or whose cluster has a proxy-url, are handed to client-node's
 * KubeConfig, imported on first use, so those behave exactly as its users expect.
 */
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeconfigError } from './errors.ts';

export interface LoadKubeconfigOptions {
  /** A kubeconfig file (`--kubeconfig`); default `$KUBECONFIG`, then `~/.kube/config`. */
  kubeconfig?: string;
  /** A context name (`--context`); default the file's current-context. */
  context?: string;
  /** Override the context's namespace. */
  namespace?: string;
  /** For tests: the environment and home directory to resolve defaults from. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** For tests: where a pod's service account is mounted. */
  serviceAccountDir?: string;
}

export type AuthKind = 'token' | 'token-file' | 'client-certificate' | 'basic' | 'exec' | 'auth-provider' | 'none';

/** TLS settings and headers for one request. */
export interface Connection {
  tls: {
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
    rejectUnauthorized: boolean;
    servername?: string;
  };
  headers: Record<string, string | string[]>;
  /** An agent that must carry the request (a proxy, from client-node), instead of the client's own. */
  agent?: Agent;
}

/** The cluster and credentials one kubeconfig context selects. */
export interface KubeTarget {
  /** The kubeconfig file(s) it came from; empty for in-cluster. */
  readonly files: readonly string[];
  readonly context: string;
  readonly cluster: string;
  readonly user: string;
  /** `https://host:port[/path]` */
  readonly server: string;
  /** The context's namespace, else `default`. */
  readonly namespace: string;
  readonly auth: AuthKind;
  /** True for the kubeconfig `kite up` writes (cluster `kite-local` on a loopback address). */
  readonly local: boolean;
  /** TLS and auth headers for a request; may run an exec plugin (its result is cached). */
  connection(): Promise<Connection>;
  /** Forget cached credentials after a 401; true if asking again may yield different ones. */
  invalidate(): boolean;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Obj = Record<string, unknown>;

interface Named {
  name: string;
  value: Obj;
  /** Directory of the file that defined it, for relative paths. */
  dir: string;
}

interface Merged {
  files: string[];
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
  currentContext: string | undefined;
}

/** Resolve a kubeconfig and context to a KubeTarget, or say clearly why not. */
export function loadKubeconfig(opts: LoadKubeconfigOptions = {}): KubeTarget | KubeconfigError {
  try {
    return load(opts);
  } catch (e) {
    if (e instanceof KubeconfigError) return e;
    throw e;
  }
}

function load(opts: LoadKubeconfigOptions): KubeTarget {
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) {
    const file = resolve(opts.kubeconfig);
    const text = readOptional(file);
    if (text === undefined) throw new KubeconfigError(`no kubeconfig at ${file}`, file);
    return fromMerged(merge([{ file, text }]), opts);
  }
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean).map((f) => resolve(f));
    const present = files.flatMap((file) => {
      const text = readOptional(file);
      return text === undefined ? [] : [{ file, text }];
    });
    if (present.length === 0) throw new KubeconfigError(`no kubeconfig at ${files.join(delimiter)} (from $KUBECONFIG)`, files.join(delimiter));
    return fromMerged(merge(present), opts);
  }
  const file = join(opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? homedir(), '.kube', 'config');
  const text = readOptional(file);
  if (text !== undefined) return fromMerged(merge([{ file, text }]), opts);
  const sa = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && readOptional(join(sa, 'token')) !== undefined) {
    return inCluster(env, sa, opts);
  }
  throw new KubeconfigError(`no kubeconfig at ${file} (set $KUBECONFIG or pass --kubeconfig)`, file);
}

function merge(docs: Array<{ file: string; text: string }>): Merged {
  const m: Merged = { files: docs.map((d) => d.file), clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined };
  for (const { file, text } of docs) {
    let doc: unknown;
    try {
      doc = text.trim() === '' ? {} : parseYaml(text);
    } catch (e) {
      throw new KubeconfigError(`cannot parse kubeconfig ${file}: ${(e as Error).message.split('\n')[0]}`, file);
    }
    if (doc === null || doc === undefined) doc = {};
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`cannot parse kubeconfig ${file}: expected a mapping`, file);
    const d = doc as Obj;
    const dir = dirname(file);
    addNamed(m.clusters, d.clusters, 'cluster', file, dir);
    addNamed(m.users, d.users, 'user', file, dir);
    addNamed(m.contexts, d.contexts, 'context', file, dir);
    const cur = d['current-context'];
    if (m.currentContext === undefined && typeof cur === 'string' && cur !== '') m.currentContext = cur;
  }
  return m;
}

function addNamed(into: Map<string, Named>, list: unknown, field: string, file: string, dir: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw new KubeconfigError(`cannot parse kubeconfig ${file}: ${field}s must be a list`, file);
  for (const entry of list) {
    const e = entry as Obj | null;
    const name = e?.name;
    if (typeof name !== 'string') throw new KubeconfigError(`cannot parse kubeconfig ${file}: a ${field} has no name`, file);
    const value = e?.[field] ?? {};
    if (typeof value !== 'object' || value === null) throw new KubeconfigError(`cannot parse kubeconfig ${file}: ${field} "${name}" must be a mapping`, file);
    if (!into.has(name)) into.set(name, { name, value: value as Obj, dir });
  }
}

function fromMerged(m: Merged, opts: LoadKubeconfigOptions): KubeTarget {
  const where = m.files.join(delimiter);
  const contextName = opts.context || m.currentContext;
  if (!contextName) {
    const names = [...m.contexts.keys()];
    throw new KubeconfigError(
      `no current context in ${where}; pass --context${names.length ? ` (contexts: ${names.join(', ')})` : ' (it defines no contexts)'}`,
      where,
    );
  }
  const ctx = m.contexts.get(contextName);
  if (!ctx) {
    const names = [...m.contexts.keys()];
    throw new KubeconfigError(`context "${contextName}" not found in ${where}${names.length ? ` (contexts: ${names.join(', ')})` : ''}`, where);
  }
  const clusterName = str(ctx.value.cluster);
  const userName = str(ctx.value.user);
  if (!clusterName) throw new KubeconfigError(`context "${contextName}" in ${where} names no cluster`, where);
  const cluster = m.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`context "${contextName}" refers to cluster "${clusterName}", which is not in ${where}`, where);
  let user: Named | undefined;
  if (userName) {
    user = m.users.get(userName);
    if (!user) throw new KubeconfigError(`context "${contextName}" refers to user "${userName}", which is not in ${where}`, where);
  }
  const c = cluster.value;
  const u = user?.value ?? {};
  const server = str(c.server)?.replace(/\/+$/, '');
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" in ${where} has no server`, where);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`cluster "${clusterName}" in ${where} has an invalid server URL "${server}"`, where);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KubeconfigError(`cluster "${clusterName}" in ${where}: server must be http(s), got "${server}"`, where);
  }

  const namespace = opts.namespace || str(ctx.value.namespace) || 'default';
  const local = clusterName === 'kite-local' && isLoopback(url.hostname);
  const base = { files: m.files, context: contextName, cluster: clusterName, user: userName ?? '', server, namespace, local };

  const needsClientNode = u.exec !== undefined || u['auth-provider'] !== undefined || c['proxy-url'] !== undefined;
  if (needsClientNode) {
    const auth: AuthKind = u.exec !== undefined ? 'exec' : u['auth-provider'] !== undefined ? 'auth-provider' : authKindOf(u);
    return new ClientNodeTarget(base, auth, minimalDoc(contextName, ctx, cluster, user));
  }

  const ofCluster = `cluster "${clusterName}" in ${where}`;
  const ofUser = `user "${userName}" in ${where}`;
  const tls: Connection['tls'] = { rejectUnauthorized: c['insecure-skip-tls-verify'] !== true };
  tls.ca = fileOrData(c, 'certificate-authority', cluster.dir, ofCluster);
  tls.cert = fileOrData(u, 'client-certificate', user?.dir ?? '', ofUser);
  tls.key = fileOrData(u, 'client-key', user?.dir ?? '', ofUser);
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new KubeconfigError(`user "${userName}" in ${where} has a client certificate without a key, or a key without a certificate`, where);
  }
  const servername = str(c['tls-server-name']);
  if (servername) tls.servername = servername;
  for (const k of ['ca', 'cert', 'key'] as const) if (tls[k] === undefined) delete tls[k];

  const headers = impersonation(u);
  const token = str(u.token);
  const tokenFile = str(u.tokenFile) ?? str(u['token-file']);
  const username = str(u.username);
  if (token) headers.authorization = `Bearer ${token}`;
  else if (username) headers.authorization = `Basic ${Buffer.from(`${username}:${str(u.password) ?? ''}`).toString('base64')}`;
  const tokenPath = !token && tokenFile ? absolute(tokenFile, user?.dir ?? '') : undefined;
  return new StaticTarget(base, authKindOf(u), tls, headers, tokenPath);
}

function inCluster(env: NodeJS.ProcessEnv, dir: string, opts: LoadKubeconfigOptions): KubeTarget {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  const ca = readOptional(join(dir, 'ca.crt'));
  const ns = readOptional(join(dir, 'namespace'))?.trim();
  const tls: Connection['tls'] = { rejectUnauthorized: true };
  if (ca !== undefined) tls.ca = Buffer.from(ca);
  const base = { files: [], context: 'in-cluster', cluster: 'in-cluster', user: 'service-account', server, namespace: opts.namespace || ns || 'default', local: false };
  return new StaticTarget(base, 'token-file', tls, {}, join(dir, 'token'));
}

interface BaseFields {
  files: string[];
  context: string;
  cluster: string;
  user: string;
  server: string;
  namespace: string;
  local: boolean;
}

/** What every target knows of its context, whatever its authentication. */
abstract class TargetBase {
  readonly files: string[];
  readonly context: string;
  readonly cluster: string;
  readonly user: string;
  readonly server: string;
  readonly namespace: string;
  readonly local: boolean;

  constructor(base: BaseFields) {
    this.files = base.files;
    this.context = base.context;
    this.cluster = base.cluster;
    this.user = base.user;
    this.server = base.server;
    this.namespace = base.namespace;
    this.local = base.local;
  }
}

/** Re-read a token file at most this often; projected service-account tokens rotate. */
const TOKEN_FILE_TTL_MS = 60_000;

class StaticTarget extends TargetBase implements KubeTarget {
  #token: { value: string; readAt: number } | undefined;

  constructor(
    base: BaseFields,
    readonly auth: AuthKind,
    private readonly tls: Connection['tls'],
    private readonly headers: Record<string, string | string[]>,
    private readonly tokenFile: string | undefined,
  ) {
    super(base);
  }

  async connection(): Promise<Connection> {
    const headers = { ...this.headers };
    if (this.tokenFile) {
      const now = Date.now();
      if (!this.#token || now - this.#token.readAt > TOKEN_FILE_TTL_MS) {
        const text = readOptional(this.tokenFile);
        if (text === undefined) throw new KubeconfigError(`cannot read token file ${this.tokenFile}`, this.tokenFile);
        this.#token = { value: text.trim(), readAt: now };
      }
      headers.authorization = `Bearer ${this.#token.value}`;
    }
    return { tls: this.tls, headers };
  }

  invalidate(): boolean {
    if (!this.tokenFile) return false;
    this.#token = undefined;
    return true;
  }
}

const CREDENTIAL_TTL_MS = 5 * 60_000;

type ClientNodeKubeConfig = import('@kubernetes/client-node').KubeConfig;

/** exec / auth-provider / proxy-url: delegate to client-node's KubeConfig, imported on first use. */
class ClientNodeTarget extends TargetBase implements KubeTarget {
  #kc: Promise<ClientNodeKubeConfig> | undefined;

  constructor(
    base: BaseFields,
    readonly auth: AuthKind,
    private readonly doc: Obj,
  ) {
    super(base);
  }

  #kubeConfig(): Promise<ClientNodeKubeConfig> {
    this.#kc ??= (async () => {
      let mod: typeof import('@kubernetes/client-node');
      try {
        mod = await import('@kubernetes/client-node');
      } catch (e) {
        this.#kc = undefined;
        throw new KubeconfigError(
          `context "${this.context}" uses ${this.auth === 'exec' ? 'an exec credential plugin' : this.auth === 'auth-provider' ? 'an auth-provider' : 'a proxy-url'}, which needs @kubernetes/client-node: ${(e as Error).message}`,
          this.files.join(delimiter),
        );
      }
      const kc = new mod.KubeConfig();
      kc.loadFromString(JSON.stringify(this.doc));
      kc.setCurrentContext(this.context);
      return kc;
    })();
    return this.#kc;
  }

  /**
   * client-node re-runs an exec plugin on every request unless its credential carries an
   * expirationTimestamp; like client-go, keep what it gave until a 401 (or a few minutes).
   */
  #cached: { conn: Promise<Connection>; at: number } | undefined;

  connection(): Promise<Connection> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < CREDENTIAL_TTL_MS) return this.#cached.conn;
    const conn = this.#fresh();
    this.#cached = { conn, at: now };
    conn.catch(() => {
      if (this.#cached?.conn === conn) this.#cached = undefined;
    });
    return conn;
  }

  invalidate(): boolean {
    this.#cached = undefined;
    return this.auth === 'exec' || this.auth === 'auth-provider';
  }

  async #fresh(): Promise<Connection> {
    const kc = await this.#kubeConfig();
    const opts: import('node:https').RequestOptions = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (e) {
      const what = this.auth === 'exec' ? 'exec credential plugin' : this.auth === 'auth-provider' ? 'auth-provider' : 'credentials';
      throw new KubeconfigError(`context "${this.context}": the ${what} of user "${this.user}" failed: ${String((e as Error)?.message ?? e).trim()}`, this.files.join(delimiter));
    }
    const tls: Connection['tls'] = { rejectUnauthorized: opts.rejectUnauthorized !== false };
    if (opts.ca) tls.ca = Buffer.from(opts.ca as Buffer | string);
    if (opts.cert) tls.cert = Buffer.from(opts.cert as Buffer | string);
    if (opts.key) tls.key = Buffer.from(opts.key as Buffer | string);
    if (opts.servername) tls.servername = opts.servername;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v : String(v);
    }
    if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const conn: Connection = { tls, headers };
    // client-node makes a plain https.Agent unless the cluster has a proxy-url; only a proxy agent is needed.
    if (this.doc.clusters && (this.doc.clusters as Array<{ cluster: Obj }>)[0]?.cluster['proxy-url'] !== undefined && opts.agent) {
      conn.agent = opts.agent as Agent;
    }
    return conn;
  }
}

/** The one context, cluster and user, with file paths made absolute, for client-node. */
function minimalDoc(contextName: string, ctx: Named, cluster: Named, user: Named | undefined): Obj {
  const c = { ...cluster.value };
  if (typeof c['certificate-authority'] === 'string') c['certificate-authority'] = absolute(c['certificate-authority'], cluster.dir);
  const users: Obj[] = [];
  if (user) {
    const u = { ...user.value };
    for (const f of ['client-certificate', 'client-key', 'tokenFile']) {
      if (typeof u[f] === 'string') u[f] = absolute(u[f], user.dir);
    }
    // kubectl resolves a relative exec command containing a path separator against the file's directory.
    if (u.exec && typeof u.exec === 'object') {
      const exec = { ...(u.exec as Obj) };
      if (typeof exec.command === 'string' && /[\\/]/.test(exec.command) && !isAbsolute(exec.command)) exec.command = join(user.dir, exec.command);
      u.exec = exec;
    }
    users.push({ name: user.name, user: u });
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: c }],
    users,
    contexts: [{ name: contextName, context: ctx.value }],
    'current-context': contextName,
  };
}

function authKindOf(u: Obj): AuthKind {
  if (str(u.token)) return 'token';
  if (str(u.tokenFile) || str(u['token-file'])) return 'token-file';
  if (u['client-certificate'] !== undefined || u['client-certificate-data'] !== undefined) return 'client-certificate';
  if (str(u.username)) return 'basic';
  return 'none';
}

function impersonation(u: Obj): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {};
  const as = str(u.as);
  if (as) h['impersonate-user'] = as;
  const uid = str(u['as-uid']);
  if (uid) h['impersonate-uid'] = uid;
  const groups = u['as-groups'];
  if (Array.isArray(groups) && groups.length) h['impersonate-group'] = groups.map(String);
  const extra = u['as-user-extra'];
  if (extra && typeof extra === 'object') {
    for (const [k, v] of Object.entries(extra as Obj)) {
      h[`impersonate-extra-${encodeURIComponent(k)}`] = Array.isArray(v) ? v.map(String) : String(v);
    }
  }
  return h;
}

function fileOrData(o: Obj, field: string, dir: string, owner: string): Buffer | undefined {
  const data = str(o[`${field}-data`]);
  if (data) {
    const buf = Buffer.from(data, 'base64');
    if (buf.length === 0) throw new KubeconfigError(`${field}-data of ${owner} is not base64`);
    return buf;
  }
  const file = str(o[field]);
  if (!file) return undefined;
  const path = absolute(file, dir);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new KubeconfigError(`cannot read ${field} of ${owner}: ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
}

function absolute(file: string, dir: string): string {
  return isAbsolute(file) || !dir ? file : join(dir, file);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new KubeconfigError(`${path} is a directory, not a kubeconfig`, path);
    throw new KubeconfigError(`cannot read ${path}: ${code ?? (e as Error).message}`, path);
  }
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

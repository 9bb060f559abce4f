/**
 * Kubeconfig loading, with kubectl's rules: `--kubeconfig`, else `$KUBECONFIG` (a list, merged
 * first-wins), else `~/.kube/config`, else the in-cluster service account; `--context` or the
 * current context; relative file paths resolved against the file that names them.
 *
 * Every kind of user a real cluster hands out works on a plain install, without a Kubernetes
 * client library: bearer token, token file, client certificate, basic auth, impersonation; exec
 * credential plugins (EKS, GKE, AKS), run natively (exec-credential.ts); a still-valid oidc
 * id-token from a legacy auth-provider (auth-provider.ts); a cluster's proxy-url (proxy.ts).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { isatty } from 'node:tty';
import { parse as parseYaml } from 'yaml';
import { authProviderToken } from './auth-provider.ts';
import { CredentialCache, type Credential } from './credential-cache.ts';
import { KubeconfigError } from './errors.ts';
import { EXEC_CLUSTER_EXTENSION, parseExecConfig, runExecPlugin, type ExecCluster } from './exec-credential.ts';
import { PROXY_PROTOCOLS } from './proxy.ts';

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
  /** Where an exec credential plugin's stderr goes (default this process's stderr). */
  stderr?: NodeJS.WritableStream;
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
  /** The cluster's proxy-url: connect through an HTTP CONNECT tunnel. */
  proxy?: string;
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
  /** TLS and auth headers for a request; may run an exec plugin (its result is cached until it expires). */
  connection(): Promise<Connection>;
  /**
   * The server refused `used` (a 401): forget its credential unless a newer one replaced it
   * already; true if asking again may yield a different one.
   */
  invalidate(used?: Connection): boolean;
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

  const ofCluster = `cluster "${clusterName}" in ${where}`;
  const ofUser = `user "${userName}" in ${where}`;
  const userDir = user?.dir ?? '';
  const tls: Connection['tls'] = { rejectUnauthorized: c['insecure-skip-tls-verify'] !== true };
  tls.ca = fileOrData(c, 'certificate-authority', cluster.dir, ofCluster);
  tls.cert = fileOrData(u, 'client-certificate', userDir, ofUser);
  tls.key = fileOrData(u, 'client-key', userDir, ofUser);
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new KubeconfigError(`user "${userName}" in ${where} has a client certificate without a key, or a key without a certificate`, where);
  }
  const servername = str(c['tls-server-name']);
  if (servername) tls.servername = servername;
  for (const k of ['ca', 'cert', 'key'] as const) if (tls[k] === undefined) delete tls[k];
  const proxy = proxyUrl(c['proxy-url'], ofCluster, where);

  if (u.exec !== undefined && u['auth-provider'] !== undefined) {
    throw new KubeconfigError(`${ofUser} has both an exec plugin and an auth-provider; only one is allowed`, where);
  }
  const headers = impersonation(u);
  const auth = authKindOf(u);
  const token = str(u.token);
  const username = str(u.username);
  if (auth === 'token') headers.authorization = `Bearer ${token}`;
  else if (username) headers.authorization = `Basic ${Buffer.from(`${username}:${str(u.password) ?? ''}`).toString('base64')}`;
  else if (auth === 'auth-provider') headers.authorization = `Bearer ${authProviderToken(u['auth-provider'], ofUser, where)}`;

  let source: CredentialCache | undefined;
  if (auth === 'token-file') source = tokenFileSource(absolute((str(u.tokenFile) ?? str(u['token-file']))!, userDir));
  if (auth === 'exec') {
    const exec = parseExecConfig(u.exec, userDir, ofUser, where);
    const info = execCluster(server, c, tls, proxy);
    const owner = { context: contextName, user: userName ?? '', files: where };
    const io = { env: opts.env ?? process.env, stderr: opts.stderr ?? process.stderr };
    source = new CredentialCache(() => runExecPlugin(exec, info, owner, { ...io, stdinIsTerminal: isatty(0) }));
  }
  return new Target(base, auth, tls, headers, proxy, source);
}

function inCluster(env: NodeJS.ProcessEnv, dir: string, opts: LoadKubeconfigOptions): KubeTarget {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  const ca = readOptional(join(dir, 'ca.crt'));
  const ns = readOptional(join(dir, 'namespace'))?.trim();
  const tls: Connection['tls'] = { rejectUnauthorized: true };
  if (ca !== undefined) tls.ca = Buffer.from(ca);
  const base = { files: [], context: 'in-cluster', cluster: 'in-cluster', user: 'service-account', server, namespace: opts.namespace || ns || 'default', local: false };
  return new Target(base, 'token-file', tls, {}, undefined, tokenFileSource(join(dir, 'token')));
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

/**
 * The kubeconfig's settings for one context, plus the credential that changes while kite runs
 * (a token file's contents, an exec plugin's answer), fetched through a CredentialCache.
 */
class Target implements KubeTarget {
  readonly files: string[];
  readonly context: string;
  readonly cluster: string;
  readonly user: string;
  readonly server: string;
  readonly namespace: string;
  readonly local: boolean;
  /** The connection last handed out and the credential it carries. */
  #last: { cred: Credential | undefined; conn: Connection } | undefined;

  constructor(
    base: BaseFields,
    readonly auth: AuthKind,
    private readonly tls: Connection['tls'],
    private readonly headers: Record<string, string | string[]>,
    private readonly proxy: string | undefined,
    private readonly source: CredentialCache | undefined,
  ) {
    this.files = base.files;
    this.context = base.context;
    this.cluster = base.cluster;
    this.user = base.user;
    this.server = base.server;
    this.namespace = base.namespace;
    this.local = base.local;
  }

  async connection(): Promise<Connection> {
    const cred = await this.source?.get();
    if (this.#last && this.#last.cred === cred) return this.#last.conn;
    const headers = { ...this.headers };
    if (cred?.token !== undefined) headers.authorization = `Bearer ${cred.token}`;
    // A new tls object only for a new client certificate: the client keeps one agent per tls object.
    const tls = cred?.cert ? { ...this.tls, cert: cred.cert, key: cred.key } : this.tls;
    const conn: Connection = { tls, headers, ...(this.proxy ? { proxy: this.proxy } : {}) };
    this.#last = { cred, conn };
    return conn;
  }

  invalidate(used?: Connection): boolean {
    if (!this.source) return false;
    // A connection older than the last one: its credential was already replaced.
    if (used === undefined || used === this.#last?.conn) this.source.invalidate(this.#last?.cred);
    return true;
  }
}

/** Re-read a token file at most this often; projected service-account tokens rotate. */
const TOKEN_FILE_TTL_MS = 60_000;

function tokenFileSource(path: string): CredentialCache {
  return new CredentialCache(async () => {
    const text = readOptional(path);
    if (text === undefined) throw new KubeconfigError(`cannot read token file ${path}`, path);
    return { token: text.trim(), expiresAt: Date.now() + TOKEN_FILE_TTL_MS };
  });
}

/** What an exec plugin with provideClusterInfo is told about the cluster. */
function execCluster(server: string, c: Obj, tls: Connection['tls'], proxy: string | undefined): ExecCluster {
  const info: ExecCluster = { server };
  if (tls.servername) info['tls-server-name'] = tls.servername;
  if (!tls.rejectUnauthorized) info['insecure-skip-tls-verify'] = true;
  if (tls.ca) info['certificate-authority-data'] = tls.ca.toString('base64');
  if (proxy) info['proxy-url'] = proxy;
  if (c['disable-compression'] === true) info['disable-compression'] = true;
  const ext = Array.isArray(c.extensions) ? (c.extensions as Array<Obj | null>).find((e) => e?.name === EXEC_CLUSTER_EXTENSION) : undefined;
  if (ext?.extension !== undefined) info.config = ext.extension;
  return info;
}

function proxyUrl(raw: unknown, owner: string, where: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(String(raw));
  } catch {
    /* said below */
  }
  if (!url) throw new KubeconfigError(`${owner} has an invalid proxy-url ${JSON.stringify(raw)}`, where);
  if (!PROXY_PROTOCOLS.includes(url.protocol)) {
    throw new KubeconfigError(`${owner} has proxy-url ${url.protocol}//${url.host}: kite supports http:// and https:// proxies (HTTP CONNECT), not ${url.protocol.replace(/:$/, '')}`, where);
  }
  return url.href;
}

/** Which credential a request carries; static ones win over plugins, as in client-go's transport. */
function authKindOf(u: Obj): AuthKind {
  if (str(u.token)) return 'token';
  if (str(u.tokenFile) || str(u['token-file'])) return 'token-file';
  if (u['client-certificate'] !== undefined || u['client-certificate-data'] !== undefined) return 'client-certificate';
  if (str(u.username)) return 'basic';
  if (u.exec !== undefined) return 'exec';
  if (u['auth-provider'] !== undefined) return 'auth-provider';
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

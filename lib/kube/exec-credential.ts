/**
 * Exec credential plugins (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`), the
 * client.authentication.k8s.io protocol done natively: run the kubeconfig's command with its
 * args and env over ours, the request in $KUBERNETES_EXEC_INFO, standard input only when the
 * plugin may prompt, its stderr passed through to the user; read an ExecCredential from its
 * stdout. Facts (field names, interactiveMode rules, v1 requiring interactiveMode, env
 * precedence) from the Kubernetes docs "client-go credential plugins" and the
 * client.authentication.k8s.io/v1 and v1beta1 references.
 */
import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { Credential } from './credential-cache.ts';
import { ExecPluginError, KubeconfigError } from './errors.ts';

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;
export type InteractiveMode = (typeof INTERACTIVE_MODES)[number];

/** A kubeconfig user's `exec`, checked. */
export interface ExecConfig {
  apiVersion: ExecApiVersion;
  /** As the kubeconfig spells it, for messages. */
  command: string;
  /** What is spawned: relative paths with a separator resolved against the kubeconfig's directory (as kubectl does). */
  executable: string;
  args: string[];
  env: Record<string, string>;
  installHint: string | undefined;
  provideClusterInfo: boolean;
  interactiveMode: InteractiveMode;
}

/** ExecCredential `spec.cluster`, sent when provideClusterInfo is true. */
export interface ExecCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** base64 of the PEM (a []byte in Go's JSON). */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  /** The cluster's `client.authentication.k8s.io/exec` extension. */
  config?: unknown;
}

/** Which context and user a plugin runs for: every message names them. */
export interface ExecOwner {
  context: string;
  user: string;
  /** The kubeconfig file(s). */
  files: string;
}

/** The process around the plugin; tests substitute their own. */
export interface PluginIo {
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WritableStream;
  stdinIsTerminal: boolean;
}

/** The name client-go gives the cluster extension a plugin receives as `spec.cluster.config`. */
export const EXEC_CLUSTER_EXTENSION = 'client.authentication.k8s.io/exec';

/** Check a user's `exec`; `owner` names it in messages ("user "u" in FILE"). */
export function parseExecConfig(raw: unknown, dir: string, owner: string, where: string): ExecConfig {
  const bad = (what: string) => new KubeconfigError(`${owner}: exec ${what}`, where);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('must be a mapping');
  const e = raw as Record<string, unknown>;
  const command = e.command;
  if (typeof command !== 'string' || command === '') throw bad('has no command');
  const apiVersion = e.apiVersion;
  if (!EXEC_API_VERSIONS.includes(apiVersion as ExecApiVersion)) {
    throw bad(`apiVersion ${JSON.stringify(apiVersion ?? null)} is not supported (use ${EXEC_API_VERSIONS.join(' or ')})`);
  }
  const args = e.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw bad('args must be a list of strings');
  const env: Record<string, string> = {};
  const list = e.env ?? [];
  if (!Array.isArray(list)) throw bad('env must be a list of {name, value}');
  for (const v of list as Array<Record<string, unknown> | null>) {
    if (typeof v?.name !== 'string' || v.name === '' || typeof v.value !== 'string') throw bad('env must be a list of {name, value}');
    env[v.name] = v.value;
  }
  // v1 made interactiveMode required; v1beta1 plugins were always run as IfAvailable.
  let mode = e.interactiveMode;
  if (mode === undefined || mode === '') {
    if (apiVersion === 'client.authentication.k8s.io/v1') throw bad(`interactiveMode must be set for ${apiVersion} (Never, IfAvailable or Always)`);
    mode = 'IfAvailable';
  }
  if (!INTERACTIVE_MODES.includes(mode as InteractiveMode)) throw bad(`interactiveMode ${JSON.stringify(mode)} is not one of ${INTERACTIVE_MODES.join(', ')}`);
  return {
    apiVersion: apiVersion as ExecApiVersion,
    command,
    executable: /[\\/]/.test(command) && !isAbsolute(command) ? join(dir, command) : command,
    args: args as string[],
    env,
    installHint: typeof e.installHint === 'string' && e.installHint.trim() !== '' ? e.installHint.trim() : undefined,
    provideClusterInfo: e.provideClusterInfo === true,
    interactiveMode: mode as InteractiveMode,
  };
}

/** The ExecCredential request a plugin finds in $KUBERNETES_EXEC_INFO. */
export function execRequest(cfg: ExecConfig, cluster: ExecCluster, interactive: boolean): object {
  return {
    apiVersion: cfg.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive, ...(cfg.provideClusterInfo ? { cluster } : {}) },
  };
}

/** Keep this much of a plugin's stderr for the error message (it is shown in full as it runs). */
const STDERR_TAIL = 4096;

/** Run the plugin once and read its credential; an ExecPluginError says why not. */
export function runExecPlugin(cfg: ExecConfig, cluster: ExecCluster, owner: ExecOwner, io: PluginIo): Promise<Credential> {
  const which = `context "${owner.context}": the credential plugin "${cfg.command}" of user "${owner.user}"`;
  const fail = (message: string, reason: ExecPluginError['reason'], cause?: unknown) =>
    new ExecPluginError(message, reason, cfg.command, owner.files, cause === undefined ? undefined : { cause });

  if (cfg.interactiveMode === 'Always' && !io.stdinIsTerminal) {
    return Promise.reject(fail(`${which} needs a terminal to prompt on (interactiveMode: Always), but standard input is not one`, 'interactive'));
  }
  const interactive = cfg.interactiveMode !== 'Never' && io.stdinIsTerminal;
  const env = { ...io.env, ...cfg.env, KUBERNETES_EXEC_INFO: JSON.stringify(execRequest(cfg, cluster, interactive)) };

  return new Promise((resolve, reject) => {
    const child = spawn(cfg.executable, cfg.args, { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      io.stderr.write(s); // prompts and device-code instructions must reach the user as they come
      stderr = (stderr + s).slice(-STDERR_TAIL);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        const hint = cfg.installHint ? `\n\n${cfg.installHint}` : ' (install it, or fix users[].user.exec.command in the kubeconfig)';
        reject(fail(`${which} cannot be run: ${cfg.executable} was not found${hint}`, 'not-found', e));
      } else {
        reject(fail(`${which} cannot be run: ${e.code ?? e.message}`, 'not-found', e));
      }
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `failed with exit code ${code}`;
        const said = stderr.trim();
        reject(fail(`${which} ${how}${said ? (said.includes('\n') ? `:\n${said}` : `: ${said}`) : ''}`, 'exit'));
        return;
      }
      const cred = parseExecCredential(Buffer.concat(stdout).toString('utf8'), cfg.apiVersion);
      if (typeof cred === 'string') reject(fail(`${which} printed no usable ExecCredential: ${cred}`, 'output'));
      else resolve(cred);
    });
  });
}

/**
 * An ExecCredential's status as a Credential, or why it is unusable. Never echoes the output:
 * it may hold a token.
 */
export function parseExecCredential(stdout: string, apiVersion: ExecApiVersion): Credential | string {
  if (stdout.trim() === '') return 'it printed nothing on standard output';
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return 'its standard output is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'its standard output is not a JSON object';
  const d = doc as { apiVersion?: unknown; kind?: unknown; status?: unknown };
  if (d.kind !== 'ExecCredential') return `kind is ${JSON.stringify(d.kind ?? null)}, not ExecCredential`;
  if (d.apiVersion !== apiVersion) return `it answered in apiVersion ${JSON.stringify(d.apiVersion ?? null)}, but the kubeconfig asks for ${apiVersion}`;
  if (typeof d.status !== 'object' || d.status === null) return 'it has no status';
  const s = d.status as Record<string, unknown>;
  const token = typeof s.token === 'string' && s.token !== '' ? s.token : undefined;
  const certPem = typeof s.clientCertificateData === 'string' && s.clientCertificateData !== '' ? s.clientCertificateData : undefined;
  const keyPem = typeof s.clientKeyData === 'string' && s.clientKeyData !== '' ? s.clientKeyData : undefined;
  if (!token && !certPem && !keyPem) return 'its status has no token and no clientCertificateData/clientKeyData';
  if (!certPem !== !keyPem) return 'its status has a client certificate without a key, or a key without a certificate';
  const cred: Credential = {};
  if (token) cred.token = token;
  if (certPem && keyPem) {
    try {
      new X509Certificate(certPem);
    } catch {
      return 'its clientCertificateData is not a PEM certificate';
    }
    try {
      createPrivateKey(keyPem);
    } catch {
      return 'its clientKeyData is not a PEM private key';
    }
    cred.cert = Buffer.from(certPem);
    cred.key = Buffer.from(keyPem);
  }
  if (s.expirationTimestamp !== undefined && s.expirationTimestamp !== null) {
    const at = typeof s.expirationTimestamp === 'string' ? Date.parse(s.expirationTimestamp) : NaN;
    if (Number.isNaN(at)) return `its expirationTimestamp ${JSON.stringify(s.expirationTimestamp)} is not a time`;
    cred.expiresAt = at;
  }
  return cred;
}

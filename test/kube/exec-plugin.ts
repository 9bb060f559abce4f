/**
 * A scriptable exec credential plugin for tests: a small Node script that logs each call (the
 * $KUBERNETES_EXEC_INFO it was given and a few env vars) and answers what the test last put in
 * its reply file, so a test can change the answer between calls and count the calls.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeClient, KubeconfigError, loadKubeconfig, type VersionInfo } from '../../lib/kube/index.ts';

export interface PluginReply {
  /** Tokens to hand out, one per call; the last one repeats. */
  tokens?: string[];
  clientCertificateData?: string;
  clientKeyData?: string;
  /** expirationTimestamp = the call's time + this. */
  expiresInMs?: number;
  apiVersion?: string;
  /** Printed instead of an ExecCredential. */
  raw?: string;
  stderr?: string;
  exitCode?: number;
}

export interface PluginCall {
  info: { apiVersion: string; kind: string; spec: { interactive: boolean; cluster?: Record<string, unknown> } };
  env: Record<string, string | undefined>;
}

const SCRIPT = `import { appendFileSync, readFileSync } from 'node:fs';
const [log, replyFile] = process.argv.slice(2);
const env = { KITE_TEST: process.env.KITE_TEST, KITE_TEST_BASE: process.env.KITE_TEST_BASE, HAS_PATH: process.env.PATH ? 'yes' : 'no' };
appendFileSync(log, JSON.stringify({ info: JSON.parse(process.env.KUBERNETES_EXEC_INFO || 'null'), env }) + '\\n');
const calls = readFileSync(log, 'utf8').trim().split('\\n').length;
const r = JSON.parse(readFileSync(replyFile, 'utf8'));
if (r.stderr) process.stderr.write(r.stderr);
if (r.exitCode) process.exit(r.exitCode);
if (r.raw !== undefined) {
  process.stdout.write(r.raw);
} else {
  const status = {};
  if (r.tokens) status.token = r.tokens[Math.min(calls, r.tokens.length) - 1];
  if (r.clientCertificateData) status.clientCertificateData = r.clientCertificateData;
  if (r.clientKeyData) status.clientKeyData = r.clientKeyData;
  if (r.expiresInMs !== undefined) status.expirationTimestamp = new Date(Date.now() + r.expiresInMs).toISOString();
  const apiVersion = r.apiVersion ?? JSON.parse(process.env.KUBERNETES_EXEC_INFO).apiVersion;
  process.stdout.write(JSON.stringify({ apiVersion, kind: 'ExecCredential', status }));
}
`;

export class FakePlugin {
  private constructor(
    readonly script: string,
    readonly log: string,
    readonly replyFile: string,
  ) {}

  /** A plugin in `dir` (files `<name>.mjs`, `.log`, `.reply.json`) answering `reply`. */
  static async create(dir: string, name: string, reply: PluginReply): Promise<FakePlugin> {
    const p = new FakePlugin(join(dir, `${name}.mjs`), join(dir, `${name}.log`), join(dir, `${name}.reply.json`));
    await writeFile(p.script, SCRIPT);
    await writeFile(p.log, '');
    await p.reply(reply);
    return p;
  }

  async reply(r: PluginReply): Promise<void> {
    await writeFile(this.replyFile, JSON.stringify(r));
  }

  async calls(): Promise<PluginCall[]> {
    const text = await readFile(this.log, 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as PluginCall);
  }

  /** A kubeconfig user's `exec` running this plugin with node. */
  exec(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [this.script, this.log, this.replyFile], interactiveMode: 'Never', ...extra };
  }
}

/** A one-context kubeconfig (context `exec`) whose user is `user`. */
export function kubeconfigFor(o: { server: string; caPem?: string; user: Record<string, unknown>; cluster?: Record<string, unknown> }): string {
  const cluster = { server: o.server, ...(o.caPem ? { 'certificate-authority-data': Buffer.from(o.caPem).toString('base64') } : {}), ...o.cluster };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user: o.user }],
    contexts: [{ name: 'exec', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
    'current-context': 'exec',
  });
}

/** `/version` through a kubeconfig, with a client of its own. */
export async function versionThrough(kubeconfig: string): Promise<VersionInfo> {
  const t = loadKubeconfig({ kubeconfig });
  if (t instanceof KubeconfigError) throw t;
  const kube = new KubeClient(t);
  try {
    return await kube.version();
  } finally {
    kube.close();
  }
}

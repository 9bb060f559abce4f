/**
 * Exec credential plugins, run natively (no Kubernetes client library), against a real TLS peer:
 * the request a plugin is given, its env, caching until expirationTimestamp, a re-run on a 401,
 * client certificates, and every way a plugin can fail.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExecPluginError, KubeClient, KubeconfigError, loadKubeconfig, type KubeTarget } from '../../lib/kube/index.ts';
import { loadOrCreateCredentials, type Credentials } from '../../runtime/apiserver/tls.ts';
import { FakePlugin, kubeconfigFor, versionThrough, type PluginReply } from './exec-plugin.ts';
import { Peer, VERSION } from './peer.ts';

let dir: string;
let creds: Credentials;
let peer: Peer;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-exec-'));
  creds = await loadOrCreateCredentials(dir);
  peer = await Peer.start(creds);
});
afterAll(async () => {
  await peer.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  peer.token = creds.token;
  peer.requests.length = 0;
});

const NS = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false } as const;

interface Setup {
  plugin: FakePlugin;
  target: KubeTarget;
  kube: KubeClient;
  stderr: () => string;
}

/** A plugin answering `reply`, a kubeconfig running it (its `exec` amended by `exec`), a client. */
async function setup(reply: PluginReply, exec: Record<string, unknown> = {}, cluster: Record<string, unknown> = {}): Promise<Setup> {
  const plugin = await FakePlugin.create(dir, `p${++n}`, reply);
  const path = join(dir, `p${n}.kubeconfig`);
  await writeFile(path, kubeconfigFor({ server: peer.url, caPem: creds.caCertPem, user: { exec: plugin.exec(exec) }, cluster }));
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  const t = loadKubeconfig({ kubeconfig: path, stderr: out, env: { ...process.env, KITE_TEST_BASE: 'from-kite', KITE_TEST: 'from-kite' } });
  if (t instanceof KubeconfigError) throw t;
  return { plugin, target: t, kube: new KubeClient(t), stderr: () => text };
}

async function failure(s: Setup): Promise<ExecPluginError> {
  try {
    const e = await s.kube.version().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecPluginError);
    return e as ExecPluginError;
  } finally {
    s.kube.close();
  }
}

describe('exec credential plugins', () => {
  it('runs the plugin once for many requests and sends its token; the request is in $KUBERNETES_EXEC_INFO, the env merged over ours', async () => {
    const s = await setup({ tokens: [creds.token], expiresInMs: 3_600_000, stderr: 'fetching a token\n' }, { env: [{ name: 'KITE_TEST', value: 'from-kubeconfig' }] });
    expect(s.target.auth).toBe('exec');
    try {
      expect(await s.kube.version()).toEqual(VERSION);
      await Promise.all([s.kube.list(NS), s.kube.list(NS), s.kube.version()]);
      expect((await s.kube.list(NS)).items).toHaveLength(2);
    } finally {
      s.kube.close();
    }
    const calls = await s.plugin.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.info).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
    expect(calls[0]!.env).toEqual({ KITE_TEST: 'from-kubeconfig', KITE_TEST_BASE: 'from-kite', HAS_PATH: 'yes' });
    expect(peer.requests.every((r) => r.headers.authorization === `Bearer ${creds.token}`)).toBe(true);
    expect(s.stderr()).toBe('fetching a token\n'); // the plugin's stderr reaches the user
  });

  it('re-runs the plugin once its credential has expired', async () => {
    const s = await setup({ tokens: [creds.token], expiresInMs: -1000 });
    try {
      await s.kube.version();
      await s.kube.version();
      await s.kube.version();
    } finally {
      s.kube.close();
    }
    expect(await s.plugin.calls()).toHaveLength(3);
  });

  it('re-runs the plugin once on a 401, even when many requests are refused at once', async () => {
    const s = await setup({ tokens: ['stale', creds.token] });
    try {
      const results = await Promise.all([s.kube.list(NS), s.kube.list(NS), s.kube.version(), s.kube.version()]);
      expect(results).toHaveLength(4);
    } finally {
      s.kube.close();
    }
    expect(await s.plugin.calls()).toHaveLength(2);
    expect(peer.requests.filter((r) => r.headers.authorization === 'Bearer stale').length).toBeGreaterThan(0);
  });

  it('a plugin whose fresh credential is refused too: the 401 is reported, the plugin run twice, not more', async () => {
    const s = await setup({ tokens: ['wrong'] });
    try {
      const e = await s.kube.version().catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 401, reason: 'Unauthorized' });
    } finally {
      s.kube.close();
    }
    expect(await s.plugin.calls()).toHaveLength(2);
  });

  it('tells the plugin about the cluster when provideClusterInfo is set (CA, extension config); v1beta1 defaults to IfAvailable', async () => {
    const s = await setup(
      { tokens: [creds.token] },
      { apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: undefined, provideClusterInfo: true },
      { 'tls-server-name': 'localhost', extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kite' } }] },
    );
    try {
      await s.kube.version();
    } finally {
      s.kube.close();
    }
    const [call] = await s.plugin.calls();
    expect(call!.info).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: {
        interactive: false, // standard input is not a terminal under the test runner
        cluster: { server: peer.url, 'tls-server-name': 'localhost', 'certificate-authority-data': Buffer.from(creds.caCertPem).toString('base64'), config: { audience: 'kite' } },
      },
    });
  });

  it('uses a client certificate from the plugin for TLS', async () => {
    const s = await setup({ tokens: [creds.token], clientCertificateData: creds.certPem, clientKeyData: creds.keyPem });
    s.kube.close();
    const conn = await s.target.connection();
    expect(conn.tls.cert?.toString()).toBe(creds.certPem);
    expect(conn.tls.key?.toString()).toBe(creds.keyPem);
    expect(conn.tls.ca?.toString()).toBe(creds.caCertPem);
    expect(conn.headers.authorization).toBe(`Bearer ${creds.token}`);
  });

  it('runs a shell script named relative to the kubeconfig', async () => {
    await writeFile(
      join(dir, 'token.sh'),
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${creds.token}"}}'\n`,
    );
    await chmod(join(dir, 'token.sh'), 0o755);
    const path = join(dir, 'sh.kubeconfig');
    await writeFile(path, kubeconfigFor({ server: peer.url, caPem: creds.caCertPem, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './token.sh', interactiveMode: 'Never' } } }));
    expect(await versionThrough(path)).toEqual(VERSION);
  });
});

describe('exec credential plugin failures', () => {
  it('a non-zero exit: the exit code and the plugin stderr, which the user also saw as it ran', async () => {
    const s = await setup({ stderr: 'error: SSO session expired; run `aws sso login`\n', exitCode: 3 });
    const e = await failure(s);
    expect(e.message).toBe(`context "exec": the credential plugin "${process.execPath}" of user "u" failed with exit code 3: error: SSO session expired; run \`aws sso login\``);
    expect(e).toMatchObject({ code: 'exec-plugin', reason: 'exit', command: process.execPath });
    expect(s.stderr()).toBe('error: SSO session expired; run `aws sso login`\n');
  });

  it('a command that is not installed: the kubeconfig installHint', async () => {
    const s = await setup({}, { command: 'kite-no-such-auth-plugin', args: [], installHint: 'kite-no-such-auth-plugin is needed for this cluster:\n  brew install kite-no-such-auth-plugin\n' });
    const e = await failure(s);
    expect(e.message).toBe(
      'context "exec": the credential plugin "kite-no-such-auth-plugin" of user "u" cannot be run: kite-no-such-auth-plugin was not found\n\nkite-no-such-auth-plugin is needed for this cluster:\n  brew install kite-no-such-auth-plugin',
    );
    expect(e.reason).toBe('not-found');
    const plain = await setup({}, { command: 'kite-no-such-auth-plugin', args: [] });
    expect((await failure(plain)).message).toMatch(/was not found \(install it, or fix users\[\]\.user\.exec\.command in the kubeconfig\)$/);
  });

  it.each([
    [{ raw: 'not json' }, 'its standard output is not JSON'],
    [{ raw: '' }, 'it printed nothing on standard output'],
    [{ raw: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'Status' }) }, 'kind is "Status", not ExecCredential'],
    [{ tokens: ['t'], apiVersion: 'client.authentication.k8s.io/v1beta1' }, 'it answered in apiVersion "client.authentication.k8s.io/v1beta1", but the kubeconfig asks for client.authentication.k8s.io/v1'],
    [{ raw: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential' }) }, 'it has no status'],
    [{}, 'its status has no token and no clientCertificateData/clientKeyData'],
    [{ clientCertificateData: 'x' }, 'its status has a client certificate without a key, or a key without a certificate'],
    [{ clientCertificateData: 'not pem', clientKeyData: 'not pem' }, 'its clientCertificateData is not a PEM certificate'],
    [{ raw: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 't', expirationTimestamp: 'soon' } }) }, 'its expirationTimestamp "soon" is not a time'],
  ] as Array<[PluginReply, string]>)('bad output %j: %s', async (reply, why) => {
    const e = await failure(await setup(reply));
    expect(e.message).toBe(`context "exec": the credential plugin "${process.execPath}" of user "u" printed no usable ExecCredential: ${why}`);
    expect(e.reason).toBe('output');
  });

  it('interactiveMode Always without a terminal is refused before running the plugin', async () => {
    const s = await setup({ tokens: [creds.token] }, { interactiveMode: 'Always' });
    const e = await failure(s);
    expect(e.message).toBe(`context "exec": the credential plugin "${process.execPath}" of user "u" needs a terminal to prompt on (interactiveMode: Always), but standard input is not one`);
    expect(await s.plugin.calls()).toHaveLength(0);
  });

  it('an exec stanza kubectl would refuse is a kubeconfig error', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ interactiveMode: undefined }, 'exec interactiveMode must be set for client.authentication.k8s.io/v1 (Never, IfAvailable or Always)'],
      [{ apiVersion: 'client.authentication.k8s.io/v1alpha1' }, 'exec apiVersion "client.authentication.k8s.io/v1alpha1" is not supported (use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)'],
      [{ interactiveMode: 'Sometimes' }, 'exec interactiveMode "Sometimes" is not one of Never, IfAvailable, Always'],
      [{ command: '' }, 'exec has no command'],
      [{ env: [{ name: 'A' }] }, 'exec env must be a list of {name, value}'],
    ];
    for (const [exec, message] of cases) {
      const path = join(dir, 'bad.kubeconfig');
      await writeFile(path, kubeconfigFor({ server: peer.url, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Never', ...exec } } }));
      const t = loadKubeconfig({ kubeconfig: path });
      expect(t).toBeInstanceOf(KubeconfigError);
      expect((t as KubeconfigError).message).toBe(`user "u" in ${path}: ${message}`);
    }
  });
});

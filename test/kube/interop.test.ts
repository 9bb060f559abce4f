/**
 * The kubeconfig and certificates kite writes work with the real kubectl and with
 * @kubernetes/client-node (a devDependency, used only here), TLS verification on; and kite's own
 * exec credential plugin support gives a plugin exactly what kubectl gives it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCredentials, writeKubeconfig, type Credentials } from '../../runtime/apiserver/tls.ts';
import { FakePlugin, kubeconfigFor, versionThrough } from './exec-plugin.ts';
import { Peer, VERSION } from './peer.ts';

let dir: string;
let creds: Credentials;
let peer: Peer;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-interop-'));
  creds = await loadOrCreateCredentials(dir);
  peer = await Peer.start(creds);
  kubeconfig = await writeKubeconfig(dir, { server: peer.url, caCertPem: creds.caCertPem, token: creds.token });
});
afterAll(async () => {
  await peer.close();
  await rm(dir, { recursive: true, force: true });
});

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, HOME: dir, KUBECONFIG: '' };
  return new Promise((resolve) => {
    execFile('kubectl', args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('kubectl', () => {
  it('`kubectl version -o json` verifies the server and sends the token', async () => {
    const r = await kubectl(['--kubeconfig', kubeconfig, 'version', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.serverVersion).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
    const versionCalls = peer.requests.filter((q) => q.path === '/version');
    expect(versionCalls.length).toBeGreaterThan(0);
    expect(versionCalls.every((q) => q.headers.authorization === `Bearer ${creds.token}`)).toBe(true);
  });

  it('`kubectl get namespaces -o name` lists through discovery', async () => {
    const r = await kubectl(['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'name']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('namespace/default\nnamespace/kube-system\n');
  });

  it('kubectl reports a wrong token as Unauthorized', async () => {
    const r = await kubectl(['--kubeconfig', kubeconfig, '--token', 'wrong', 'get', 'namespaces', '-o', 'name']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
  });
});

describe('@kubernetes/client-node', () => {
  it('loads the kubeconfig and lists namespaces with CoreV1Api, verification on', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    expect(kc.getCurrentContext()).toBe('kite-local');
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-system']);
    expect(list.metadata?.resourceVersion).toBe('42');
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.32.4');
  });
});

describe('exec credential plugins: kite and kubectl speak the same protocol', () => {
  it('a plugin is given the same $KUBERNETES_EXEC_INFO by kubectl and by kite, and both use its token', async () => {
    const plugin = await FakePlugin.create(dir, 'interop-plugin', { tokens: [creds.token] });
    const path = join(dir, 'exec-interop-kubeconfig');
    await writeFile(
      path,
      kubeconfigFor({
        server: peer.url,
        caPem: creds.caCertPem,
        user: { exec: plugin.exec({ provideClusterInfo: true, env: [{ name: 'KITE_TEST', value: 'set' }] }) },
        cluster: { extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kite' } }] },
      }),
    );
    const r = await kubectl(['--kubeconfig', path, 'get', 'namespaces', '-o', 'name']);
    expect(r.code, r.stderr).toBe(0);
    expect(await versionThrough(path)).toEqual(VERSION);
    const [byKubectl, byKite] = await plugin.calls();
    expect(byKite).toEqual(byKubectl);
    expect(byKite!.info.spec.cluster).toMatchObject({ server: peer.url, config: { audience: 'kite' } });
  });
});

/**
 * The kubeconfig and certificates kite writes work with the real kubectl and with
 * @kubernetes/client-node, TLS verification on; and lib/kube's client-node fallback (exec
 * credential plugins, proxy-url) works against a real TLS peer.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeClient, KubeconfigError, loadKubeconfig, type KubeTarget } from '../../lib/kube/index.ts';
import { loadOrCreateCredentials, writeKubeconfig, type Credentials } from '../../runtime/apiserver/tls.ts';
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

describe('lib/kube through client-node (exec plugins, proxies)', () => {
  function target(path: string): KubeTarget {
    const t = loadKubeconfig({ kubeconfig: path });
    if (t instanceof KubeconfigError) throw t;
    return t;
  }

  it('runs an exec credential plugin once and uses its token', async () => {
    const counter = join(dir, 'exec-count');
    const plugin = join(dir, 'plugin.mjs');
    await writeFile(
      plugin,
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'x');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(creds.token)} } }));
`,
    );
    await writeFile(counter, '');
    const path = join(dir, 'exec-kubeconfig');
    await writeFile(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: peer.url, 'certificate-authority-data': Buffer.from(creds.caCertPem).toString('base64') } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } }],
        contexts: [{ name: 'exec', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'exec',
      }),
    );
    const t = target(path);
    expect(t.auth).toBe('exec');
    const kube = new KubeClient(t);
    try {
      expect(await kube.version()).toEqual(VERSION);
      expect((await kube.list({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false })).items).toHaveLength(2);
      const { readFile } = await import('node:fs/promises');
      expect(await readFile(counter, 'utf8')).toBe('x'); // cached, not re-run per request
    } finally {
      kube.close();
    }
  });

  it('reports a failing plugin as a kubeconfig problem', async () => {
    const path = join(dir, 'exec-fail-kubeconfig');
    await writeFile(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: peer.url } }],
        users: [{ name: 'u2', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', 'console.error("please log in"); process.exit(1)'] } } }],
        contexts: [{ name: 'fail', context: { cluster: 'c', user: 'u2' } }],
        'current-context': 'fail',
      }),
    );
    const kube = new KubeClient(target(path));
    try {
      const e = await kube.version().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(KubeconfigError);
      expect((e as Error).message).toBe('context "fail": the exec credential plugin of user "u2" failed: please log in');
    } finally {
      kube.close();
    }
  });

  it('tunnels through a proxy-url', async () => {
    let tunnels = 0;
    const sockets = new Set<net.Socket>();
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels++;
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      sockets.add(socket).add(upstream);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const path = join(dir, 'proxy-kubeconfig');
    await writeFile(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: peer.url, 'proxy-url': proxyUrl, 'certificate-authority-data': Buffer.from(creds.caCertPem).toString('base64') } }],
        users: [{ name: 'u', user: { token: creds.token } }],
        contexts: [{ name: 'p', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'p',
      }),
    );
    const kube = new KubeClient(target(path));
    try {
      expect(await kube.version()).toEqual(VERSION);
      expect(tunnels).toBeGreaterThan(0);
    } finally {
      kube.close();
      for (const s of sockets) s.destroy(); // tunnels are no longer the HTTP server's to close
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

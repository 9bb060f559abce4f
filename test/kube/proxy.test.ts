/**
 * A cluster's proxy-url, done natively: requests tunnel through HTTP CONNECT (TLS end to end),
 * with Proxy-Authorization from the URL's user:password; a refusing proxy and an unsupported
 * scheme say so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, KubeconfigError, KubeUnreachableError, loadKubeconfig, type KubeTarget } from '../../lib/kube/index.ts';
import { loadOrCreateCredentials, type Credentials } from '../../runtime/apiserver/tls.ts';
import { kubeconfigFor } from './exec-plugin.ts';
import { Peer, VERSION } from './peer.ts';

let dir: string;
let creds: Credentials;
let peer: Peer;
let proxy: http.Server;
let proxyPort: number;
const tunnels: Array<{ to: string; auth: string | undefined }> = [];
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kite-proxy-'));
  creds = await loadOrCreateCredentials(dir);
  peer = await Peer.start(creds);
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'];
    tunnels.push({ to: req.url ?? '', auth });
    sockets.add(socket);
    socket.on('error', () => {});
    if (auth === `Basic ${Buffer.from('kite:wrong').toString('base64')}`) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy(); // tunnels are no longer the HTTP server's to close
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await peer.close();
  await rm(dir, { recursive: true, force: true });
});

async function target(proxyUrl: string): Promise<KubeTarget | KubeconfigError> {
  const path = join(dir, `k${Math.random().toString(36).slice(2)}`);
  await writeFile(path, kubeconfigFor({ server: peer.url, caPem: creds.caCertPem, user: { token: creds.token }, cluster: { 'proxy-url': proxyUrl } }));
  return loadKubeconfig({ kubeconfig: path });
}

describe('proxy-url', () => {
  it('tunnels every request through the proxy, TLS verified end to end, with the URL credentials', async () => {
    const t = await target(`http://kite:s3cret@127.0.0.1:${proxyPort}`);
    if (t instanceof KubeconfigError) throw t;
    const kube = new KubeClient(t);
    tunnels.length = 0;
    try {
      expect(await kube.version()).toEqual(VERSION);
      expect((await kube.list({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false })).items).toHaveLength(2);
    } finally {
      kube.close();
    }
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((x) => x.to === `127.0.0.1:${peer.port}` && x.auth === `Basic ${Buffer.from('kite:s3cret').toString('base64')}`)).toBe(true);
  });

  it('a proxy that refuses the tunnel is reported as such', async () => {
    const t = await target(`http://kite:wrong@127.0.0.1:${proxyPort}`);
    if (t instanceof KubeconfigError) throw t;
    const kube = new KubeClient(t);
    try {
      const e = await kube.version().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(KubeUnreachableError);
      expect((e as Error).message).toBe(
        `cannot reach the Kubernetes API server at ${peer.url}: the proxy 127.0.0.1:${proxyPort} refused to connect to 127.0.0.1:${peer.port}: 407 Proxy Authentication Required`,
      );
    } finally {
      kube.close();
    }
  });

  it('socks5 and malformed proxy URLs are kubeconfig errors', async () => {
    const socks = await target('socks5://127.0.0.1:1080');
    expect(socks).toBeInstanceOf(KubeconfigError);
    expect((socks as Error).message).toMatch(/has proxy-url socks5:\/\/127\.0\.0\.1:1080: kite supports http:\/\/ and https:\/\/ proxies \(HTTP CONNECT\), not socks5$/);
    expect(((await target('::nope')) as Error).message).toMatch(/has an invalid proxy-url "::nope"$/);
  });
});

/** Probe and hook actions against real servers and processes on loopback. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../../../lib/api/model.ts';
import { runAction, type ActionTarget } from '../../../../../runtime/kubelet/backends/process/actions.ts';
import { frame } from '../../../../../runtime/kubelet/backends/process/action-grpc.ts';
import { goURLString, probeURL } from '../../../../../runtime/kubelet/backends/process/action-http.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function target(c: Partial<Container> = {}): ActionTarget {
  return {
    podIP: '127.0.0.1',
    container: { name: 'web', image: 'x', ...c },
    podFullName: 'web-1_default(u1)',
    execCommand: (argv) => ({ file: argv[0]!, args: argv.slice(1), env: { PATH: process.env.PATH ?? '', GREETING: 'hi' }, cwd: tmpdir() }),
  };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
async function httpServer(handler: Handler): Promise<number> {
  const server = http.createServer(handler);
  closers.push(async () => void server.closeAllConnections());
  return listen(server);
}

describe('httpGet probe', () => {
  it('succeeds on 2xx with the body as output, sending the kubelet headers', async () => {
    let seen: http.IncomingHttpHeaders = {};
    let path = '';
    const port = await httpServer((req, res) => {
      seen = req.headers;
      path = req.url ?? '';
      res.end('ok body');
    });
    const r = await runAction({ httpGet: { path: '/healthz?x=1', port, httpHeaders: [{ name: 'X-Custom', value: 'v' }] } }, target(), 1000);
    expect(r).toEqual({ result: 'success', output: 'ok body' });
    expect(path).toBe('/healthz?x=1');
    expect(seen['user-agent']).toBe('kube-probe/1.32');
    expect(seen.accept).toBe('*/*');
    expect(seen['x-custom']).toBe('v');
  });

  it('fails on 500 with the kubelet wording and resolves a named port', async () => {
    const port = await httpServer((_req, res) => {
      res.statusCode = 500;
      res.end('secret body');
    });
    const r = await runAction({ httpGet: { path: '/', port: 'http' } }, target({ ports: [{ name: 'http', containerPort: port }] }), 1000);
    expect(r).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  it('words a refused connection as Go does', async () => {
    const port = await closedPort();
    const r = await runAction({ httpGet: { path: '/ready', port } }, target(), 1000);
    expect(r).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${port}/ready": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });

  it('prints URLs as Go does, default port included', () => {
    const url = probeURL({ path: 'http://my.registration-server.com/register/?a=1', port: 80 }, '127.244.0.5', 80);
    expect(goURLString(url, true)).toBe('http://127.244.0.5:80/register/?a=1');
    expect(goURLString(probeURL({ path: 'healthz', port: 443, scheme: 'HTTPS' }, 'fd00::1', 443), true)).toBe('https://[fd00::1]:443/healthz');
  });

  it('times out a server that never answers', async () => {
    const port = await httpServer(() => undefined);
    const started = Date.now();
    const r = await runAction({ httpGet: { path: '/', port } }, target(), 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.result).toBe('failure');
    expect(r.output).toBe(`Get "http://127.0.0.1:${port}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  });

  it('follows a redirect to the same host; one to another host is a warning', async () => {
    const port = await httpServer((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else if (req.url === '/away') res.writeHead(301, { location: 'http://example.invalid/' }).end('moved');
      else res.end('new');
    });
    expect(await runAction({ httpGet: { path: '/old', port } }, target(), 1000)).toEqual({ result: 'success', output: 'new' });
    expect(await runAction({ httpGet: { path: '/away', port } }, target(), 1000)).toEqual({
      result: 'warning',
      output: 'Probe terminated redirects, Response body: moved',
    });
  });

  it('stops after 10 redirects', async () => {
    const port = await httpServer((_req, res) => res.writeHead(302, { location: '/loop' }).end());
    const r = await runAction({ httpGet: { path: '/', port } }, target(), 1000);
    expect(r).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects` });
  });

  it('reads at most 10 KiB of the body', async () => {
    const port = await httpServer((_req, res) => res.end('x'.repeat(50_000)));
    const r = await runAction({ httpGet: { path: '/', port } }, target(), 1000);
    expect(r.result).toBe('success');
    expect(r.output.length).toBe(10 * 1024);
  });

  it('speaks HTTPS without verifying the certificate, as the kubelet does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-probe-tls-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=self-signed'], {
      stdio: 'ignore',
    });
    let host = '';
    const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      host = req.headers.host ?? '';
      res.end('secure');
    });
    const port = await listen(server);
    const probe = { httpGet: { path: '/', port, scheme: 'HTTPS' as const, httpHeaders: [{ name: 'Host', value: 'shop.example' }] } };
    expect(await runAction(probe, target(), 2000)).toEqual({ result: 'success', output: 'secure' });
    expect(host).toBe('shop.example');
  });

  it('reports HTTPS to a plain-HTTP server as Go does', async () => {
    const port = await httpServer((_req, res) => res.end('ok'));
    const r = await runAction({ httpGet: { path: '/', port, scheme: 'HTTPS' } }, target(), 1000);
    expect(r).toEqual({ result: 'failure', output: `Get "https://127.0.0.1:${port}/": http: server gave HTTP response to HTTPS client` });
  });

  it('errors (not fails) on a port name the container does not have', async () => {
    const r = await runAction({ httpGet: { path: '/', port: 'web' } }, target(), 1000);
    expect(r).toEqual({ result: 'failure', output: 'strconv.Atoi: parsing "web": invalid syntax', errored: true });
  });
});

describe('tcpSocket probe', () => {
  it('succeeds when a connection opens, fails as Go words it when refused', async () => {
    const port = await listen(net.createServer((s) => s.destroy()));
    expect(await runAction({ tcpSocket: { port } }, target(), 1000)).toEqual({ result: 'success', output: '' });
    const closed = await closedPort();
    expect(await runAction({ tcpSocket: { port: closed } }, target(), 1000)).toEqual({
      result: 'failure',
      output: `dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
  });
});

describe('exec probe', () => {
  it('succeeds on exit 0 with stdout then stderr, in the container env, without a shell', async () => {
    const r = await runAction({ exec: { command: ['sh', '-c', 'echo "$GREETING"; echo err >&2'] } }, target(), 2000);
    expect(r).toEqual({ result: 'success', output: 'hi\nerr\n' });
    // Arguments are not shell-expanded: `$GREETING` reaches echo literally.
    expect(await runAction({ exec: { command: ['echo', '$GREETING'] } }, target(), 2000)).toEqual({ result: 'success', output: '$GREETING\n' });
  });

  it('fails on a non-zero exit with its output', async () => {
    expect(await runAction({ exec: { command: ['sh', '-c', 'echo not yet; exit 1'] } }, target(), 2000)).toEqual({ result: 'failure', output: 'not yet\n' });
  });

  it('fails on a timeout and ends the whole process group', async () => {
    // A sleep length no other process has, to find leftovers by.
    const marker = `sleep 30.${process.pid}${Date.now() % 1000}`;
    const script = `${marker} & ${marker}`;
    const r = await runAction({ exec: { command: ['sh', '-c', script] } }, target(), 200);
    expect(r).toEqual({ result: 'failure', output: `command "sh -c ${script}" timed out` });
    await expectNoProcess(marker);
  });

  it('errors when the program cannot start', async () => {
    const r = await runAction({ exec: { command: ['no-such-program-kite'] } }, target(), 1000);
    expect(r).toEqual({ result: 'failure', output: 'exec: "no-such-program-kite": executable file not found in $PATH', errored: true });
  });
});

/** No process on the machine runs exactly `cmd` any more. */
async function expectNoProcess(cmd: string): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const left = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() === cmd);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still running: ${left.join('; ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('grpc probe', () => {
  async function healthServer(reply: (service: string) => { status?: number; grpcStatus?: number; message?: string }): Promise<number> {
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        const service = body.length > 7 ? body.subarray(7).toString() : '';
        if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
          stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service' }, { endStream: true });
          return;
        }
        const r = reply(service);
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(r.grpcStatus ?? 0), 'grpc-message': r.message ?? '' }));
        if (r.status !== undefined) {
          const msg = Buffer.from([0x08, r.status]);
          const head = Buffer.alloc(5);
          head.writeUInt32BE(msg.length, 1);
          stream.end(Buffer.concat([head, msg]));
        } else stream.end();
      });
    });
    return listen(server as unknown as net.Server);
  }

  it('encodes the request as grpc-go does', () => {
    expect([...frame('')]).toEqual([0, 0, 0, 0, 0]);
    expect([...frame('ab')]).toEqual([0, 0, 0, 0, 4, 0x0a, 2, 0x61, 0x62]);
  });

  it('is healthy when SERVING, unhealthy otherwise, worded as the kubelet words it', async () => {
    const port = await healthServer((service) => (service === 'db' ? { status: 2 } : service === 'gone' ? { grpcStatus: 5, message: 'unknown service' } : { status: 1 }));
    expect(await runAction({ grpc: { port } }, target(), 1000)).toEqual({ result: 'success', output: 'service healthy' });
    expect(await runAction({ grpc: { port, service: 'db' } }, target(), 1000)).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(await runAction({ grpc: { port, service: 'gone' } }, target(), 1000)).toEqual({
      result: 'failure',
      output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
    });
  });

  it('reports a server it cannot reach after the timeout', async () => {
    const port = await closedPort();
    expect(await runAction({ grpc: { port } }, target(), 300)).toEqual({
      result: 'failure',
      output: `timeout: failed to connect service "127.0.0.1:${port}" within 300ms: context deadline exceeded`,
    });
  });
});

describe('lifecycle hooks', () => {
  it('httpGet with a URL as path requests that path on the pod IP; any response will do', async () => {
    let path = '';
    let agent = '';
    const port = await httpServer((req, res) => {
      path = req.url ?? '';
      agent = req.headers['user-agent'] ?? '';
      res.statusCode = 404;
      res.end();
    });
    const hook = { httpGet: { path: 'http://my.registration-server.com/register/', port } };
    expect(await runAction(hook, target(), 1000, undefined, { purpose: 'lifecycle' })).toEqual({ result: 'success', output: '' });
    expect(path).toBe('/register/');
    expect(agent).toBe('kube-lifecycle/1.32');
    // The container's own postStart is run as a hook without being told.
    expect(await runAction(hook, target({ lifecycle: { postStart: hook } }), 1000)).toEqual({ result: 'success', output: '' });
    expect(await runAction(hook, target(), 1000)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
  });

  it("httpGet to a pod that is not listening fails with the kubelet's message", async () => {
    const port = await closedPort();
    const hook = { httpGet: { path: 'http://my.registration-server.com/register/', port } };
    expect(await runAction(hook, target(), 1000, undefined, { purpose: 'lifecycle' })).toEqual({
      result: 'failure',
      output:
        `HTTP lifecycle hook (http://my.registration-server.com/register/) for Container "web" in Pod "web-1_default(u1)" failed - error: ` +
        `Get "http://127.0.0.1:${port}/register/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('an HTTPS hook answered in plain HTTP is retried over HTTP, with a warning', async () => {
    const auth: (string | undefined)[] = [];
    const port = await httpServer((req, res) => {
      auth.push(req.headers.authorization);
      res.end();
    });
    const hook = { httpGet: { path: '/', port, scheme: 'HTTPS' as const, httpHeaders: [{ name: 'Authorization', value: 'Bearer x' }] } };
    expect(await runAction(hook, target(), 1000, undefined, { purpose: 'lifecycle' })).toEqual({
      result: 'success',
      output: '',
      warningEvent: { reason: 'LifecycleHTTPFallback', message: `request to HTTPS lifecycle hook 127.0.0.1:${port} got HTTP response, retry with HTTP succeeded` },
    });
    expect(auth).toEqual([undefined]);
  });

  it("exec that exits non-zero fails with the kubelet's message", async () => {
    const r = await runAction({ exec: { command: ['sh', '-c', 'echo out; echo bad >&2; exit 3'] } }, target(), 0, undefined, { purpose: 'lifecycle' });
    expect(r).toEqual({
      result: 'failure',
      output: `Exec lifecycle hook ([sh -c echo out; echo bad >&2; exit 3]) for Container "web" in Pod "web-1_default(u1)" failed - error: command 'sh -c echo out; echo bad >&2; exit 3' exited with 3: bad\n, message: "out\\nbad\\n"`,
    });
  });

  it('sleep succeeds when it runs out and fails when the container ends first', async () => {
    expect(await runAction({ sleep: { seconds: 1 } }, target(), 5000, undefined, { purpose: 'lifecycle' })).toEqual({ result: 'success', output: '' });
    const ac = new AbortController();
    const pending = runAction({ sleep: { seconds: 30 } }, target(), 60_000, ac.signal, { purpose: 'lifecycle' });
    ac.abort();
    expect(await pending).toEqual({
      result: 'failure',
      output: 'Sleep lifecycle hook (30) for Container "web" in Pod "web-1_default(u1)" failed - error: container terminated before sleep hook finished',
    });
  });
});

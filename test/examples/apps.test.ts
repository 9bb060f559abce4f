/**
 * The stand-in programs of examples/apps, each started as a real process as the process kubelet
 * would start it (POD_IP, PORT and the pod's variables in its environment): their endpoints,
 * their SIGTERM handling, apachectl's graceful stop, and a port that is taken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../support/kite.ts';

const APPS = join(REPO, 'examples/apps');
const running = new Set<ChildProcess>();

afterEach(() => {
  for (const p of running) p.kill('SIGKILL');
  running.clear();
});

/** A loopback address of its own per test run, so parallel runs never share a port. */
function podIP(): string {
  const n = () => 1 + Math.floor(Math.random() * 254);
  return `127.${100 + Math.floor(Math.random() * 100)}.${n()}.${n()}`;
}

interface App {
  ip: string;
  port: number;
  output: () => string;
  /** Resolves with the exit code (or the signal's 128+N) once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  proc: ChildProcess;
}

/** Starts `examples/apps/<file>` and waits (up to 10 s) until it says it listens. */
async function start(file: string, env: Record<string, string> = {}): Promise<App> {
  const ip = env.POD_IP ?? podIP();
  const proc = spawn(process.execPath, [join(APPS, file)], {
    env: { PATH: process.env.PATH ?? '', POD_IP: ip, POD_NAME: 'web-1', POD_NAMESPACE: 'shop', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      running.delete(proc);
      resolve({ code, signal });
    }),
  );
  const listening = /listening on http:\/\/[\d.]+:(\d+)/;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not listen within 10 s:\n${out}`)), 10_000);
    const check = () => {
      const m = listening.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before listening:\n${out}`));
    });
  });
  return { ip, port, output: () => out, exited, proc };
}

function http(app: { ip: string; port: number }, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: app.ip, port: app.port, method, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Runs a program to completion; its exit code and output. */
function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(APPS, file), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d) => (output += d));
    p.stderr.on('data', (d) => (output += d));
    p.on('exit', (code) => resolve({ code, output }));
  });
}

const canBindLowPorts = process.getuid?.() === 0;

describe('kuard.mjs', () => {
  it('serves /healthy, /ready, /env and the page on $POD_IP:8080, and fails health on demand', async () => {
    const app = await start('kuard.mjs');
    expect(app.port).toBe(8080);
    expect(await http(app, 'GET', '/healthy')).toEqual({ status: 200, body: 'ok\n' });
    expect(await http(app, 'GET', '/ready')).toEqual({ status: 200, body: 'ok\n' });
    expect((await http(app, 'GET', '/')).body).toContain(`Pod shop/web-1 at ${app.ip}`);
    const env = JSON.parse((await http(app, 'GET', '/env')).body);
    expect(env.env.POD_IP).toBe(app.ip);
    expect(env.commandLine[1]).toBe(join(APPS, 'kuard.mjs'));

    expect((await http(app, 'POST', '/fail/healthy?times=2')).status).toBe(200);
    expect((await http(app, 'GET', '/healthy')).status).toBe(500);
    expect((await http(app, 'GET', '/healthy')).status).toBe(500);
    expect((await http(app, 'GET', '/healthy')).status).toBe(200);
    await http(app, 'POST', '/fail/ready');
    for (let i = 0; i < 3; i++) expect((await http(app, 'GET', '/ready')).status).toBe(500);
    await http(app, 'POST', '/heal/ready');
    expect((await http(app, 'GET', '/ready')).status).toBe(200);

    app.proc.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).toMatch(/kuard: received SIGTERM, shutting down\n.*kuard: stopped\n/);
  });

  it('can ignore SIGTERM (so the SIGKILL after the grace period shows) and exit on request', async () => {
    const stubborn = await start('kuard.mjs', { IGNORE_SIGTERM: '1', PORT: '18080' });
    stubborn.proc.kill('SIGTERM');
    await expect.poll(() => stubborn.output(), { timeout: 10_000 }).toContain('received SIGTERM, ignoring it');
    expect((await http(stubborn, 'GET', '/healthy')).status).toBe(200);
    stubborn.proc.kill('SIGKILL');
    expect(await stubborn.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const crashing = await start('kuard.mjs', { PORT: '18081' });
    await http(crashing, 'POST', '/exit?code=3');
    expect((await crashing.exited).code).toBe(3);
  });

  it('says clearly that its port is taken, and exits 1', async () => {
    const first = await start('kuard.mjs', { PORT: '18082' });
    const second = await run('kuard.mjs', [], { POD_IP: first.ip, PORT: '18082' });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`kuard: cannot listen on ${first.ip}:18082: listen EADDRINUSE: address already in use ${first.ip}:18082`);
  });
});

describe('node-express-info.mjs', () => {
  it.skipIf(!canBindLowPorts)('listens on port 80 by default', async () => {
    const app = await start('node-express-info.mjs');
    expect(app.port).toBe(80);
  });

  it('answers /status/ with the host name and the pod, and stops on SIGTERM', async () => {
    const app = await start('node-express-info.mjs', { PORT: '18083' });
    const status = await http(app, 'GET', '/status/');
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ status: 'ok', hostname: 'web-1', pod: { name: 'web-1', namespace: 'shop', ip: app.ip } });
    expect((await http(app, 'GET', '/status')).status).toBe(200);
    expect((await http(app, 'GET', '/')).body).toContain('Host: web-1');
    expect((await http(app, 'GET', '/nope')).status).toBe(404);
    app.proc.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(app.output()).toContain('node-express-info: received SIGTERM, shutting down');
  });
});

describe('apache.mjs and apachectl.mjs', () => {
  it.skipIf(!canBindLowPorts)('listens on port 80 by default', async () => {
    const app = await start('apache.mjs');
    expect(app.port).toBe(80);
  });

  it('serves its page and stops gracefully when apachectl -k graceful-stop asks', async () => {
    const app = await start('apache.mjs', { PORT: '18084' });
    expect(await http(app, 'GET', '/')).toEqual({ status: 200, body: '<html><body><h1>It works!</h1></body></html>\n' });
    const ctl = await run('apachectl.mjs', ['-k', 'graceful-stop'], { POD_IP: app.ip, PORT: '18084' });
    expect(ctl).toEqual({ code: 0, output: `apachectl: graceful-stop sent to httpd at ${app.ip}:18084\n` });
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('apache: AH00492: caught SIGWINCH, shutting down gracefully');
  });

  it('logs httpd’s wording on SIGTERM; apachectl fails when no server answers', async () => {
    const app = await start('apache.mjs', { PORT: '18085' });
    app.proc.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(app.output()).toContain('apache: AH00169: caught SIGTERM, shutting down');
    const ctl = await run('apachectl.mjs', ['-k', 'graceful-stop'], { POD_IP: app.ip, PORT: '18085' });
    expect(ctl.code).toBe(1);
    expect(ctl.output).toContain(`apachectl: httpd not running at ${app.ip}:18085`);
    expect((await run('apachectl.mjs', ['-k', 'restart'], {})).code).toBe(1);
  });
});

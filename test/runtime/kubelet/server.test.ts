// The kubelet server with a real `ws` client and real processes: a small backend in this test
// spawns the command (the process backend does the same in the pod's sandbox).
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Pod } from '../../../lib/api/model.ts';
import { StreamRefused, type KubeletBackend } from '../../../runtime/kubelet/backend.ts';
import { startKubeletServer, type RunningKubeletServer } from '../../../runtime/kubelet/server.ts';
import { hostProcessBackend } from '../../support/host-process-backend.ts';

const TOKEN = 'kubelet-test-token';
const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

/** Real processes for exec; a fixed log, and a refusal for the previous one. */
const processes: KubeletBackend = {
  ...hostProcessBackend(),
  logs: async (_pod, o) => (o.previous ? Promise.reject(new StreamRefused('previous terminated container "c" in pod "web" not found')) : Readable.from(['one\n', 'two\n'])),
};

const simulated: KubeletBackend = { start: async () => {}, stop: async () => {}, syncPod: processes.syncPod, killPod: async () => {} };

let server: RunningKubeletServer;
let bare: RunningKubeletServer;
beforeAll(async () => {
  server = await startKubeletServer({ pod: (ns, name) => (ns === 'default' && name === 'web' ? pod : undefined), backend: processes, nodeName: 'n1', token: TOKEN });
  bare = await startKubeletServer({ pod: () => pod, backend: simulated, nodeName: 'n2', token: TOKEN });
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
});

interface Session {
  stdout: string;
  stderr: string;
  status: Record<string, unknown> | undefined;
  protocol: string;
}

/** One exec as kubectl does it: channel-framed binary messages, stdin closed with `[255, 0]`. */
function exec(port: number, query: string, opts: { stdin?: string; resize?: [number, number]; protocol?: string } = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/exec/default/web/c?${query}`, [opts.protocol ?? 'v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${TOKEN}` } });
    const s: Session = { stdout: '', stderr: '', status: undefined, protocol: '' };
    ws.on('open', () => {
      s.protocol = ws.protocol;
      if (opts.resize) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: opts.resize[0], Height: opts.resize[1] }))]));
      if (opts.stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(opts.stdin)]));
        ws.send(Buffer.from([255, 0]));
      }
    });
    ws.on('message', (data: Buffer) => {
      const text = data.subarray(1).toString();
      if (data[0] === 1) s.stdout += text;
      else if (data[0] === 2) s.stderr += text;
      else if (data[0] === 3) {
        expect(s.status).toBeUndefined();
        s.status = JSON.parse(text) as Record<string, unknown>;
      }
    });
    ws.on('close', () => resolve(s));
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(body), { statusCode: res.statusCode })));
    });
  });
}

const cmd = (...argv: string[]) => argv.map((a) => `command=${encodeURIComponent(a)}`).join('&');

function get(port: number, path: string, token = TOKEN): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('kubelet server: exec over WebSocket', () => {
  it('streams stdout and stderr apart and ends with one Success status', async () => {
    const s = await exec(server.port, `${cmd('sh', '-c', 'echo out; echo err >&2')}&stdout=true&stderr=true`);
    expect(s).toEqual({ stdout: 'out\n', stderr: 'err\n', status: { metadata: {}, status: 'Success' }, protocol: 'v5.channel.k8s.io' });
  });

  it('reports a non-zero exit code as NonZeroExitCode with the code as its cause', async () => {
    const s = await exec(server.port, `${cmd('sh', '-c', 'exit 3')}&stdout=true&stderr=true`);
    expect(s.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('feeds stdin until the close signal, and passes terminal sizes on (v4 accepted too)', async () => {
    const s = await exec(server.port, `${cmd('cat')}&stdin=true&stdout=true&stderr=true`, { stdin: 'hello\nworld\n' });
    expect(s.stdout).toBe('hello\nworld\n');
    expect(s.status).toEqual({ metadata: {}, status: 'Success' });
    const tty = await exec(server.port, `${cmd('true')}&stdout=true&tty=true`, { resize: [120, 40], protocol: 'v4.channel.k8s.io' });
    expect(tty.protocol).toBe('v4.channel.k8s.io');
    expect(tty.stdout).toBe('resized 120x40\n');
  });

  it("sends the backend's refusal as the status", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/exec/default/web/other?${cmd('ls')}&stdout=true`, ['v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${TOKEN}` } });
    const status = await new Promise<unknown>((resolve) => ws.on('message', (d: Buffer) => resolve(JSON.parse(d.subarray(1).toString()))));
    expect(status).toEqual({ metadata: {}, status: 'Failure', reason: 'BadRequest', message: 'container other is not running' });
  });

  it('refuses without the token, unknown pods, other protocols, and exec on a node without processes', async () => {
    await expect(get(server.port, '/containerLogs/default/web/c', 'wrong')).resolves.toMatchObject({ code: 401 });
    await expect(exec(server.port, cmd('ls'), { protocol: 'v3.channel.k8s.io' })).rejects.toMatchObject({ statusCode: 400 });
    const gone = await get(server.port, '/containerLogs/default/nope/c');
    expect(gone.code).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
    const refused = await exec(bare.port, cmd('ls')).catch((e: Error & { statusCode: number }) => e);
    expect(refused).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((refused as Error).message).message).toBe('pod web runs on simulated node n2: its containers are not processes, so there is nothing to exec into');
  });
});

describe('kubelet server: container logs', () => {
  it("streams the backend's log, and passes its refusal on as a Status", async () => {
    expect(await get(server.port, '/containerLogs/default/web/c?tailLines=2')).toEqual({ code: 200, body: 'one\ntwo\n' });
    const prev = await get(server.port, '/containerLogs/default/web/c?previous=true');
    expect(prev.code).toBe(400);
    expect(JSON.parse(prev.body)).toMatchObject({ reason: 'BadRequest', message: 'previous terminated container "c" in pod "web" not found' });
  });

  it('a node without processes has empty logs and nothing to follow', async () => {
    expect(await get(bare.port, '/containerLogs/default/web/c')).toEqual({ code: 200, body: '' });
    const follow = await get(bare.port, '/containerLogs/default/web/c?follow=true');
    expect(follow.code).toBe(400);
  });
});

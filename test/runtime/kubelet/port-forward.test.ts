/**
 * kubectl port-forward against the process kubelet, end to end: the real kubectl 1.32 (WebSocket
 * tunnel first, SPDY with KUBECTL_PORT_FORWARD_WEBSOCKETS=false), the API server's upgrade proxy,
 * the kubelet's SPDY session, a pod process listening on its loopback IP.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestRuntime } from '../harness.ts';
import { createPod, killMarked, podWhere, shell, startProcessRuntime } from './backends/process/helpers.ts';
import { kubectlPortForward } from './port-forward-kubectl.ts';

const MARKER = `pf-${process.pid}`;
/** An HTTP server on the pod's IP, port 8080, answering with the pod's name and the request's body length. */
const SERVER = `exec node -e '
const http = require("node:http");
http.createServer((req, res) => { let n = 0; req.on("data", (c) => (n += c.length)); req.on("end", () => res.end("pod " + process.env.POD_NAME + " got " + n)); })
  .listen(8080, process.env.POD_IP);
'`;

function get(port: number, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: body ? 'POST' : 'GET', agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startProcessRuntime();
  await createPod(rt, 'web', { containers: [shell('web', SERVER, MARKER, { ports: [{ name: 'http', containerPort: 8080 }] })] });
  const pod = await podWhere(rt, 'web', (p) => p.status?.phase === 'Running', 'running');
  // Listening is not part of Running: wait until the port answers.
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect({ host: pod.status!.podIP!, port: 8080 });
        s.once('connect', () => resolve(true)).once('error', () => resolve(false));
        s.once('connect', () => s.destroy());
      }),
    { what: 'the pod to listen on 8080' },
  );
}, 60_000);

afterAll(async () => {
  await rt?.close();
  killMarked(MARKER);
});

describe('kubectl port-forward', () => {
  for (const [mode, env] of [
    ['WebSocket tunnel', {}],
    ['SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`forwards a local port to the pod (${mode})`, async () => {
      const pf = await kubectlPortForward(rt, ['pod/web', ':8080'], env);
      try {
        expect(pf.stdout()).toMatch(/^Forwarding from 127\.0\.0\.1:\d+ -> 8080$/m);
        expect(await get(pf.localPort)).toBe('pod web got 0');
        await eventually(() => pf.stdout().includes(`Handling connection for ${pf.localPort}`), { what: 'the Handling line' });
        // Two at once, and more than one window of data (64 KiB) each way.
        const big = 'x'.repeat(300_000);
        const [a, b] = await Promise.all([get(pf.localPort, big), get(pf.localPort, big)]);
        expect([a, b]).toEqual(['pod web got 300000', 'pod web got 300000']);
      } finally {
        await pf.stop();
      }
    }, 60_000);
  }
});

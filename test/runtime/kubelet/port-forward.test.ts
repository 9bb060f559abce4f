/**
 * kubectl port-forward against the process kubelet, end to end: the real kubectl 1.32 (WebSocket
 * tunnel first, SPDY with KUBECTL_PORT_FORWARD_WEBSOCKETS=false), the API server's upgrade proxy,
 * the kubelet's SPDY session, a pod process listening on its loopback IP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestRuntime } from '../harness.ts';
import { killMarked, shell, startProcessRuntime } from './backends/process/helpers.ts';
import { httpGet, startWebPod } from './port-forward-fixture.ts';
import { kubectlPortForward } from './port-forward-kubectl.ts';

const MARKER = `pf-${process.pid}`;
const get = httpGet;

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startProcessRuntime();
  await startWebPod(rt, 'web', MARKER);
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
      const pf = await kubectlPortForward(rt, ['-v=6', 'pod/web', ':8080'], env);
      try {
        // The transport kubectl settled on: no fallback from the WebSocket tunnel unless told to.
        if (mode === 'SPDY') expect(pf.stderr()).not.toContain('negotiated protocol');
        else expect(pf.stderr()).toContain('negotiated protocol: portforward.k8s.io');
        expect(pf.stderr()).not.toContain('fallback');
        expect(pf.stdout()).toMatch(/^Forwarding from 127\.0\.0\.1:\d+ -> 8080$/m);
        expect(await get(pf.localPort)).toBe('pod web got 0');
        await eventually(() => pf.stdout().includes(`Handling connection for ${pf.localPort}`), { what: 'the Handling line' });
        // Two at once, and more than one window of data (64 KiB) each way.
        const big = 'x'.repeat(300_000);
        const [a, b] = await Promise.all([get(pf.localPort, big), get(pf.localPort, big)]);
        expect([a, b]).toEqual(['pod web got 300000', 'pod web got 300000']);
        // Ctrl-C ends kubectl cleanly.
        expect(await pf.stop()).toBe(0);
      } finally {
        await pf.stop();
      }
    }, 60_000);
  }

  it('forwards svc/NAME to a pod of the service, its named targetPort resolved', async () => {
    const pf = await kubectlPortForward(rt, ['svc/web', ':80']);
    try {
      expect(pf.stdout()).toMatch(/^Forwarding from 127\.0\.0\.1:\d+ -> 8080$/m);
      expect(await get(pf.localPort)).toBe('pod web got 0');
    } finally {
      await pf.stop();
    }
  }, 60_000);

  it('reports a port nothing listens on with the kubelet\'s error, and kubectl 1.32 then gives up', async () => {
    const pf = await kubectlPortForward(rt, ['pod/web', ':9999']);
    try {
      await expect(get(pf.localPort)).rejects.toThrow();
      const code = await eventually(() => pf.child.exitCode, { what: 'kubectl to exit' });
      expect(code).toBe(1);
      const uid = rt.runtime.client.get('pods', 'default', 'web')!.metadata.uid;
      const podIP = rt.runtime.client.get('pods', 'default', 'web')!.status!.podIP;
      expect(pf.stderr()).toContain(
        `an error occurred forwarding ${pf.localPort} -> 9999: error forwarding port 9999 to pod ${uid}, uid : dial tcp ${podIP}:9999: connect: connection refused`,
      );
      expect(pf.stderr()).toContain('error: lost connection to pod');
    } finally {
      await pf.stop();
    }
  }, 60_000);

  it('refuses a pod that is not running, as kubectl words it', async () => {
    await rt.runtime.client.create('pods', 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unplaced', namespace: 'default' },
      spec: { nodeSelector: { nowhere: 'true' }, containers: [shell('c', 'exec sleep 100', MARKER)] },
    });
    const r = await rt.kubectl(['port-forward', 'pod/unplaced', '8080']);
    expect(r).toMatchObject({ code: 1, stderr: 'error: unable to forward port because pod is not running. Current status=Pending\n' });
  });
});

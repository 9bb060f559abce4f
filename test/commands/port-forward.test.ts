/**
 * `kite port-forward` against the process kubelet: in process (pod, svc with a named targetPort,
 * rs, two connections at once, a closed port, a pod not running, a simulated node), and the
 * real CLI ended with Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portForwardCommand, type PortForwardOptions } from '../../commands/port-forward.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
import { killMarked, shell, startProcessRuntime } from '../runtime/kubelet/backends/process/helpers.ts';
import { httpGet, servingPod, startWebPod, webContainer } from '../runtime/kubelet/port-forward-fixture.ts';
import { KITE_BIN, REPO } from '../support/kite.ts';

const MARKER = `kite-pf-${process.pid}`;
let rt: TestRuntime;

beforeAll(async () => {
  rt = await startProcessRuntime();
  await startWebPod(rt, 'web', MARKER);
}, 60_000);

afterAll(async () => {
  await rt?.close();
  killMarked(MARKER);
});

/** Runs the command in process until `stop` aborts or it ends by itself. */
function run(on: TestRuntime, resource: string, ports: string[], extra: Partial<PortForwardOptions> = {}) {
  const stop = new AbortController();
  let out = '';
  let err = '';
  const code = portForwardCommand(
    { resource, ports, addresses: ['127.0.0.1'], podRunningTimeoutMs: 5000, target: { kubeconfig: on.kubeconfig }, stop: stop.signal, ...extra },
    { out: (t) => (out += t), err: (t) => (err += t) },
  );
  // A rejection is looked at by the test; it must not count as unhandled meanwhile.
  code.catch(() => {});
  const localPort = () =>
    eventually(
      () => {
        const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> \d+$/m.exec(out);
        return m ? Number(m[1]) : undefined;
      },
      { what: `kite port-forward ${resource} to listen (stderr: ${err})` },
    );
  return { code, stop: () => stop.abort(), out: () => out, err: () => err, localPort };
}

describe('kite port-forward', () => {
  it('forwards pod/NAME and plain NAME, prints kubectl\'s lines, and ends cleanly when stopped', async () => {
    for (const resource of ['pod/web', 'web']) {
      const pf = run(rt, resource, [':8080']);
      try {
        const port = await pf.localPort();
        expect(pf.out()).toBe(`Forwarding from 127.0.0.1:${port} -> 8080\n`);
        const big = 'y'.repeat(200_000);
        expect(await Promise.all([httpGet(port), httpGet(port, big)])).toEqual(['pod web got 0', 'pod web got 200000']);
        expect(pf.out()).toBe(`Forwarding from 127.0.0.1:${port} -> 8080\nHandling connection for ${port}\nHandling connection for ${port}\n`);
      } finally {
        pf.stop();
      }
      expect(await pf.code).toBe(0);
      expect(pf.err()).toBe('');
    }
  }, 60_000);

  it('forwards svc/NAME to a pod it selects, the service port (by number or name) translated to the named targetPort', async () => {
    for (const ports of [[':80'], [':web']]) {
      const pf = run(rt, 'svc/web', ports);
      try {
        const port = await pf.localPort();
        expect(pf.out()).toBe(`Forwarding from 127.0.0.1:${port} -> 8080\n`);
        expect(await httpGet(port)).toBe('pod web got 0');
      } finally {
        pf.stop();
      }
      expect(await pf.code).toBe(0);
    }
  }, 60_000);

  it('forwards rs/NAME to a pod of the ReplicaSet', async () => {
    await rt.runtime.client.create('replicasets', 'default', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rsweb', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'rsweb' } }, template: { metadata: { labels: { app: 'rsweb' } }, spec: { terminationGracePeriodSeconds: 5, containers: [webContainer(MARKER)] } } },
    });
    const name = await eventually(() => rt.runtime.client.list('pods', 'default').items.find((p) => p.metadata.labels?.app === 'rsweb')?.metadata.name, { what: 'the pod of rsweb' });
    await servingPod(rt, name);
    const pf = run(rt, 'rs/rsweb', [':8080']);
    try {
      expect(await httpGet(await pf.localPort())).toBe(`pod ${name} got 0`);
    } finally {
      pf.stop();
    }
  }, 60_000);

  it('refuses a service port the service does not have, and a named port the pod does not have, as kubectl words it', async () => {
    await expect(run(rt, 'svc/web', ['81']).code).rejects.toThrow('Service web does not have a service port 81');
    await expect(run(rt, 'svc/web', ['nope']).code).rejects.toThrow("Service 'web' does not have a named port 'nope'");
    await expect(run(rt, 'pod/web', ['nope']).code).rejects.toThrow("Pod 'web' does not have a named port 'nope'");
    await expect(run(rt, 'configmap/kube-root-ca.crt', ['80']).code).rejects.toThrow('cannot attach to *v1.ConfigMap: not implemented');
    const missing = run(rt, 'pod/absent', ['80']);
    expect(await missing.code).toBe(1);
    expect(missing.err()).toBe('Error from server (NotFound): pods "absent" not found\n');
  });

  it("reports a port nothing listens on with the kubelet's error and gives up, as kubectl 1.32 does", async () => {
    const pf = run(rt, 'pod/web', [':9999']);
    const port = await pf.localPort();
    await expect(httpGet(port)).rejects.toThrow();
    expect(await pf.code).toBe(1);
    const pod = rt.runtime.client.get('pods', 'default', 'web')!;
    expect(pf.err()).toBe(
      `an error occurred forwarding ${port} -> 9999: error forwarding port 9999 to pod ${pod.metadata.uid}, uid : dial tcp ${pod.status!.podIP}:9999: connect: connection refused\n` +
        'error: lost connection to pod\n',
    );
  }, 30_000);

  it('refuses a pod that is not running', async () => {
    await rt.runtime.client.create('pods', 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unplaced', namespace: 'default' },
      spec: { nodeSelector: { nowhere: 'true' }, containers: [shell('c', 'exec sleep 100', MARKER)] },
    });
    await expect(run(rt, 'pod/unplaced', ['8080']).code).rejects.toThrow('unable to forward port because pod is not running. Current status=Pending');
  });

  it('ends with exit 0 on Ctrl-C as the real CLI', async () => {
    const child = spawn(process.execPath, [KITE_BIN, 'port-forward', 'svc/web', ':80', '--kubeconfig', rt.kubeconfig], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await eventually(() => Number(/127\.0\.0\.1:(\d+) -> 8080/.exec(out)?.[1]) || undefined, { timeoutMs: 20_000, what: `kite to listen (stderr: ${err})` });
      expect(await httpGet(port)).toBe('pod web got 0');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(err).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('kite port-forward to a simulated node', () => {
  let sim: TestRuntime;
  beforeAll(async () => {
    sim = await startTestRuntime({ nodes: 1 });
    await sim.runtime.client.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'quiet', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
    await eventually(() => sim.runtime.client.get('pods', 'default', 'quiet')?.status?.phase === 'Running', { what: 'the simulated pod Running' });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('says why the kubelet refuses, on the first connection', async () => {
    const pf = run(sim, 'pod/quiet', [':80']);
    const port = await pf.localPort();
    await expect(httpGet(port)).rejects.toThrow();
    expect(await pf.code).toBe(1);
    const node = sim.runtime.client.get('pods', 'default', 'quiet')!.spec.nodeName;
    expect(pf.err()).toBe(`error: error upgrading connection: pod quiet runs on simulated node ${node}: its containers are not processes, so there is no port to forward to\n`);
  }, 30_000);
});

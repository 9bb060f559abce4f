// The `default/kubernetes` Service: its objects as kube-apiserver writes them, reconciled at
// every start and put back when deleted; the serving certificate's in-cluster names; and the
// KUBERNETES_SERVICE_* variables of a process pod.
import { rm } from 'node:fs/promises';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesServiceReconciler } from '../../../runtime/apiserver/kubernetes-service.ts';
import { apiServiceIP } from '../../../runtime/network.ts';
import { startRuntime, type Runtime } from '../../../runtime/runtime.ts';
import { eventually, startControlPlane, startTestRuntime, type TestControlPlane, type TestRuntime } from '../harness.ts';
import { createPod, killMarked, podWhere, shell, startProcessRuntime } from '../kubelet/backends/process/helpers.ts';

let rt: TestRuntime | undefined;
let cp: TestControlPlane | undefined;
let reconciler: KubernetesServiceReconciler | undefined;
let restarted: Runtime | undefined;
const cleanups: Array<() => void> = [];

afterEach(async () => {
  for (const f of cleanups.splice(0)) f();
  await reconciler?.stop();
  await restarted?.close();
  await rt?.close();
  await cp?.close();
  rt = cp = reconciler = restarted = undefined;
});

describe('the kubernetes Service on a runtime', () => {
  it('points at the API server: Service, Endpoints and EndpointSlice as kube-apiserver writes them', async () => {
    rt = await startTestRuntime({ nodes: 1 });
    const { client, port, network } = rt.runtime;
    const svc = client.get('services', 'default', 'kubernetes')!;
    expect(svc.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: apiServiceIP(network),
      clusterIPs: [apiServiceIP(network)],
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
    });
    expect(svc.spec?.selector).toBeUndefined();
    const ep = client.get('endpoints', 'default', 'kubernetes')!;
    expect(ep.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port, protocol: 'TCP' }] }]);
    const slice = client.get('endpointslices', 'default', 'kubernetes')!;
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
      ports: [{ name: 'https', port, protocol: 'TCP' }],
    });
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });

    // The real kubectl sees what it sees on a cluster; no mirrored slice appears beside ours.
    const get = await rt.kubectl(['get', 'endpoints', 'kubernetes', '--no-headers']);
    expect(get.stdout).toMatch(new RegExp(`^kubernetes\\s+127\\.0\\.0\\.1:${port}\\s`));
    const slices = await rt.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=kubernetes', '-o', 'name']);
    expect(slices.stdout.trim()).toBe('endpointslice.discovery.k8s.io/kubernetes');
  });

  it('is reconciled at every start: a new API server port reaches the Service and its endpoints', async () => {
    rt = await startTestRuntime({ nodes: 1 });
    const dir = rt.dir;
    const first = rt.runtime.port;
    await rt.runtime.close();
    rt = undefined;
    try {
      restarted = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '2', nodeMemory: '4Gi', simulate: true, port: 0 });
      const port = restarted.port;
      expect(port).not.toBe(first);
      expect(restarted.client.get('services', 'default', 'kubernetes')!.spec!.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }]);
      expect(restarted.client.get('endpoints', 'default', 'kubernetes')!.subsets![0]!.ports).toEqual([{ name: 'https', port, protocol: 'TCP' }]);
      expect(restarted.client.get('endpointslices', 'default', 'kubernetes')!.ports).toEqual([{ name: 'https', port, protocol: 'TCP' }]);
    } finally {
      await restarted?.close();
      restarted = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves a certificate an in-cluster client accepts for the service IP and the kubernetes.default names', async () => {
    rt = await startTestRuntime({ nodes: 1, clusterDomain: 'example.test' });
    const { port, network } = rt.runtime;
    const ca = (await rt.kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}'])).stdout;
    const caPem = Buffer.from(ca, 'base64').toString();
    const names = [apiServiceIP(network), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.example.test'];
    for (const name of names) {
      // As a pod dialing the Service IP (or the name it resolved) would: the CA from the
      // service account, the host checked against the certificate.
      const cert = await handshake(port, caPem, name);
      expect(checkServerIdentity(name, cert), name).toBeUndefined();
    }
    const other = await handshake(port, caPem, 'kubernetes.default.svc.cluster.local');
    expect(checkServerIdentity('kubernetes.default.svc.cluster.local', other)).toBeInstanceOf(Error);
  });
});

/** A TLS handshake with the API server, verified against `caPem`; the peer certificate. */
function handshake(port: number, caPem: string, name: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: caPem, ...(/^\d/.test(name) ? {} : { servername: name }), checkServerIdentity: () => undefined }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!socket.authorized) reject(new Error(`not authorized: ${socket.authorizationError}`));
      else resolve(cert);
    });
    socket.once('error', reject);
  });
}

describe('KubernetesServiceReconciler', () => {
  it('puts back a deleted Service and its endpoints, and keeps a user edit that is not its own', async () => {
    cp = await startControlPlane();
    const client = cp.client;
    reconciler = new KubernetesServiceReconciler(client, { serviceIP: '127.96.0.1', address: '127.0.0.1', port: 6443, intervalMs: 20 });
    await reconciler.start();
    const svc = client.get('services', 'default', 'kubernetes')!;
    await client.update('services', { ...svc, metadata: { ...svc.metadata, annotations: { note: 'mine' } } });
    await client.delete('endpoints', 'default', 'kubernetes');
    await client.delete('endpointslices', 'default', 'kubernetes');
    await eventually(() => client.get('endpoints', 'default', 'kubernetes') && client.get('endpointslices', 'default', 'kubernetes'), { what: 'endpoints put back' });
    expect(client.get('services', 'default', 'kubernetes')!.metadata.annotations).toEqual({ note: 'mine' });

    await client.delete('services', 'default', 'kubernetes');
    const back = await eventually(() => client.get('services', 'default', 'kubernetes'), { what: 'Service put back' });
    expect(back.spec?.clusterIP).toBe('127.96.0.1');
  });
});

describe('KubernetesServiceReconciler on a Service it cannot take over', () => {
  it('reports the refused write and starts anyway', async () => {
    cp = await startControlPlane();
    const client = cp.client;
    await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    const errors: unknown[] = [];
    reconciler = new KubernetesServiceReconciler(client, { serviceIP: '127.96.0.1', address: '127.0.0.1', port: 6443, intervalMs: 0, onError: (e) => errors.push(e) });
    await reconciler.start();
    expect(errors.map((e) => (e as Error).message)).toEqual([expect.stringMatching(/^Service "kubernetes" is invalid: /)]);
    expect(client.get('services', 'default', 'kubernetes')!.spec!.type).toBe('LoadBalancer');
  });
});

describe('KUBERNETES_SERVICE_* in a process pod', () => {
  it('gives a pod the kubernetes Service host and port', async () => {
    rt = await startProcessRuntime();
    const marker = `k8s-env-${process.pid}-${Date.now()}`;
    cleanups.push(() => killMarked(marker));
    await createPod(rt, 'envy', { restartPolicy: 'Never', containers: [shell('main', 'echo "host=$KUBERNETES_SERVICE_HOST port=$KUBERNETES_SERVICE_PORT https=$KUBERNETES_SERVICE_PORT_HTTPS link=$KUBERNETES_PORT"', marker)] });
    await podWhere(rt, 'envy', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
    const logs = await rt.kubectl(['logs', 'envy']);
    const ip = apiServiceIP(rt.runtime.network);
    expect(logs.stdout.trim()).toBe(`host=${ip} port=443 https=443 link=tcp://${ip}:443`);
  });
});

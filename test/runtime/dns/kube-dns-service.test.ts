/** The kube-dns Service kept by the DNS component: created, its labels restored, and a clear word when its address is taken. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureKubeDnsService, KUBE_DNS_LABELS } from '../../../runtime/dns/kube-dns-service.ts';
import { clusterDnsIP, networkOfSlot } from '../../../runtime/network.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';

const network = networkOfSlot(7);
const DNS_IP = clusterDnsIP(network);

describe('ensureKubeDnsService', () => {
  let cp: TestControlPlane;

  beforeEach(async () => {
    cp = await startControlPlane({ serviceCIDR: network.serviceCIDR });
  });

  afterEach(async () => {
    await cp.close();
  });

  it('creates it at the kube-dns address, without selector, and keeps it', async () => {
    expect(await ensureKubeDnsService(cp.client, DNS_IP)).toBeUndefined();
    const svc = cp.client.get('services', 'kube-system', 'kube-dns');
    expect(svc?.spec?.clusterIP).toBe(DNS_IP);
    expect(svc?.spec?.selector).toBeUndefined();
    expect(svc?.metadata.labels).toEqual(KUBE_DNS_LABELS);
    // A user removed a label: the next start puts it back.
    await cp.client.update('services', { ...svc!, metadata: { ...svc!.metadata, labels: { 'k8s-app': 'kube-dns' } } });
    expect(await ensureKubeDnsService(cp.client, DNS_IP)).toBeUndefined();
    expect(cp.client.get('services', 'kube-system', 'kube-dns')?.metadata.labels).toEqual(KUBE_DNS_LABELS);
  });

  it('names the Service that holds the address (a state dir from before cluster DNS)', async () => {
    await cp.client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'squatter', namespace: 'default' }, spec: { clusterIP: DNS_IP, ports: [{ port: 80, protocol: 'TCP' }] } });
    expect(await ensureKubeDnsService(cp.client, DNS_IP)).toBe(
      `the cluster DNS address ${DNS_IP} is the cluster IP of Service default/squatter (created before cluster DNS existed): no kube-dns Service; delete that Service and restart`,
    );
    expect(cp.client.get('services', 'kube-system', 'kube-dns')).toBeUndefined();
  });
});

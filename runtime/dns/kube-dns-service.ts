/**
 * The `kube-system/kube-dns` Service, as kubeadm's CoreDNS addon creates it (k/k
 * cmd/kubeadm/app/phases/addons/dns/manifests.go): the 10th address of the service CIDR, ports
 * `dns` 53/UDP and `dns-tcp` 53/TCP. Here the server is in the runtime, not in pods, so:
 *  - no selector and no Endpoints (Endpoints may not hold loopback addresses, and the VIP is
 *    the server's own address);
 *  - `service.kubernetes.io/service-proxy-name: kite-dns`: the service proxy leaves it alone
 *    (kube-proxy skips Services claimed by another proxy); the DNS server binds the VIP itself.
 */
import type { Service } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';

export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_NAME = 'kube-dns';
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
export const KUBE_DNS_LABELS: Record<string, string> = {
  'k8s-app': 'kube-dns',
  'kubernetes.io/cluster-service': 'true',
  'kubernetes.io/name': 'CoreDNS',
  [SERVICE_PROXY_NAME_LABEL]: 'kite-dns',
};

export function kubeDnsService(clusterIP: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBE_DNS_NAME, namespace: KUBE_DNS_NAMESPACE, labels: { ...KUBE_DNS_LABELS } },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
}

/**
 * Creates the Service, or brings back its labels; a problem (its address held by another
 * Service, from a state dir older than cluster DNS) is the answer, to be shown by `kite status`.
 */
export async function ensureKubeDnsService(client: ApiClient, clusterIP: string): Promise<string | undefined> {
  const existing = client.get('services', KUBE_DNS_NAMESPACE, KUBE_DNS_NAME);
  if (existing) {
    if (existing.spec?.clusterIP !== clusterIP) {
      return `Service ${KUBE_DNS_NAMESPACE}/${KUBE_DNS_NAME} has cluster IP ${existing.spec?.clusterIP ?? '(none)'}, not ${clusterIP}: pods are told ${clusterIP}; delete that Service and restart to fix it`;
    }
    const labels = existing.metadata.labels ?? {};
    if (Object.entries(KUBE_DNS_LABELS).some(([k, v]) => labels[k] !== v)) {
      await client.update('services', { ...existing, metadata: { ...existing.metadata, labels: { ...labels, ...KUBE_DNS_LABELS } } });
    }
    return undefined;
  }
  const holder = client.list('services').items.find((s) => s.spec?.clusterIP === clusterIP || (s.spec?.clusterIPs ?? []).includes(clusterIP));
  if (holder) {
    return `the cluster DNS address ${clusterIP} is the cluster IP of Service ${holder.metadata.namespace}/${holder.metadata.name} (created before cluster DNS existed): no kube-dns Service; delete that Service and restart`;
  }
  try {
    await client.create('services', KUBE_DNS_NAMESPACE, kubeDnsService(clusterIP));
    return undefined;
  } catch (e) {
    return `could not create Service ${KUBE_DNS_NAMESPACE}/${KUBE_DNS_NAME}: ${(e as Error).message}`;
  }
}

/**
 * The files the kubelet writes per pod and mounts into every container: `/etc/hosts`
 * (k/k pkg/kubelet/kubelet_pods.go managedHostsFileContent, hostsEntriesFromHostAliases) and
 * `/etc/resolv.conf` (from the pod's dnsPolicy: ./pod-dns.ts).
 */
import { promises as fs } from 'node:fs';
import type { Pod } from '../../../../lib/api/model.ts';
import { formatResolvConf, podDnsConfig, type NodeDnsSettings, type PodDnsWarning } from './pod-dns.ts';

/** The kubelet's default --cluster-domain. */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** What the node's pods get for DNS, without a cluster DNS (tests, or a backend opened on its own). */
export async function hostOnlyDns(clusterDomain = DEFAULT_CLUSTER_DOMAIN): Promise<NodeDnsSettings> {
  return { clusterDNS: [], clusterDomain, hostResolvConf: await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => '') };
}

/** The pod's hostname: spec.hostname, else its name cut to 63 characters (GeneratePodHostNameAndDomain). */
export function podHostname(pod: Pod): string {
  return pod.spec?.hostname || (pod.metadata.name ?? '').slice(0, 63).replace(/[-.]+$/, '');
}

export function managedHostsFile(pod: Pod, podIP: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string {
  const hostname = podHostname(pod);
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  if (podIP) {
    const subdomain = pod.spec?.subdomain;
    const ns = pod.metadata.namespace ?? 'default';
    lines.push(subdomain ? `${podIP}\t${hostname}.${subdomain}.${ns}.svc.${clusterDomain}\t${hostname}` : `${podIP}\t${hostname}`);
  }
  let text = lines.join('\n') + '\n';
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length > 0) {
    text += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) text += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return text;
}

/** Writes `<dir>/etc-hosts` and `<dir>/resolv.conf`; returns their paths and the DNS warnings for the pod's events. */
export async function writePodFiles(dir: string, pod: Pod, podIP: string, dns: NodeDnsSettings): Promise<{ hosts: string; resolvConf: string; warnings: PodDnsWarning[] }> {
  const hosts = `${dir}/etc-hosts`;
  const resolvConf = `${dir}/resolv.conf`;
  const { config, warnings } = podDnsConfig(pod, dns);
  await Promise.all([
    fs.writeFile(hosts, managedHostsFile(pod, podIP, dns.clusterDomain), { mode: 0o644 }),
    fs.writeFile(resolvConf, formatResolvConf(config), { mode: 0o644 }),
  ]);
  return { hosts, resolvConf, warnings };
}

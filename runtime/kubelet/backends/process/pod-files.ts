/**
 * The files the kubelet writes per pod and mounts into every container: `/etc/hosts`
 * (k/k pkg/kubelet/kubelet_pods.go managedHostsFileContent, hostsEntriesFromHostAliases) and
 * `/etc/resolv.conf`. The resolv.conf is the host's for now (dnsPolicy `Default`); the cluster
 * DNS work replaces it with the ClusterFirst one.
 */
import { promises as fs } from 'node:fs';
import type { Pod } from '../../../../lib/api/model.ts';

const CLUSTER_DOMAIN = 'cluster.local';

/** The pod's hostname: spec.hostname, else its name cut to 63 characters (GeneratePodHostNameAndDomain). */
export function podHostname(pod: Pod): string {
  return pod.spec?.hostname || (pod.metadata.name ?? '').slice(0, 63).replace(/[-.]+$/, '');
}

export function managedHostsFile(pod: Pod, podIP: string): string {
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
    lines.push(subdomain ? `${podIP}\t${hostname}.${subdomain}.${ns}.svc.${CLUSTER_DOMAIN}\t${hostname}` : `${podIP}\t${hostname}`);
  }
  let text = lines.join('\n') + '\n';
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length > 0) {
    text += '\n# Entries added by HostAliases.\n';
    for (const a of aliases) text += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return text;
}

/** Writes `<dir>/etc-hosts` and `<dir>/resolv.conf`; returns their paths. */
export async function writePodFiles(dir: string, pod: Pod, podIP: string): Promise<{ hosts: string; resolvConf: string }> {
  const hosts = `${dir}/etc-hosts`;
  const resolvConf = `${dir}/resolv.conf`;
  const hostResolv = await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  await Promise.all([fs.writeFile(hosts, managedHostsFile(pod, podIP), { mode: 0o644 }), fs.writeFile(resolvConf, hostResolv, { mode: 0o644 })]);
  return { hosts, resolvConf };
}

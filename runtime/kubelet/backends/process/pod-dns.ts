/**
 * A pod's /etc/resolv.conf from its dnsPolicy and dnsConfig, as the kubelet's GetPodDNS
 * (k/k pkg/kubelet/network/dns/dns.go: getPodDNSType, generateSearchesForDNSClusterFirst,
 * appendDNSConfig, mergeDNSOptions, formDNSConfigFitsLimits), and the warnings it records.
 */
import type { Pod } from '../../../../lib/api/model.ts';

/** What the node knows about DNS: the kubelet's --cluster-dns, --cluster-domain and --resolv-conf. */
export interface NodeDnsSettings {
  /** The cluster DNS server(s); empty when cluster DNS is off (pods fall back to the host's). */
  clusterDNS: string[];
  clusterDomain: string;
  /** The host's resolv.conf text. */
  hostResolvConf: string;
}

export interface PodDnsConfig {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export interface PodDnsWarning {
  reason: 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
}

/** validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars; 253 is a DNS name's longest. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;
const MAX_NAME_LENGTH = 253;
const DEFAULT_OPTIONS = ['ndots:5'];

/** The `nameserver`, `search`/`domain` and `options` lines of a resolv.conf (the last search/domain line wins, as glibc reads it). */
export function parseResolvConf(text: string): PodDnsConfig {
  const out: PodDnsConfig = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.nameservers.push(fields[0]);
    else if (key === 'search' || key === 'domain') out.searches = fields.filter((f) => f !== '.').map((f) => f.replace(/\.$/, ''));
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

export function podDnsConfig(pod: Pod, node: NodeDnsSettings): { config: PodDnsConfig; warnings: PodDnsWarning[] } {
  const warnings: PodDnsWarning[] = [];
  const host = parseResolvConf(node.hostResolvConf);
  let base: PodDnsConfig;
  const type = dnsTypeOf(pod);
  if (type === 'cluster' && node.clusterDNS.length === 0) {
    warnings.push({
      reason: 'MissingClusterDNS',
      message: 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
    });
  }
  if (type === 'none') base = { nameservers: [], searches: [], options: [] };
  else if (type === 'cluster' && node.clusterDNS.length > 0) {
    const ns = pod.metadata.namespace ?? 'default';
    const domain = node.clusterDomain;
    base = { nameservers: [...node.clusterDNS], searches: unique([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches]), options: [...DEFAULT_OPTIONS] };
  } else base = host;
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    base = {
      nameservers: unique([...base.nameservers, ...(extra.nameservers ?? [])]),
      searches: unique([...base.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(base.options, (extra.options ?? []).map((o) => (o.value !== undefined && o.value !== null ? `${o.name}:${o.value}` : (o.name ?? '')))),
    };
  }
  return { config: fitLimits(base, warnings), warnings };
}

/** resolv.conf lines in the order the container runtime writes them. */
export function formatResolvConf(c: PodDnsConfig): string {
  const lines: string[] = [];
  if (c.searches.length) lines.push(`search ${c.searches.join(' ')}`);
  for (const n of c.nameservers) lines.push(`nameserver ${n}`);
  if (c.options.length) lines.push(`options ${c.options.join(' ')}`);
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** getPodDNSType: ClusterFirst on the host network is Default; ClusterFirstWithHostNet is ClusterFirst. */
function dnsTypeOf(pod: Pod): 'cluster' | 'host' | 'none' {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'ClusterFirst':
      return pod.spec?.hostNetwork === true ? 'host' : 'cluster';
    default:
      return 'host';
  }
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** mergeDNSOptions: by name, the pod's value winning, in first-seen order. */
function mergeOptions(base: string[], pod: string[]): string[] {
  const byName = new Map<string, string>();
  for (const o of [...base, ...pod]) byName.set(o.split(':')[0]!, o);
  return [...byName.values()];
}

/** formDNSConfigFitsLimits and formDNSSearchFitsLimits, with their event messages. */
function fitLimits(c: PodDnsConfig, warnings: PodDnsWarning[]): PodDnsConfig {
  let nameservers = c.nameservers;
  if (nameservers.length > MAX_NAMESERVERS) {
    nameservers = nameservers.slice(0, MAX_NAMESERVERS);
    warnings.push({ reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${nameservers.join(' ')}` });
  }
  let searches = c.searches.filter((s) => s.length <= MAX_NAME_LENGTH);
  let limited = searches.length !== c.searches.length;
  if (searches.join(' ').length > MAX_SEARCH_CHARS) {
    limited = true;
    while (searches.length && searches.join(' ').length > MAX_SEARCH_CHARS) searches = searches.slice(0, -1);
  }
  if (searches.length > MAX_SEARCH_PATHS) {
    limited = true;
    searches = searches.slice(0, MAX_SEARCH_PATHS);
  }
  if (limited) warnings.push({ reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}` });
  return { nameservers, searches, options: c.options };
}

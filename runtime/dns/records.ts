/**
 * The cluster zone as CoreDNS's `kubernetes` plugin serves it (coredns plugin/kubernetes:
 * kubernetes.go Records/findServices/findPods, parse.go parseRequest, handler.go ServeDNS,
 * reverse.go, object/endpoint.go; plugin/backend_lookup.go SRV/SOA), built once from the
 * informers' Services, EndpointSlices and Namespaces and then only read: a change builds a new
 * one (ClusterZone is immutable, so a reader never sees half an update).
 *
 * Behaviour (runtime-semantics.md §17.2/17.3), with `pods insecure` and `fallthrough
 * in-addr.arpa ip6.arpa` as kubeadm's Corefile:
 *  - `<svc>.<ns>.svc.<zone>`: the cluster IP(s) even without endpoints; headless → the ready
 *    endpoint addresses (none → NXDOMAIN); ExternalName → CNAME (the server adds the target's
 *    upstream A/AAAA);
 *  - `<endpoint>.<svc>.<ns>.svc.<zone>`: the endpoint's hostname, else its dashed IP;
 *  - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV, and SRV on the bare service name for every port;
 *  - `a-b-c-d.<ns>.pod.<zone>`, `dns-version.<zone>` TXT, PTR for cluster and endpoint IPs;
 *  - NXDOMAIN vs NODATA as ServeDNS decides, the zone's SOA in the authority of both.
 */
import type { Answer, SrvAnswer, StringAnswer } from 'dns-packet';
import { isIP } from 'node:net';
import type { EndpointSlice, Namespace, Service } from '../../lib/api/model.ts';

/** `kubernetes.io/service-name` on an EndpointSlice. */
const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** What CoreDNS answers for `dns-version.<zone>` (the dns-spec version it implements). */
const DNS_SCHEMA_VERSION = '1.1.0';
const DNS_VERSION_TTL = 28800;

/** The plugin's default `ttl` (kubeadm's Corefile sets 30): nothing caches in front of this server, so changes show within 5 s in any client cache. */
export const DEFAULT_TTL = 5;

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';

export interface ZoneAnswer {
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** ExternalName: the CNAME target whose upstream A/AAAA records belong after the CNAME. */
  chase?: string;
}

/** Not ours: the server forwards it upstream (a name outside the zone, or an unknown reverse name). */
export const NOT_IN_ZONE = 'not-in-zone' as const;

export interface EndpointRecord {
  /** The endpoint name: its hostname, else the dashed IP (coredns object/endpoint.go, endpointHostname). */
  name: string;
  addresses: string[];
  ports: { name: string; port: number; protocol: string }[];
}

export interface ServiceRecord {
  name: string;
  namespace: string;
  headless: boolean;
  externalName?: string;
  clusterIPs: string[];
  ports: { name: string; port: number; protocol: string }[];
  /** Ready endpoints (EndpointSlice `ready` true or unset). */
  endpoints: EndpointRecord[];
}

export interface ZoneInput {
  zone: string;
  ttl?: number;
  services: readonly Service[];
  slices: readonly EndpointSlice[];
  namespaces: readonly Namespace[];
  /** SOA serial (CoreDNS: the time of the last change, in seconds). */
  serial: number;
  /** The zone this one replaces: the records of Services whose objects did not change are taken from it. */
  previous?: ClusterZone;
}

/** A zone from records already built (ZoneSource keeps them per informer event). */
export interface ZoneRecordsInput {
  zone: string;
  ttl?: number;
  namespaces: readonly Namespace[];
  serial: number;
  /** By `<svc>.<ns>`, lower-cased, in the Service informer's order (the reverse names' tie-break); the zone's own from then on. */
  records: Map<string, ServiceRecord>;
}

export class ClusterZone {
  readonly zone: string;
  readonly ttl: number;
  private readonly serial: number;
  private readonly namespaces: Set<string>;
  /** By `<svc>.<ns>`, lower-cased. */
  private readonly services: Map<string, ServiceRecord>;
  /** IP → PTR target (cluster IPs first; then endpoint names); built on the first reverse question. */
  private reverseMap: Map<string, string> | undefined;
  /** By `<svc>.<ns>`: the resourceVersions the record was built from (see versionOf). */
  private readonly versions = new Map<string, string>();

  constructor(input: ZoneInput | ZoneRecordsInput) {
    this.zone = input.zone.toLowerCase().replace(/\.$/, '');
    this.ttl = input.ttl ?? DEFAULT_TTL;
    this.serial = input.serial;
    this.namespaces = new Set(input.namespaces.map((n) => (n.metadata.name ?? '').toLowerCase()));
    if ('records' in input) {
      this.services = input.records;
      return;
    }
    this.services = new Map();
    const slicesByService = new Map<string, EndpointSlice[]>();
    for (const s of input.slices) {
      const key = sliceServiceKey(s);
      if (key === undefined) continue;
      const list = slicesByService.get(key);
      if (list) list.push(s);
      else slicesByService.set(key, [s]);
    }
    for (const svc of input.services) {
      const key = serviceKey(svc);
      const slices = slicesByService.get(key) ?? [];
      const version = versionOf(svc, slices);
      // A rollout changes a few Services' slices at a time: the others' records are kept.
      const kept = version !== undefined && input.previous?.versions.get(key) === version ? input.previous.services.get(key) : undefined;
      this.services.set(key, kept ?? serviceRecord(svc, slices));
      if (version !== undefined) this.versions.set(key, version);
    }
  }

  /** PTR targets, built when first asked: most zones are replaced before anyone asks one (a rollout rebuilds them ~10 times a second). */
  private get reverse(): Map<string, string> {
    if (this.reverseMap) return this.reverseMap;
    const reverse = new Map<string, string>();
    for (const rec of this.services.values()) {
      const fqdn = `${rec.name}.${rec.namespace}.svc.${this.zone}`;
      for (const ep of rec.endpoints) for (const ip of ep.addresses) if (!reverse.has(ip)) reverse.set(ip, `${ep.name}.${fqdn}`);
    }
    // A cluster IP names its Service even when an endpoint somewhere has the same address.
    for (const rec of this.services.values()) for (const ip of rec.clusterIPs) reverse.set(ip, `${rec.name}.${rec.namespace}.svc.${this.zone}`);
    this.reverseMap = reverse;
    return reverse;
  }

  /** The answer to one question; NOT_IN_ZONE for what the server forwards. `name` without a trailing dot. */
  answer(qname: string, qtype: string): ZoneAnswer | typeof NOT_IN_ZONE {
    const name = qname.toLowerCase().replace(/\.$/, '');
    if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return this.answerReverse(qname, name, qtype);
    if (name !== this.zone && !name.endsWith(`.${this.zone}`)) return NOT_IN_ZONE;
    const labels = name === this.zone ? [] : name.slice(0, -(this.zone.length + 1)).split('.');
    const found = this.lookup(labels);
    if (found === 'NXDOMAIN') return this.negative('NXDOMAIN');
    if (qtype === 'SOA' && labels.length === 0) return { rcode: 'NOERROR', answers: [this.soa()], authorities: [], additionals: [] };
    const answers = found.records.filter((r) => r.type === qtype || (qtype === 'ANY' && r.type !== 'SRV'));
    // A CNAME answers every address question (the client follows it).
    const cname = found.records.find((r) => r.type === 'CNAME');
    if (answers.length === 0 && cname && (qtype === 'A' || qtype === 'AAAA')) {
      return { rcode: 'NOERROR', answers: [{ ...cname, name: qname }], authorities: [], additionals: [], chase: (cname as StringAnswer).data };
    }
    if (answers.length === 0) return this.negative('NOERROR');
    const targets = new Set(answers.filter((a): a is SrvAnswer => a.type === 'SRV').map((a) => a.data.target));
    const additionals = found.extra.filter((r) => targets.has(r.name));
    return { rcode: 'NOERROR', answers: answers.map((a) => ({ ...a, name: qname })), authorities: [], additionals };
  }

  /** The records a name has (of every type), or NXDOMAIN. */
  private lookup(labels: string[]): { records: Answer[]; extra: Answer[] } | 'NXDOMAIN' {
    const none = { records: [], extra: [] };
    if (labels.length === 0) return none;
    if (labels.length === 1 && labels[0] === 'dns-version') {
      return { records: [{ type: 'TXT', name: '', ttl: DNS_VERSION_TTL, class: 'IN', data: DNS_SCHEMA_VERSION }], extra: [] };
    }
    const kind = labels[labels.length - 1];
    if (kind !== 'svc' && kind !== 'pod') return 'NXDOMAIN';
    const rest = labels.slice(0, -1);
    if (rest.length === 0) return none;
    const ns = rest[rest.length - 1]!;
    if (!this.namespaces.has(ns)) return 'NXDOMAIN';
    if (rest.length === 1) return none;
    if (kind === 'pod') return rest.length === 2 ? this.podRecords(rest[0]!) : 'NXDOMAIN';
    const svc = this.services.get(`${rest[rest.length - 2]}.${ns}`);
    if (!svc) return 'NXDOMAIN';
    // parse.go: 2 labels service.namespace, 3 endpoint.service.namespace, 4 _port._proto.service.namespace.
    if (rest.length === 2) return this.serviceRecords(svc, undefined, undefined);
    if (rest.length === 3) return this.endpointRecords(svc, rest[0]!);
    if (rest.length === 4 && rest[0]!.startsWith('_') && rest[1]!.startsWith('_')) return this.serviceRecords(svc, rest[0]!.slice(1), rest[1]!.slice(1));
    return 'NXDOMAIN';
  }

  private serviceRecords(svc: ServiceRecord, port: string | undefined, protocol: string | undefined): { records: Answer[]; extra: Answer[] } | 'NXDOMAIN' {
    const fqdn = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
    const ttl = this.ttl;
    if (svc.externalName !== undefined) {
      // ExternalName: no ports to match (kubernetes.go findServices: `_port` names are not found).
      if (port !== undefined) return 'NXDOMAIN';
      return { records: [{ type: 'CNAME', name: '', ttl, class: 'IN', data: svc.externalName }], extra: [] };
    }
    const matches = (p: { name: string; protocol: string }) => port === undefined || (p.name.toLowerCase() === port && p.protocol.toLowerCase() === protocol);
    if (!svc.headless) {
      const ports = svc.ports.filter(matches);
      if (port !== undefined && ports.length === 0) return 'NXDOMAIN';
      const addresses = svc.clusterIPs.map((ip) => addressRecord('', ip, ttl));
      const weight = srvWeight(ports.length);
      const srv: Answer[] = ports.map((p) => ({ type: 'SRV', name: '', ttl, class: 'IN', data: { priority: 0, weight, port: p.port, target: fqdn } }));
      return { records: [...addresses, ...srv], extra: svc.clusterIPs.map((ip) => addressRecord(fqdn, ip, ttl)) };
    }
    const pairs = svc.endpoints.flatMap((ep) => ep.ports.filter(matches).map((p) => ({ ep, p })));
    if (svc.endpoints.length === 0 || (port !== undefined && pairs.length === 0)) return 'NXDOMAIN';
    const weight = srvWeight(pairs.length);
    const srv: Answer[] = pairs.map(({ ep, p }) => ({ type: 'SRV', name: '', ttl, class: 'IN', data: { priority: 0, weight, port: p.port, target: `${ep.name}.${fqdn}` } }));
    const withPort = port === undefined ? svc.endpoints : [...new Set(pairs.map((x) => x.ep))];
    const addresses = withPort.flatMap((ep) => ep.addresses.map((ip) => addressRecord('', ip, ttl)));
    const extra = svc.endpoints.flatMap((ep) => ep.addresses.map((ip) => addressRecord(`${ep.name}.${fqdn}`, ip, ttl)));
    return { records: [...addresses, ...srv], extra };
  }

  private endpointRecords(svc: ServiceRecord, endpoint: string): { records: Answer[]; extra: Answer[] } | 'NXDOMAIN' {
    const eps = svc.endpoints.filter((ep) => ep.name.toLowerCase() === endpoint);
    if (eps.length === 0) return 'NXDOMAIN';
    return { records: eps.flatMap((ep) => ep.addresses.map((ip) => addressRecord('', ip, this.ttl))), extra: [] };
  }

  /** `pods insecure`: the dashed address as is (kubernetes.go findPods); IPv6 when it is not four dotted parts. */
  private podRecords(label: string): { records: Answer[]; extra: Answer[] } | 'NXDOMAIN' {
    const ip = dashedToIP(label);
    return ip ? { records: [addressRecord('', ip, this.ttl)], extra: [] } : 'NXDOMAIN';
  }

  private answerReverse(qname: string, name: string, qtype: string): ZoneAnswer | typeof NOT_IN_ZONE {
    const ip = name.endsWith('.in-addr.arpa') ? reverseToIPv4(name) : undefined;
    const target = ip ? this.reverse.get(ip) : undefined;
    // fallthrough in-addr.arpa ip6.arpa: an address we do not know is the upstream's.
    if (!target) return NOT_IN_ZONE;
    if (qtype !== 'PTR' && qtype !== 'ANY') return { rcode: 'NOERROR', answers: [], authorities: [], additionals: [] };
    return { rcode: 'NOERROR', answers: [{ type: 'PTR', name: qname, ttl: this.ttl, class: 'IN', data: target }], authorities: [], additionals: [] };
  }

  private negative(rcode: Rcode): ZoneAnswer {
    return { rcode, answers: [], authorities: [this.soa()], additionals: [] };
  }

  /** backend_lookup.go SOA: `ns.dns.<zone>. hostmaster.<zone>.` with the plugin's refresh/retry/expire, TTL min(ttl, 300). */
  private soa(): Answer {
    return {
      type: 'SOA',
      name: this.zone,
      ttl: Math.min(this.ttl, 300),
      class: 'IN',
      data: { mname: `ns.dns.${this.zone}`, rname: `hostmaster.${this.zone}`, serial: this.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: this.ttl },
    };
  }
}

/** A Service's key in the zone: `<svc>.<ns>`, lower-cased. */
export function serviceKey(svc: Service): string {
  return `${svc.metadata.name}.${svc.metadata.namespace}`.toLowerCase();
}

/** The key of the Service an EndpointSlice belongs to (its `kubernetes.io/service-name` label), if any. */
export function sliceServiceKey(s: EndpointSlice): string | undefined {
  const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc ? `${svc}.${s.metadata.namespace ?? ''}`.toLowerCase() : undefined;
}

/** The resourceVersions a Service's record depends on; undefined when some object has none (never reused). */
function versionOf(svc: Service, slices: EndpointSlice[]): string | undefined {
  const parts = [`${svc.metadata.uid}/${svc.metadata.resourceVersion}`];
  for (const s of slices) parts.push(`${s.metadata.name}/${s.metadata.resourceVersion}`);
  if (!svc.metadata.resourceVersion || slices.some((s) => !s.metadata.resourceVersion)) return undefined;
  return parts.sort().join(',');
}

/** A Service's records from the Service and its EndpointSlices (in the slice informer's order). */
export function serviceRecord(svc: Service, slices: readonly EndpointSlice[]): ServiceRecord {
  const spec = svc.spec ?? {};
  const clusterIPs = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter((ip) => ip && ip !== 'None');
  const base = {
    name: (svc.metadata.name ?? '').toLowerCase(),
    namespace: (svc.metadata.namespace ?? '').toLowerCase(),
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
  if (spec.type === 'ExternalName') return { ...base, headless: false, externalName: (spec.externalName ?? '').replace(/\.$/, ''), clusterIPs: [], endpoints: [] };
  const headless = clusterIPs.length === 0;
  const endpoints = new Map<string, EndpointRecord>();
  for (const slice of slices) {
    const ports = (slice.ports ?? []).filter((p) => p.port !== undefined && p.port !== null).map((p) => ({ name: p.name ?? '', port: p.port as number, protocol: p.protocol ?? 'TCP' }));
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      const address = ep.addresses[0];
      if (!address) continue;
      const name = ep.hostname || address.replace(/[.:]/g, '-');
      const seen = endpoints.get(`${name}|${address}`);
      if (seen) seen.ports.push(...ports.filter((p) => !seen.ports.some((q) => q.name === p.name && q.protocol === p.protocol)));
      else endpoints.set(`${name}|${address}`, { name, addresses: [address], ports: [...ports] });
    }
  }
  return { ...base, headless, clusterIPs, endpoints: [...endpoints.values()] };
}

function addressRecord(name: string, ip: string, ttl: number): Answer {
  return ip.includes(':') ? { type: 'AAAA', name, ttl, class: 'IN', data: ip } : { type: 'A', name, ttl, class: 'IN', data: ip };
}

/** backend_lookup.go SRV: every record of the answer shares 100 / N (at least 1). */
function srvWeight(n: number): number {
  return n === 0 ? 0 : Math.max(1, Math.floor(100 / n));
}

/** `10-244-1-5` → `10.244.1.5`; other shapes are IPv6 with `-` for `:` (kubernetes.go findPods); undefined when unparsable. */
export function dashedToIP(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return parts.map(Number).join('.');
  const v6 = label.replace(/-/g, ':');
  return isIP(v6) === 6 ? v6 : undefined;
}

/** `d.c.b.a.in-addr.arpa` → `a.b.c.d`. */
function reverseToIPv4(name: string): string | undefined {
  const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reverse().map(Number).join('.');
}

/**
 * Cluster DNS (issue 12): what CoreDNS with kubeadm's Corefile does, in the runtime. It watches
 * Services, EndpointSlices and Namespaces, rebuilds the zone when they change (one rebuild per
 * burst, swapped in whole, with only the changed Services' records rebuilt: zone-source.ts),
 * answers on the kube-dns VIP over UDP and TCP, forwards other names
 * to the host's resolvers, and keeps the `kube-system/kube-dns` Service.
 *
 * If the address cannot be bound (not root: port 53 is privileged) DNS is off: the kubelet
 * gives pods the host's resolv.conf with a MissingClusterDNS warning, and `kite status` says why.
 */
import { readFile } from 'node:fs/promises';
import type { Namespace } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import type { InformerFactory } from '../client/informer-factory.ts';
import type { Informer } from '../client/informer.ts';
import type { Component } from '../component.ts';
import type { NodeDnsSettings } from '../kubelet/backends/process/pod-dns.ts';
import { DEFAULT_CLUSTER_DOMAIN } from '../kubelet/backends/process/pod-files.ts';
import type { ClusterDnsStatus } from './describe.ts';
import { ensureKubeDnsService } from './kube-dns-service.ts';
import { ClusterZone } from './records.ts';
import { ZoneSource } from './zone-source.ts';
import { DnsResponder } from './responder.ts';
import { startDnsServer, type RunningDnsServer } from './server.ts';
import { hostNameServers, UdpUpstream, type NameServer, type Upstream } from './upstream.ts';

/** The zone lags the API by at most this much (plus one rebuild). */
const MIN_REBUILD_INTERVAL_MS = 100;
/** The interval is at least this many times the last rebuild's duration. */
const REBUILD_DUTY = 10;

export interface ClusterDnsOptions {
  informers: InformerFactory;
  /** Where the server listens: the kube-dns cluster IP (clusterDnsIP(runtime.network)). */
  address: string;
  /** Default 53; tests may use 0 (any free port) when they query the server directly. */
  port?: number;
  /** kubelet --cluster-domain (default cluster.local). */
  domain?: string;
  /** Where names outside the zone go (default: the nameservers of the host's /etc/resolv.conf). */
  upstream?: NameServer[];
  /** Record TTL in seconds (default 5, the plugin's default). */
  ttl?: number;
  /** The host's resolv.conf, for pods (default /etc/resolv.conf). */
  hostResolvConf?: string;
  now?: () => number;
}

export class ClusterDns implements Component {
  readonly name = 'cluster-dns';
  readonly domain: string;
  private readonly namespaces: Informer<'namespaces'>;
  private readonly upstream: Upstream;
  private readonly responder: DnsResponder;
  private server: RunningDnsServer | undefined;
  private zone: ClusterZone | undefined;
  /** The Services' records, kept per event (only changed Services are rebuilt). */
  private readonly source = new ZoneSource();
  private problem: string | undefined;
  private started = false;
  private rebuildScheduled: NodeJS.Timeout | undefined;
  private lastRebuildMs = -Infinity;
  /** How long the last rebuild took (ms, wall clock of this process). */
  private rebuildTookMs = 0;
  private readonly now: () => number;

  constructor(
    private readonly client: ApiClient,
    private readonly o: ClusterDnsOptions,
  ) {
    this.domain = (o.domain ?? DEFAULT_CLUSTER_DOMAIN).toLowerCase().replace(/\.$/, '');
    this.now = o.now ?? Date.now;
    this.upstream = new UdpUpstream(o.upstream ?? hostNameServers([o.address]));
    this.responder = new DnsResponder(this.upstream, this.domain);
    const source = this.source;
    const changed = { add: () => this.scheduleRebuild(), update: () => this.scheduleRebuild(), delete: () => this.scheduleRebuild() };
    o.informers.on('services', {
      add: (svc) => (source.serviceAdded(svc), this.scheduleRebuild()),
      update: (svc) => (source.serviceUpdated(svc), this.scheduleRebuild()),
      delete: (svc) => (source.serviceDeleted(svc), this.scheduleRebuild()),
    });
    o.informers.on('endpointslices', {
      add: (s) => (source.sliceAdded(s), this.scheduleRebuild()),
      update: (s, old) => (source.sliceUpdated(s, old), this.scheduleRebuild()),
      delete: (s) => (source.sliceDeleted(s), this.scheduleRebuild()),
    });
    this.namespaces = o.informers.on('namespaces', changed);
  }

  async start(): Promise<void> {
    try {
      this.server = await startDnsServer({ address: this.o.address, ...(this.o.port !== undefined ? { port: this.o.port } : {}), responder: this.responder });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      this.problem =
        err.code === 'EACCES'
          ? `binding ${this.o.address}:${this.o.port ?? 53} needs root (port 53 is privileged)`
          : `cannot listen on ${this.o.address}:${this.o.port ?? 53}: ${err.code ?? err.message}`;
      console.error(`cluster DNS: ${this.problem}`);
    }
    this.started = true;
    // The informers have listed (they start first): the zone is whole from the first answer.
    this.rebuild();
    const problem = await ensureKubeDnsService(this.client, this.o.address);
    if (problem) {
      console.error(`cluster DNS: ${problem}`);
      this.problem ??= problem;
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.rebuildScheduled);
    this.upstream.close();
    await this.server?.close();
    this.server = undefined;
  }

  status(): ClusterDnsStatus {
    return {
      domain: this.domain,
      ...(this.server ? { listening: `${this.server.address}:${this.server.port}` } : {}),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /** The kubelet's DNS settings: the cluster DNS server only while it serves. */
  async nodeDnsSettings(): Promise<NodeDnsSettings> {
    const hostResolvConf = await readFile(this.o.hostResolvConf ?? '/etc/resolv.conf', 'utf8').catch(() => '');
    return { clusterDNS: this.server ? [this.o.address] : [], clusterDomain: this.domain, hostResolvConf };
  }

  /** The port both sockets listen on (undefined while off). */
  get port(): number | undefined {
    return this.server?.port;
  }

  private scheduleRebuild(): void {
    if (!this.started || this.rebuildScheduled) return;
    // One rebuild per burst of events, and at most one per MIN_REBUILD_INTERVAL_MS: scaling a
    // ReplicaSet to thousands of pods updates its slices hundreds of times a second.
    // A zone that takes long to build (thousands of Services) waits longer: rebuilding takes at most ~1/REBUILD_DUTY of a core.
    const wait = Math.max(0, this.lastRebuildMs + Math.max(MIN_REBUILD_INTERVAL_MS, this.rebuildTookMs * REBUILD_DUTY) - this.now());
    this.rebuildScheduled = setTimeout(() => {
      this.rebuildScheduled = undefined;
      if (this.started) this.rebuild();
    }, wait);
    this.rebuildScheduled.unref();
  }

  private rebuild(): void {
    this.lastRebuildMs = this.now();
    const t0 = performance.now();
    this.zone = new ClusterZone({
      zone: this.domain,
      ...(this.o.ttl !== undefined ? { ttl: this.o.ttl } : {}),
      records: this.source.snapshot(),
      namespaces: this.namespaces.list() as Namespace[],
      serial: Math.floor(this.now() / 1000),
    });
    this.responder.setZone(this.zone);
    this.rebuildTookMs = performance.now() - t0;
  }
}

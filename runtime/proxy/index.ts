/**
 * The service proxy (what kube-proxy is to a node, for the whole local runtime): watches
 * Services and EndpointSlices, keeps the service table per change (table-source.ts) and hands it to the
 * data plane — userspace sockets by default, nftables DNAT rules when asked for and possible.
 * Failed listeners become a Warning Event and the `kite.dev/PortsBound` condition on the
 * Service. Status writes go through the API after the data plane is programmed, so forwarding
 * never waits for the API server.
 */
import { SERVICE_PORT_UNAVAILABLE, SERVICE_PORTS_BOUND, type Service } from '../../lib/api/model.ts';
import { formatTime } from '../../lib/api/time.ts';
import type { ApiClient } from '../client/client.ts';
import { EventRecorder } from '../client/events.ts';
import type { InformerFactory } from '../client/informer-factory.ts';
import type { Informer } from '../client/informer.ts';
import type { Component } from '../component.ts';
import type { RuntimeNetwork } from '../network.ts';
import type { DataPlane, ProxyMode } from './data-plane.ts';
import { chooseNftables, removeStaleTablesIfAny } from './nftables/detect.ts';
import { NftablesDataPlane } from './nftables/data-plane.ts';
import { nextConditions } from './ports-bound.ts';
import { ServiceTableSource } from './table-source.ts';
import { UserspaceDataPlane, type UserspaceOptions } from './userspace.ts';

/** The shortest time between two rebuilds of the service table (kube-proxy's default minSyncPeriod is 1 s). */
export const MIN_SYNC_INTERVAL_MS = 100;
/** The interval is at least this many times the last rebuild's duration. */
const REBUILD_DUTY = 10;

export interface ServiceProxyOptions extends UserspaceOptions {
  informers: InformerFactory;
  network: RuntimeNetwork;
  /** `userspace` (default) or `nftables` (falls back to userspace, with the reason, where it cannot run). */
  mode?: ProxyMode;
}

export class ServiceProxy implements Component {
  readonly name = 'service-proxy';
  private readonly services: Informer<'services'>;
  /** The table, kept per informer event (only changed Services' entries are rebuilt). */
  private readonly source: ServiceTableSource;
  private readonly events: EventRecorder;
  private plane: DataPlane | undefined;
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;
  /** When the last table build began (performance.now()). */
  private lastBuildAt = -Infinity;
  /** How long the last build and programming took (ms). */
  private lastBuildMs = 0;
  private syncing: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** The failures last reported per Service, so an Event is recorded once per new failure. */
  private reported = new Map<string, string>();
  /** The mode in use, and why (set by start). */
  mode: ProxyMode = 'userspace';
  modeReason = 'the default';
  /** How long the last table took from a change to programmed (ms); for the bench. */
  lastSyncMs = 0;
  /** How many tables were built; for the tests. */
  builds = 0;
  private changedAt = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly o: ServiceProxyOptions,
  ) {
    this.events = new EventRecorder(client, 'kube-proxy');
    const source = (this.source = new ServiceTableSource({ nodePortAddress: o.network.nodePortAddress }));
    this.services = o.informers.on('services', {
      add: (svc) => (source.serviceChanged(svc), this.schedule()),
      update: (svc) => (source.serviceChanged(svc), this.schedule()),
      delete: (svc) => (source.serviceDeleted(svc), this.schedule()),
    });
    o.informers.on('endpointslices', {
      add: (s) => (source.sliceChanged(s), this.schedule()),
      update: (s, old) => (source.sliceChanged(s, old), this.schedule()),
      delete: (s) => (source.sliceDeleted(s), this.schedule()),
    });
  }

  async start(): Promise<void> {
    if (this.o.mode === 'nftables') {
      const choice = await chooseNftables(this.o.network);
      if (choice.ok) {
        this.plane = new NftablesDataPlane(this.o.network, choice.nft);
        this.mode = 'nftables';
        this.modeReason = 'requested with --proxy-mode nftables; root and nft present';
      } else this.modeReason = `nftables requested but unavailable: ${choice.reason}; using userspace`;
    }
    if (!this.plane) {
      await removeStaleTablesIfAny(this.o.network);
      this.plane = new UserspaceDataPlane(this.o);
      if (this.o.mode === 'userspace') this.modeReason = 'requested with --proxy-mode userspace';
    }
    this.plane.onFailuresChanged = () => void this.reportFailures();
    await this.sync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearImmediate(this.scheduled as NodeJS.Immediate);
    clearTimeout(this.scheduled as NodeJS.Timeout);
    this.scheduled = undefined;
    await this.syncing;
    await this.plane?.stop();
  }

  /**
   * Coalesces a burst of informer events into one rebuild, and rebuilds at most once per
   * MIN_SYNC_INTERVAL_MS (kube-proxy's minSyncPeriod, pkg/util/async/bounded_frequency_runner.go):
   * each rebuild hands the data plane the whole table, so applying thousands of Services one event
   * after another would otherwise program it thousands of times. A change after a quiet spell is programmed at once.
   */
  private schedule(): void {
    if (this.scheduled || !this.plane || this.stopped) return;
    if (!this.changedAt) this.changedAt = performance.now();
    const go = () => {
      this.scheduled = undefined;
      void this.sync();
    };
    // A table that takes long to build (thousands of Services) waits longer: rebuilding takes at most ~1/REBUILD_DUTY of a core.
    const wait = this.lastBuildAt + Math.max(MIN_SYNC_INTERVAL_MS, this.lastBuildMs * REBUILD_DUTY) - performance.now();
    if (wait <= 0) this.scheduled = setImmediate(go);
    else {
      this.scheduled = setTimeout(go, wait);
      this.scheduled.unref();
    }
  }

  private async sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    const run = async () => {
      do {
        this.again = false;
        if (this.stopped || !this.plane) return;
        const started = this.changedAt || performance.now();
        this.changedAt = 0;
        this.lastBuildAt = performance.now();
        this.builds++;
        const table = this.source.table();
        const applied = this.plane.apply(table);
        // The duty cycle bounds this process's CPU: the build and the plane's synchronous part, not
        // the wait on an `nft` child (~30 ms), which would hold every change after it back ~300 ms.
        this.lastBuildMs = performance.now() - this.lastBuildAt;
        await applied;
        this.lastSyncMs = performance.now() - started;
        await this.reportFailures();
      } while (this.again);
    };
    this.syncing = run().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Events for new failures; the condition of every Service whose failures changed. */
  private async reportFailures(): Promise<void> {
    if (!this.plane || this.stopped) return;
    const failures = this.plane.failures();
    const now = formatTime(this.client.now());
    const keys = new Set([...failures.keys(), ...this.reported.keys()]);
    // A condition left False by an earlier run, now bound.
    for (const svc of this.services.list()) if (svc.status?.conditions?.some((c) => c.type === SERVICE_PORTS_BOUND && c.status === 'False')) keys.add(`${svc.metadata.namespace}/${svc.metadata.name}`);
    for (const key of keys) {
      const svc = this.services.get(key);
      const msgs = failures.get(key) ?? [];
      const summary = msgs.join('; ');
      if (!svc) {
        this.reported.delete(key);
        continue;
      }
      if (summary && this.reported.get(key) !== summary) {
        const fresh = msgs.filter((m) => !(this.reported.get(key) ?? '').includes(m));
        for (const m of fresh) this.events.warning(svc, SERVICE_PORT_UNAVAILABLE, m);
      }
      if (summary) this.reported.set(key, summary);
      else this.reported.delete(key);
      await this.writeCondition(svc, msgs, now);
    }
  }

  private async writeCondition(svc: Service, failures: string[], now: string): Promise<void> {
    const conditions = nextConditions(svc, failures, now);
    if (!conditions) return;
    try {
      await this.client.updateStatus('services', { ...svc, status: { ...svc.status, conditions } });
    } catch {
      // A conflict or a deleted Service: the informer's next event brings another sync.
    }
  }
}

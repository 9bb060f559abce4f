/**
 * The process backend (issue 11): each container of a pod bound to this node runs as a local
 * process — its image resolved through the image catalog, in the pod's sandbox, with its
 * environment, limits, logs, hooks and probes — one PodRuntime per pod (./pod-runtime.ts).
 * Everything it runs is recorded in the node's directory of the state dir, so a runtime killed
 * with -9 ends what it left behind when it starts again (./process-registry.ts).
 *
 * Layout of `root` (the node's directory): `pods/` the sandboxes, `logs/` the container logs,
 * `processes/` the records of running processes, `cgroups/` what limits.ts keeps.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { ConfigMap, Pod, Secret } from '../../../../lib/api/model.ts';
import { StreamRefused, type ContainerLogOptions, type ExecStreams, type KubeletBackend, type KubeletHost, type PodSyncContext } from '../../backend.ts';
import type { PodContainerStatuses } from '../../status.ts';
import { Backoff } from './backoff.ts';
import { dialError } from './go-net-errors.ts';
import { spawnContainerProcess, type SpawnProcess } from './container-process.ts';
import type { HostFeatures } from './host-features.ts';
import type { ImageCatalog } from './images.ts';
import type { NodeDnsSettings } from './pod-dns.ts';
import { removeStaleCgroups } from './limits.ts';
import { openContainerLogStore } from './logs.ts';
import { PodRuntime, type NodeRuntime } from './pod-runtime.ts';
import { ProcessRegistry } from './process-registry.ts';
import type { ProberTimers } from './prober.ts';

export interface ProcessBackendOptions {
  /** The node's own directory in the state dir. */
  root: string;
  catalog: ImageCatalog;
  features: HostFeatures;
  /** CrashLoopBackOff / ImagePullBackOff: the first wait (Kubernetes: 10 s) and the longest (300 s, default 30 × the first). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How often ConfigMap and Secret volumes are brought up to date (default 2 s; the kubelet: its 1 min sync plus a cache TTL). */
  volumeRefreshMs?: number;
  /** How long the node going down gives processes between SIGTERM and SIGKILL (default 2 s). */
  stopGraceMs?: number;
  /** The node's DNS settings for pods' resolv.conf (default: the host's resolv.conf). */
  dns?: () => Promise<NodeDnsSettings>;
  now?: () => number;
  spawn?: SpawnProcess;
  timers?: ProberTimers;
}

/** Kubernetes' back-off: 10 s doubling to 5 min (kubelet backOffPeriod, MaxContainerBackOff). */
export const DEFAULT_BACKOFF_INITIAL_MS = 10_000;

export class ProcessBackend implements KubeletBackend {
  private readonly pods = new Map<string, PodRuntime>();
  private readonly node: NodeRuntime;
  private readonly stopGraceMs: number;
  /** Between start() and stop(): the node is up and its pods may run. */
  private up = false;
  private readonly volumeRefreshMs: number;
  private volumeRefresh: NodeJS.Timeout | undefined;

  constructor(host: KubeletHost, o: ProcessBackendOptions) {
    const now = o.now ?? Date.now;
    const initialMs = o.backoffInitialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    const maxMs = o.backoffMaxMs ?? 30 * initialMs;
    this.stopGraceMs = o.stopGraceMs ?? 2000;
    this.volumeRefreshMs = o.volumeRefreshMs ?? 2000;
    this.node = {
      host,
      catalog: o.catalog,
      features: o.features,
      logs: openContainerLogStore(join(o.root, 'logs')),
      registry: new ProcessRegistry(join(o.root, 'processes')),
      crashBackoff: new Backoff({ initialMs, maxMs, now }),
      pullBackoff: new Backoff({ initialMs, maxMs, now }),
      sandboxRoot: join(o.root, 'pods'),
      limitsRoot: join(o.root, 'cgroups'),
      spawn: o.spawn ?? spawnContainerProcess,
      now,
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.dns ? { dns: o.dns } : {}),
      sources: {
        // ConfigMaps and Secrets are not in lib/api's typed resource map (yet): their kinds' types here.
        configMap: (namespace, name) => host.client.get('configmaps', namespace, name) as ConfigMap | undefined,
        secret: (namespace, name) => host.client.get('secrets', namespace, name) as Secret | undefined,
        services: (namespace) => host.client.list('services', namespace).items,
        mappedDirectory: (volume) => o.catalog.volumeDirectory(volume),
      },
    };
  }

  /** Ends whatever a previous run of this node left running (a runtime killed with -9) before any pod is synced. */
  async start(): Promise<void> {
    await this.node.registry.endLeftovers();
    await removeStaleCgroups(this.node.limitsRoot);
    this.up = true;
    // Pods are synced when they change, not when what their volumes project does: a timer
    // catches ConfigMap and Secret updates, one refresh at a time.
    let refreshing = false;
    this.volumeRefresh = setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      void Promise.all([...this.pods.values()].map((p) => p.refreshVolumes().catch(() => {}))).finally(() => (refreshing = false));
    }, this.volumeRefreshMs);
    this.volumeRefresh.unref();
  }

  /** The node goes down: every process ends (SIGTERM, SIGKILL after stopGraceMs), no hooks. */
  async stop(): Promise<void> {
    this.up = false;
    clearInterval(this.volumeRefresh);
    const pods = [...this.pods.values()];
    this.pods.clear();
    await Promise.all(pods.map((p) => p.stop(this.stopGraceMs / 1000, false)));
  }

  async syncPod(pod: Pod, ctx: PodSyncContext): Promise<PodContainerStatuses> {
    const uid = pod.metadata.uid ?? '';
    let runtime = this.pods.get(uid);
    if (!runtime) {
      runtime = new PodRuntime(pod, this.node);
      // A sync that raced the node going down reports the pod without starting anything.
      if (this.up) this.pods.set(uid, runtime);
      else await runtime.stop(0, false);
    }
    const statuses = await runtime.sync(pod, ctx);
    if (!this.up && this.pods.get(uid) === runtime) {
      // The node went down during this sync: what it started stops with the rest.
      this.pods.delete(uid);
      await runtime.stop(this.stopGraceMs / 1000, false);
    }
    return statuses;
  }

  async killPod(pod: Pod, gracePeriodSeconds: number): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const runtime = this.pods.get(uid);
    if (runtime) await runtime.kill(gracePeriodSeconds);
    else {
      // Synced by a runtime before this one (its processes were ended at start): what is left is on disk.
      const m = pod.metadata;
      await Promise.all([rm(join(this.node.sandboxRoot, `${m.namespace}_${m.name}_${uid}`), { recursive: true, force: true }), this.node.logs.removePod(pod)]);
    }
    this.pods.delete(uid);
    this.node.crashBackoff.forget(`${uid}/`);
    this.node.pullBackoff.forget(`${uid}/`);
  }

  async logs(pod: Pod, opts: ContainerLogOptions): Promise<Readable> {
    const container = this.containerOf(pod, opts.container);
    const runtime = this.pods.get(pod.metadata.uid ?? '');
    let run: number;
    if (runtime) run = runtime.logRun(container, opts);
    else {
      // Logs of a pod this runtime has not synced yet (just restarted): as its status counts them.
      const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
      run = status?.restartCount ?? 0;
    }
    return this.node.logs.read(pod, container, run, opts);
  }

  async exec(pod: Pod, container: string, command: string[], streams: ExecStreams): Promise<{ exitCode: number }> {
    const runtime = this.pods.get(pod.metadata.uid ?? '');
    const name = this.containerOf(pod, container);
    if (!runtime) throw new StreamRefused(`container ${name} is not running`);
    return runtime.exec(name, command, streams);
  }

  /** The pod's processes share the host's network: its port is reached at the pod's own loopback IP. */
  async portForward(pod: Pod, port: number): Promise<Duplex> {
    const podIP = pod.status?.podIP;
    if (!this.pods.has(pod.metadata.uid ?? '') || !podIP) throw new StreamRefused(`pod not found ("${pod.metadata.name}_${pod.metadata.namespace}")`);
    return new Promise((resolve, reject) => {
      const conn = connect({ host: podIP, port });
      const failed = (e: NodeJS.ErrnoException) => reject(new Error(dialError(podIP, port, e)));
      conn.once('error', failed);
      conn.once('connect', () => {
        conn.off('error', failed);
        resolve(conn);
      });
    });
  }

  /** The container a stream names (the pod's only one when unnamed), as the API server checks it. */
  private containerOf(pod: Pod, name: string | undefined): string {
    const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
    const chosen = name ?? pod.spec.containers[0]?.name ?? '';
    if (!all.some((c) => c.name === chosen)) throw new StreamRefused(`container ${chosen} is not valid for pod ${pod.metadata.name}`);
    return chosen;
  }
}

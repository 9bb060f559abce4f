/**
 * The kubelet core: what every kubelet does whatever runs its pods. It registers the Node and
 * keeps it alive (./node.ts), watches the pods bound to it (./pod-source.ts), gives each pod an
 * IP from the node's range (./ipam.ts), and runs one worker per pod — a work queue keyed by
 * pod, so a pod is never synced twice at once and a burst of its events costs one sync. A sync
 * asks the backend (./backend.ts) to bring the pod's containers to its spec, builds the pod
 * status from what the backend reports (./status.ts) and posts it when it changed; a pod being
 * deleted is killed by the backend, then deleted with grace 0.
 *
 * `kite node stop NAME` annotates the Node `kite.dev/stopped: "true"`: the kubelet then stops
 * its backend, heartbeats and pod syncs (as a crashed machine), so the node lifecycle
 * controller marks the node NotReady and later evicts its pods; removing the annotation brings
 * it back.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import type { Node, Pod } from '../../lib/api/model.ts';
import { formatTime } from '../../lib/api/time.ts';
import type { ApiClient } from '../client/client.ts';
import { hasStatusCode } from '../client/errors.ts';
import type { EventRecorder } from '../client/events.ts';
import { Informer, keyOf } from '../client/informer.ts';
import { WorkQueue } from '../client/workqueue.ts';
import type { Component } from '../component.ts';
import type { KubeletBackend, KubeletBackendFactory } from './backend.ts';
import { defaultPodCIDR, PodIPAllocator } from './ipam.ts';
import { NODE_HOST_IP, NodeHeartbeat, STOPPED_ANNOTATION, type HeartbeatOptions, type NodeIdentity } from './node.ts';
import type { ObjectView } from './pod-source.ts';
import { startKubeletServer, type RunningKubeletServer } from './server.ts';
import { buildPodStatus } from './status.ts';

export interface KubeletOptions extends NodeIdentity, HeartbeatOptions {
  /** What runs the pods. */
  backend: KubeletBackendFactory;
  /** Where the node's pods come from; default: its own watch with fieldSelector `spec.nodeName=<name>`. */
  podSource?: ObjectView<Pod>;
  /** Where the node's own Node object comes from; default: a watch with fieldSelector `metadata.name=<name>`. */
  nodeSource?: ObjectView<Node>;
  /** Record the Pulled / Created / Started events for each started container (default true). */
  recordEvents?: boolean;
  /** The token the API server presents to the kubelet server; without it the node serves no logs or exec (port 10250 is reported). */
  serverToken?: string;
}

export class Kubelet implements Component {
  readonly name: string;
  readonly ipam: PodIPAllocator;
  private readonly heartbeat: NodeHeartbeat;
  private readonly pods: ObjectView<Pod>;
  private readonly self: ObjectView<Node>;
  private readonly recorder: EventRecorder;
  private readonly backend: KubeletBackend;
  /** One worker per pod: syncs are serialized per pod key. */
  private readonly workers: WorkQueue;
  /** Pods that vanished (deleted with grace 0), until their worker has had the backend kill them. */
  private readonly vanished = new Map<string, Pod>();
  /**
   * Per pod, the resourceVersion its last sync left it at: an event for that version is our own
   * status write coming back, with nothing to do unless the backend reported a change.
   */
  private readonly settled = new Map<string, string>();
  /** Pods the backend reported changed since their last sync. */
  private readonly changed = new Set<string>();
  private running = false;
  private stopped = false;
  private stoppedByAnnotation = false;
  private readonly serverToken: string | undefined;
  private server: Promise<RunningKubeletServer | undefined> = Promise.resolve(undefined);
  /** Counters for tests and benchmarks. */
  readonly stats = { started: 0, deleted: 0, statusWrites: 0 };

  constructor(
    private readonly client: ApiClient,
    opts: KubeletOptions,
  ) {
    this.name = opts.name;
    this.serverToken = opts.serverToken;
    const podCIDR = opts.podCIDR ?? defaultPodCIDR(nodeIndex(opts.name));
    this.ipam = new PodIPAllocator(podCIDR);
    this.heartbeat = new NodeHeartbeat(client, { ...opts, podCIDR }, opts);
    this.recorder = this.heartbeat.recorder;
    this.workers = new WorkQueue(`kubelet ${opts.name}`, (key) => this.syncPod(key), {
      workers: Infinity,
      onError: (_, key, e) => {
        if (!this.stopped) console.error(`kubelet ${this.name}: pod ${key}:`, e);
      },
    });
    this.backend = opts.backend({
      nodeName: opts.name,
      client,
      recorder: this.recorder,
      recordContainerEvents: opts.recordEvents !== false,
      podChanged: (key) => {
        this.changed.add(key);
        this.enqueue(key);
      },
    });
    this.pods = opts.podSource ?? new Informer(client, 'pods', { fieldSelector: `spec.nodeName=${opts.name}` });
    this.pods.on({
      add: (p) => this.enqueue(keyOf(p)),
      update: (p) => this.enqueue(keyOf(p)),
      delete: (p) => this.onPodGone(p),
    });
    this.self = opts.nodeSource ?? new Informer(client, 'nodes', { fieldSelector: `metadata.name=${opts.name}` });
    this.self.on({
      add: (n) => this.onNode(n),
      update: (n) => this.onNode(n),
    });
  }

  /** Whether the node is stopped (`kite.dev/stopped`): no heartbeats, pods left alone. */
  get isStopped(): boolean {
    return this.stoppedByAnnotation;
  }

  /** Resolves once the heartbeat writes queued so far are done. */
  heartbeatIdle(): Promise<void> {
    return this.heartbeat.idle();
  }

  async start(): Promise<void> {
    if (this.running) return;
    // A node stopped before a restart stays stopped: no registration, no heartbeat.
    const existing = this.client.get('nodes', undefined, this.name);
    this.stoppedByAnnotation = existing?.metadata.annotations?.[STOPPED_ANNOTATION] === 'true';
    if (this.stoppedByAnnotation) this.heartbeat.pause();
    else await this.startServer();
    await this.heartbeat.start();
    if (!this.stoppedByAnnotation) await this.backend.start();
    // Handlers stay quiet until `running`: pods that were running before a restart reserve
    // their addresses first, then every pod is looked at once.
    this.self.start();
    this.pods.start();
    for (const p of this.pods.list()) if (p.status?.podIP) this.ipam.reserve(p.status.podIP, p.metadata.uid ?? '');
    this.running = true;
    this.workers.start();
    const node = this.self.get(this.name);
    if (node) this.onNode(node);
    this.resync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    this.self.stop();
    this.pods.stop();
    await this.heartbeat.stop();
    await this.workers.stop();
    await this.stopServer();
    await this.backend.stop();
  }

  /** Resolves when no pod sync is queued or in flight. */
  idle(): Promise<void> {
    return this.workers.idle();
  }

  /** The kubelet server (logs, exec) on loopback, its port published in the node status. */
  private async startServer(): Promise<void> {
    if (!this.serverToken) return;
    const token = this.serverToken;
    const previous = this.heartbeat.id.kubeletPort;
    this.server = this.server.then(
      (running) =>
        running ??
        startKubeletServer({ pod: (ns, name) => this.pods.get(`${ns}/${name}`), backend: this.backend, nodeName: this.name, token, ...(previous ? { port: previous } : {}) }),
    );
    const running = await this.server;
    if (running) this.heartbeat.id.kubeletPort = running.port;
  }

  private async stopServer(): Promise<void> {
    const closing = this.server.then((running) => running?.close());
    this.server = closing.then(() => undefined);
    await closing;
  }

  private active(): boolean {
    return this.running && !this.stopped && !this.stoppedByAnnotation;
  }

  private enqueue(key: string): void {
    if (this.active()) this.workers.add(key);
  }

  private onNode(node: Node): void {
    if (!this.running) return;
    const stopped = node.metadata.annotations?.[STOPPED_ANNOTATION] === 'true';
    if (stopped !== this.stoppedByAnnotation) {
      this.stoppedByAnnotation = stopped;
      if (stopped) {
        this.heartbeat.pause();
        void this.stopServer();
        void this.backend.stop().catch((e) => console.error(`kubelet ${this.name}: stopping:`, e));
      } else {
        this.heartbeat.resume();
        // Usually on its old port again; a new one is posted at once.
        void this.startServer().then(() => this.heartbeat.syncStatus(true));
        void this.backend
          .start()
          .then(() => this.resync())
          .catch((e) => console.error(`kubelet ${this.name}: starting:`, e));
      }
      return;
    }
    // The node lifecycle controller marked us NotReady while we were fine: say otherwise now.
    if (!stopped) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready && ready.status !== 'True') this.heartbeat.syncStatus();
    }
  }

  /** Every pod synced again, whatever it was left at (back from a stop, the backend restarted). */
  private resync(): void {
    if (!this.active()) return;
    this.settled.clear();
    for (const p of this.pods.list()) this.workers.add(keyOf(p));
  }

  private onPodGone(pod: Pod): void {
    if (!this.running) {
      this.ipam.release(pod.metadata.uid ?? '');
      return;
    }
    this.settled.delete(keyOf(pod));
    this.vanished.set(keyOf(pod), pod);
    this.workers.add(keyOf(pod));
  }

  /** The pod worker: one sync of one pod, from its latest version. */
  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.get(key);
    const gone = this.vanished.get(key);
    if (gone && gone.metadata.uid !== pod?.metadata.uid) {
      this.vanished.delete(key);
      await this.backend.killPod(gone, 0);
      this.ipam.release(gone.metadata.uid ?? '');
    }
    if (!pod || !this.active() || pod.spec.nodeName !== this.name) return;
    if (pod.metadata.deletionTimestamp) return this.finish(pod);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    if (!this.changed.delete(key) && this.settled.get(key) === pod.metadata.resourceVersion) return;
    await this.run(pod);
  }

  /** Brings the pod's containers to its spec and posts the status if it changed (retrying on conflicts with the latest version). */
  private async run(pod: Pod): Promise<void> {
    let cur: Pod | undefined = pod;
    for (let attempt = 0; attempt < 5 && cur; attempt++) {
      if (!this.active() || cur.metadata.deletionTimestamp) return;
      const uid = cur.metadata.uid ?? '';
      const podIP = (cur.status?.podIP && this.ipam.reserve(cur.status.podIP, uid) ? cur.status.podIP : undefined) ?? this.ipam.allocate(uid);
      if (!podIP) {
        this.recorder.warning(cur, 'FailedCreatePodSandBox', `Failed to create pod sandbox: no IP addresses available in range set: ${this.ipam.cidr}`);
        return;
      }
      const now = this.client.now();
      const where = { podIP, hostIP: NODE_HOST_IP };
      const observed = await this.backend.syncPod(cur, { ...where, startTime: cur.status?.startTime ?? formatTime(now) });
      const status = buildPodStatus(cur, observed, where, now);
      if (jsonEqual(status, cur.status)) {
        this.settled.set(keyOf(cur), cur.metadata.resourceVersion ?? '');
        return;
      }
      const fresh = !cur.status?.containerStatuses;
      try {
        const written = await this.client.updateStatus('pods', { ...cur, status });
        this.settled.set(keyOf(written), written.metadata.resourceVersion ?? '');
        this.stats.statusWrites++;
        if (fresh) this.stats.started++;
        return;
      } catch (e) {
        if (hasStatusCode(e, 409)) {
          cur = this.client.get('pods', cur.metadata.namespace, cur.metadata.name ?? '');
          if (cur && cur.metadata.uid !== uid) return;
          continue;
        }
        if (hasStatusCode(e, 404)) {
          this.ipam.release(uid);
          return;
        }
        throw e;
      }
    }
  }

  /** Finishes a graceful deletion: the backend stops the containers, then the pod goes. */
  private async finish(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    try {
      await this.backend.killPod(pod, pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
      await this.client.delete('pods', pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
      this.stats.deleted++;
    } catch (e) {
      if (!hasStatusCode(e, 404, 409)) throw e;
    } finally {
      this.ipam.release(uid);
    }
  }
}

/** `kite-node-7` → 7 (the default pod CIDR's index); other names hash into 1..9999. */
export function nodeIndex(name: string): number {
  const m = /-(\d+)$/.exec(name);
  if (m && Number(m[1]) > 0 && Number(m[1]) < 55 * 256) return Number(m[1]);
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return 1 + (h % 9999);
}

/**
 * Simulated nodes, KWOK-style: a kubelet that runs nothing. A pod bound to the node is reported
 * Running and Ready at once (containers "running", an IP from the node's pod CIDR); a pod being
 * deleted is finished right away (DELETE with gracePeriodSeconds 0) and its IP released. The
 * node registers itself, renews its Lease and posts its status like any kubelet (./node.ts).
 *
 * `kite node stop NAME` annotates the Node `kite.dev/stopped: "true"`: the simulated kubelet
 * then stops heartbeating and stops acting on pods (as a crashed kubelet), so the node lifecycle
 * controller marks the node NotReady and later evicts its pods; removing the annotation brings
 * it back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseImageReference } from '../../lib/api/defaults.ts';
import { hasStatusCode } from '../client/errors.ts';
import type { ApiClient, Obj } from '../client/client.ts';
import { EventRecorder } from '../client/events.ts';
import { Informer, keyOf, type InformerHandlers } from '../client/informer.ts';
import { formatTime } from '../../lib/api/time.ts';
import { defaultPodCIDR, PodIPAllocator } from './ipam.ts';
import { NODE_HOST_IP, NodeHeartbeat, STOPPED_ANNOTATION, type HeartbeatOptions, type NodeAgent, type NodeIdentity } from './node.ts';

/** Objects as an informer exposes them (the pods of one node, or its Node). */
export interface ObjectView {
  get(key: string): Obj | undefined;
  list(): Obj[];
  on(h: InformerHandlers): unknown;
  start(): unknown;
  stop(): void;
}

export interface SimulatedNodeOptions extends NodeIdentity, HeartbeatOptions {
  /** Where the node's pods come from; default: its own watch with fieldSelector `spec.nodeName=<name>`. */
  podSource?: ObjectView;
  /** Where the node's own Node object comes from; default: a watch with fieldSelector `metadata.name=<name>`. */
  nodeSource?: ObjectView;
  /** Record the kubelet's Pulled / Created / Started events for each started container (default true). */
  recordEvents?: boolean;
}

export class SimulatedNode implements NodeAgent {
  readonly name: string;
  readonly ipam: PodIPAllocator;
  private readonly heartbeat: NodeHeartbeat;
  private readonly pods: ObjectView;
  private readonly self: ObjectView;
  private readonly recorder: EventRecorder;
  private readonly busy = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private running = false;
  private stopped = false;
  private stoppedByAnnotation = false;
  /** Counters for tests and benchmarks. */
  readonly stats = { started: 0, deleted: 0, statusWrites: 0 };

  constructor(
    private readonly client: ApiClient,
    private readonly opts: SimulatedNodeOptions,
  ) {
    this.name = opts.name;
    const podCIDR = opts.podCIDR ?? defaultPodCIDR(nodeIndex(opts.name));
    this.ipam = new PodIPAllocator(podCIDR);
    this.heartbeat = new NodeHeartbeat(client, { ...opts, podCIDR }, opts);
    this.recorder = this.heartbeat.recorder;
    this.pods = opts.podSource ?? new Informer(client, 'pods', { fieldSelector: `spec.nodeName=${opts.name}` });
    this.pods.on({
      add: (p) => this.onPod(p),
      update: (p) => this.onPod(p),
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

  async start(): Promise<void> {
    if (this.running) return;
    // A node stopped before a restart stays stopped: no registration, no heartbeat.
    const existing = this.client.get('nodes', undefined, this.name);
    this.stoppedByAnnotation = existing?.metadata?.annotations?.[STOPPED_ANNOTATION] === 'true';
    if (this.stoppedByAnnotation) this.heartbeat.pause();
    await this.heartbeat.start();
    // Handlers stay quiet until `running`: pods that were running before a restart reserve
    // their addresses first, then every pod is looked at once.
    this.self.start();
    this.pods.start();
    for (const p of this.pods.list()) if (p.status?.podIP) this.ipam.reserve(p.status.podIP, p.metadata.uid);
    this.running = true;
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
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when no pod write is in flight. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private active(): boolean {
    return this.running && !this.stopped && !this.stoppedByAnnotation;
  }

  private onNode(node: Obj): void {
    if (!this.running) return;
    const stopped = node.metadata?.annotations?.[STOPPED_ANNOTATION] === 'true';
    if (stopped !== this.stoppedByAnnotation) {
      this.stoppedByAnnotation = stopped;
      if (stopped) this.heartbeat.pause();
      else {
        this.heartbeat.resume();
        this.resync();
      }
      return;
    }
    // The node lifecycle controller marked us NotReady while we were fine: say otherwise now.
    if (!stopped) {
      const ready = ((node.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
      if (ready && ready.status !== 'True') this.heartbeat.syncStatus();
    }
  }

  private resync(): void {
    if (!this.active()) return;
    for (const p of this.pods.list()) this.onPod(p);
  }

  private onPodGone(pod: Obj): void {
    this.ipam.release(pod.metadata.uid);
  }

  private onPod(pod: Obj): void {
    if (!this.active() || pod.spec?.nodeName !== this.name) return;
    const k = keyOf(pod);
    if (this.busy.has(k)) {
      this.dirty.add(k);
      return;
    }
    let op: (() => Promise<void>) | undefined;
    if (pod.metadata.deletionTimestamp) op = () => this.finish(pod);
    else if (needsStatus(pod)) op = () => this.run(pod);
    if (!op) return;
    this.busy.add(k);
    const p = op()
      .catch((e) => {
        if (!this.stopped) console.error(`kubelet ${this.name}: pod ${k}:`, e);
      })
      .finally(() => {
        this.busy.delete(k);
        this.inflight.delete(p);
        if (this.dirty.delete(k)) {
          const latest = this.pods.get(k);
          if (latest) this.onPod(latest);
        }
      });
    this.inflight.add(p);
  }

  /** Reports the pod running and ready (retrying on conflicts with the latest version). */
  private async run(pod: Obj): Promise<void> {
    let cur: Obj | undefined = pod;
    for (let attempt = 0; attempt < 5 && cur; attempt++) {
      if (!this.active() || cur.metadata.deletionTimestamp || !needsStatus(cur)) return;
      const uid = cur.metadata.uid as string;
      const ip = (cur.status?.podIP && this.ipam.reserve(cur.status.podIP, uid) ? cur.status.podIP : undefined) ?? this.ipam.allocate(uid);
      if (!ip) {
        this.recorder.warning(cur, 'FailedCreatePodSandBox', `Failed to create pod sandbox: no IP addresses available in range set: ${this.ipam.cidr}`);
        return;
      }
      const fresh = !cur.status?.containerStatuses;
      const status = runningStatus(cur, ip, this.client.now());
      try {
        await this.client.updateStatus('pods', { ...cur, status });
        this.stats.statusWrites++;
        if (fresh) {
          this.stats.started++;
          if (this.opts.recordEvents !== false) this.containerEvents(cur);
        }
        return;
      } catch (e) {
        if (hasStatusCode(e, 409)) {
          cur = this.client.get('pods', cur.metadata.namespace, cur.metadata.name);
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

  private containerEvents(pod: Obj): void {
    const all = [...((pod.spec?.initContainers ?? []) as Obj[]), ...((pod.spec?.containers ?? []) as Obj[])];
    for (const c of all) {
      this.recorder.normal(pod, 'Pulled', `Container image "${c.image}" already present on machine`);
      this.recorder.normal(pod, 'Created', `Created container: ${c.name}`);
      this.recorder.normal(pod, 'Started', `Started container ${c.name}`);
    }
  }

  /** Finishes a graceful deletion: nothing to kill, so the pod goes now. */
  private async finish(pod: Obj): Promise<void> {
    const uid = pod.metadata.uid as string;
    try {
      await this.client.delete('pods', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid } });
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

/** Whether the pod is not yet reported as a running, ready pod (phase, IP, Ready). */
export function needsStatus(pod: Obj): boolean {
  const s = pod.status ?? {};
  if (s.phase === 'Succeeded' || s.phase === 'Failed') return false;
  if (s.phase !== 'Running' || !s.podIP || !Array.isArray(s.containerStatuses)) return true;
  const conds = (s.conditions ?? []) as Obj[];
  for (const t of ['Initialized', 'ContainersReady', 'Ready']) {
    if (conds.find((c) => c.type === t)?.status !== 'True') return true;
  }
  return false;
}

/** The image a container status reports (`nginx` → `docker.io/library/nginx:latest`). */
export function statusImage(image: string): string {
  const ref = parseImageReference(image);
  if (!ref) return image;
  return ref.digest ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag}`;
}

/** A stable fake image ID (repo@sha256 of the reference). */
export function statusImageID(image: string): string {
  const ref = parseImageReference(image);
  if (ref?.digest) return `${ref.name}@${ref.digest}`;
  const digest = createHash('sha256').update(statusImage(image)).digest('hex');
  return `${ref?.name ?? image}@sha256:${digest}`;
}

/**
 * The status of a pod whose containers all run: conditions in the kubelet's order, IPs, and
 * container statuses sorted by name (init containers completed, in spec order). What was
 * already reported (start times, container IDs, transition times) is kept.
 */
export function runningStatus(pod: Obj, podIP: string, now: Date): Obj {
  const ts = formatTime(now);
  const prev = (pod.status ?? {}) as Obj;
  const prevConds = (prev.conditions ?? []) as Obj[];
  const cond = (type: string): Obj => {
    const old = prevConds.find((c) => c.type === type);
    return { type, status: 'True', lastProbeTime: null, lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : ts };
  };
  const startTime = prev.startTime ?? ts;
  const prevStatus = (list: unknown, name: string): Obj | undefined => ((list ?? []) as Obj[]).find((c) => c.name === name);
  const containerStatuses = ((pod.spec?.containers ?? []) as Obj[])
    .map((c) => {
      const old = prevStatus(prev.containerStatuses, c.name);
      const runningSince = old?.state?.running?.startedAt ?? startTime;
      return {
        name: c.name,
        state: { running: { startedAt: runningSince } },
        lastState: old?.lastState ?? {},
        ready: true,
        restartCount: old?.restartCount ?? 0,
        image: statusImage(c.image),
        imageID: statusImageID(c.image),
        containerID: old?.containerID ?? `kite://${randomBytes(32).toString('hex')}`,
        started: true,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const initContainers = (pod.spec?.initContainers ?? []) as Obj[];
  const initContainerStatuses = initContainers.map((c) => {
    const old = prevStatus(prev.initContainerStatuses, c.name);
    const sidecar = c.restartPolicy === 'Always';
    const containerID = old?.containerID ?? `kite://${randomBytes(32).toString('hex')}`;
    return {
      name: c.name,
      state: sidecar
        ? { running: { startedAt: startTime } }
        : { terminated: { exitCode: 0, reason: 'Completed', startedAt: startTime, finishedAt: startTime, containerID } },
      lastState: {},
      ready: sidecar,
      restartCount: old?.restartCount ?? 0,
      image: statusImage(c.image),
      imageID: statusImageID(c.image),
      containerID,
      started: sidecar,
    };
  });
  const scheduled = prevConds.find((c) => c.type === 'PodScheduled');
  return {
    ...prev,
    phase: 'Running',
    conditions: [
      cond('PodReadyToStartContainers'),
      cond('Initialized'),
      cond('Ready'),
      cond('ContainersReady'),
      scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ts },
    ],
    hostIP: NODE_HOST_IP,
    hostIPs: [{ ip: NODE_HOST_IP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    ...(initContainerStatuses.length > 0 ? { initContainerStatuses } : {}),
    containerStatuses,
  };
}

// ---------------------------------------------------------------------------------------------
// many nodes

/**
 * One watch shared by many simulated nodes, split by a key: pods by `spec.nodeName`, Nodes by
 * name (a watch per node would match every event once per node).
 */
export class SplitInformer {
  private readonly informer: Informer;
  private readonly views = new Map<string, SplitView>();
  private started = false;

  constructor(
    client: ApiClient,
    resource: string,
    private readonly keyOf: (obj: Obj) => string | undefined,
  ) {
    this.informer = new Informer(client, resource).on({
      add: (o) => this.view(this.keyOf(o))?.emit('add', o),
      update: (o, old) => {
        const from = this.keyOf(old);
        const to = this.keyOf(o);
        if (from === to) this.view(to)?.emit('update', o, old);
        else {
          this.view(from)?.emit('delete', old);
          this.view(to)?.emit('add', o);
        }
      },
      delete: (o) => this.view(this.keyOf(o))?.emit('delete', o),
    });
  }

  /** The objects whose key is `k`. */
  view(k: string | undefined): SplitView | undefined {
    return k === undefined ? undefined : this.views.get(k);
  }

  viewOf(k: string): ObjectView {
    let v = this.views.get(k);
    if (!v) this.views.set(k, (v = new SplitView(this, k)));
    return v;
  }

  stop(): void {
    this.informer.stop();
  }

  /** @internal Starts the shared watch; false if it was already running. */
  ensureStarted(): boolean {
    if (this.started) return false;
    this.started = true;
    this.informer.start();
    return true;
  }

  /** @internal */
  itemsOf(k: string): Obj[] {
    return this.informer.list().filter((o) => this.keyOf(o) === k);
  }
}

class SplitView implements ObjectView {
  private readonly handlers: InformerHandlers[] = [];
  private readonly items = new Map<string, Obj>();
  private started = false;

  constructor(
    private readonly shared: SplitInformer,
    private readonly k: string,
  ) {}

  get(k: string): Obj | undefined {
    return this.items.get(k);
  }

  list(): Obj[] {
    return [...this.items.values()];
  }

  on(h: InformerHandlers): this {
    this.handlers.push(h);
    return this;
  }

  start(): this {
    if (this.started) return this;
    this.started = true;
    // The first view starts the watch (its initial list arrives as adds); later ones replay.
    if (!this.shared.ensureStarted()) for (const o of this.shared.itemsOf(this.k)) this.emit('add', o);
    return this;
  }

  stop(): void {
    this.started = false;
  }

  /** @internal */
  emit(type: 'add' | 'update' | 'delete', obj: Obj, old?: Obj): void {
    if (!this.started) return;
    const k = keyOf(obj);
    if (type === 'delete') this.items.delete(k);
    else this.items.set(k, obj);
    for (const h of this.handlers) {
      if (type === 'add') h.add?.(obj);
      else if (type === 'update') h.update?.(obj, old!);
      else h.delete?.(obj);
    }
  }
}

export interface SimulatedNodesOptions extends HeartbeatOptions {
  count: number;
  /** Per node, e.g. `2` or `1500m`. */
  cpu: string;
  /** Per node, e.g. `4Gi`. */
  memory: string;
  pods?: number;
  ephemeralStorage?: string;
  /** Node names are `<prefix><i>`, i from 1 (default `kite-node-`). */
  namePrefix?: string;
  /** Pod CIDR of the i-th node (default 127.(200 + i/256).(i%256).0/24). */
  podCIDR?: (index: number) => string;
  labels?: (index: number) => Record<string, string>;
  recordEvents?: boolean;
}

export interface SimulatedNodes {
  nodes: SimulatedNode[];
  stop(): Promise<void>;
}

/** Registers and starts `count` simulated nodes sharing one pod watch. */
export async function startSimulatedNodes(client: ApiClient, opts: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const pods = new SplitInformer(client, 'pods', (p) => p.spec?.nodeName);
  const nodeObjects = new SplitInformer(client, 'nodes', (n) => n.metadata.name);
  const nodes: SimulatedNode[] = [];
  for (let i = 1; i <= opts.count; i++) {
    const name = `${opts.namePrefix ?? 'kite-node-'}${i}`;
    const { count: _c, namePrefix: _p, podCIDR, labels, ...common } = opts;
    nodes.push(
      new SimulatedNode(client, {
        ...common,
        name,
        podSource: pods.viewOf(name),
        nodeSource: nodeObjects.viewOf(name),
        podCIDR: podCIDR ? podCIDR(i) : defaultPodCIDR(i),
        ...(labels ? { labels: labels(i) } : {}),
      }),
    );
  }
  await Promise.all(nodes.map((n) => n.start()));
  return {
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      pods.stop();
      nodeObjects.stop();
    },
  };
}

/** What `kite node stop|start NAME` does: set or remove the `kite.dev/stopped` annotation. */
export async function setNodeStopped(client: ApiClient, name: string, stopped: boolean): Promise<Obj> {
  return client.patch('nodes', undefined, name, 'merge', { metadata: { annotations: { [STOPPED_ANNOTATION]: stopped ? 'true' : null } } });
}

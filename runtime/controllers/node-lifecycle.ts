/**
 * NodeLifecycleController (k/k pkg/controller/nodelifecycle) with the taint-based eviction of
 * pkg/controller/tainteviction, small:
 *
 *  - a node whose kubelet has not renewed its Lease (kube-node-lease/<node>) nor posted a new
 *    Ready heartbeat for `nodeMonitorGracePeriodMs` (40 s) gets its conditions set to
 *    `Unknown` (reason NodeStatusUnknown, "Kubelet stopped posting node status."), an event
 *    `NodeNotReady`, and its pods' Ready condition set to False (event `NodeNotReady`
 *    "Node is not ready" on each);
 *  - node taints follow the Ready condition: Unknown → `node.kubernetes.io/unreachable`, False →
 *    `node.kubernetes.io/not-ready`, each with effects NoSchedule (the scheduler skips the node)
 *    and NoExecute (the pods are evicted); Ready again → both removed; a cordoned node
 *    (spec.unschedulable) gets `node.kubernetes.io/unschedulable:NoSchedule` (TaintNodesByCondition),
 *    removed on uncordon;
 *  - NoExecute eviction: a pod tolerating the taint for `tolerationSeconds` is deleted after that
 *    long, one not tolerating it at once. kite has no DefaultTolerationSeconds admission plugin,
 *    so a pod without its own toleration for these two taints gets `podEvictionTimeoutMs`
 *    (300 s, what that plugin would add), and so does a toleration identical to the one it adds.
 *    The eviction is an ordinary graceful DELETE (after a `DisruptionTarget` condition), so the
 *    pods of a stopped node stay Terminating until its kubelet returns, as upstream; ReplicaSets
 *    and RCs replace them meanwhile (they ignore terminating pods), bare pods are just gone.
 */
import { TAINT_NODE_UNSCHEDULABLE, toleratesTaint } from '../../lib/api/taints.ts';
import { formatTime } from '../../lib/api/time.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { Lease, Node, NodeCondition, NodeSpec, Pod, PodCondition, Taint } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import { hasStatusCode } from '../client/errors.ts';
import { EventRecorder } from '../client/events.ts';
import { InformerFactory } from '../client/informer-factory.ts';
import { keyOf, type Informer } from '../client/informer.ts';
import type { Component } from '../component.ts';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const NODE_STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';
const MANAGED_TAINTS: ReadonlySet<string | undefined> = new Set([TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE]);
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** DefaultTolerationSeconds admission's default (--default-not-ready-toleration-seconds / unreachable). */
const DEFAULT_TOLERATION_SECONDS = 300;

export interface NodeLifecycleOptions {
  /** nodeMonitorGracePeriod: how long a silent kubelet is trusted (40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** nodeMonitorPeriod: how often nodes are checked (5 s). */
  nodeMonitorPeriodMs?: number;
  /** The toleration of not-ready / unreachable NoExecute taints pods get by default (300 s). */
  podEvictionTimeoutMs?: number;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
  onError?: (e: unknown, context: string) => void;
  /** Shared informers (nodes, leases, pods); private ones if absent. */
  informers?: InformerFactory;
}

interface Health {
  /** When we last saw the kubelet alive (a new heartbeat or lease renewal). */
  probeAt: number;
  heartbeat: string | null | undefined;
  renew: string | undefined;
}

interface Eviction {
  timer: NodeJS.Timeout;
  at: number;
  uid: string;
}

export class NodeLifecycleController implements Component {
  readonly name = 'node-lifecycle-controller';
  private readonly informers: InformerFactory;
  private readonly ownInformers: boolean;
  private readonly nodes: Informer<'nodes'>;
  private readonly pods: Informer<'pods'>;
  private readonly podsByNode = new Map<string, Map<string, Pod>>();
  private readonly health = new Map<string, Health>();
  private readonly evictions = new Map<string, Eviction>();
  private readonly busy = new Set<string>();
  private readonly again = new Set<string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly recorder: EventRecorder;
  private readonly evictionRecorder: EventRecorder;
  private readonly grace: number;
  private readonly period: number;
  private readonly evictionTimeout: number;
  private readonly now: () => number;
  private readonly onError: (e: unknown, context: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: ApiClient,
    opts: NodeLifecycleOptions = {},
  ) {
    this.grace = opts.nodeMonitorGracePeriodMs ?? 40_000;
    this.period = opts.nodeMonitorPeriodMs ?? Math.min(5_000, Math.max(10, Math.floor(this.grace / 4)));
    this.evictionTimeout = opts.podEvictionTimeoutMs ?? DEFAULT_TOLERATION_SECONDS * 1000;
    this.now = opts.now ?? (() => performance.now());
    this.onError = opts.onError ?? ((e, ctx) => console.error(`node-lifecycle-controller: ${ctx}:`, e));
    this.recorder = new EventRecorder(client, 'node-controller');
    this.evictionRecorder = new EventRecorder(client, 'taint-eviction-controller');
    this.ownInformers = !opts.informers;
    this.informers = opts.informers ?? new InformerFactory(client);
    this.nodes = this.informers.on('nodes', {
      add: (n) => this.observeNode(n),
      update: (n) => this.observeNode(n),
      delete: (n) => this.forgetNode(n.metadata.name ?? ''),
    });
    this.informers.on('leases', {
      add: (l) => this.observeLease(l),
      update: (l) => this.observeLease(l),
    });
    this.pods = this.informers.on('pods', {
      add: (p) => this.indexPod(p, undefined),
      update: (p, old) => this.indexPod(p, old),
      delete: (p) => this.unindexPod(p),
    });
  }

  start(): this {
    this.informers.start();
    this.timer = setInterval(() => this.monitor(), this.period);
    this.timer.unref?.();
    this.monitor();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const e of this.evictions.values()) clearTimeout(e.timer);
    this.evictions.clear();
    if (this.ownInformers) this.informers.stop();
    await Promise.allSettled([...this.inflight]);
  }

  /** The pods whose eviction is scheduled, with when (ms on the controller's clock). */
  scheduledEvictions(): Map<string, number> {
    return new Map([...this.evictions].map(([k, e]) => [k, e.at]));
  }

  // ------------------------------------------------------------------------------- observation

  private healthOf(name: string): Health {
    let h = this.health.get(name);
    if (!h) this.health.set(name, (h = { probeAt: this.now(), heartbeat: undefined, renew: undefined }));
    return h;
  }

  private observeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const h = this.healthOf(name);
    const hb = readyCondition(node)?.lastHeartbeatTime;
    if (hb !== h.heartbeat) {
      if (h.heartbeat !== undefined || hb !== undefined) h.probeAt = this.now();
      h.heartbeat = hb;
    }
    this.check(name);
  }

  private observeLease(lease: Lease): void {
    if (lease.metadata.namespace !== NODE_LEASE_NAMESPACE) return;
    const name = lease.metadata.name ?? '';
    const h = this.healthOf(name);
    const renew = lease.spec?.renewTime;
    if (renew !== h.renew) {
      h.renew = renew;
      h.probeAt = this.now();
      this.check(name);
    }
  }

  private forgetNode(name: string): void {
    this.health.delete(name);
    for (const key of this.podsByNode.get(name)?.keys() ?? []) this.cancelEviction(key, false);
  }

  private indexPod(pod: Pod, old: Pod | undefined): void {
    const k = keyOf(pod);
    const from = old?.spec?.nodeName;
    const to = pod.spec?.nodeName;
    if (from && from !== to) {
      this.podsByNode.get(from)?.delete(k);
      this.cancelEviction(k, false);
    }
    if (!to) return;
    let m = this.podsByNode.get(to);
    if (!m) this.podsByNode.set(to, (m = new Map()));
    const isNew = !m.has(k);
    m.set(k, pod);
    // A pod arriving on a node that is already tainted NoExecute (or whose tolerations changed).
    if (isNew || JSON.stringify(pod.spec?.tolerations ?? null) !== JSON.stringify(old?.spec?.tolerations ?? null)) {
      const node = this.nodes.get(to);
      if (node) this.processPod(pod, node);
    }
  }

  private unindexPod(pod: Pod): void {
    const k = keyOf(pod);
    const node = pod.spec?.nodeName;
    if (node) {
      const m = this.podsByNode.get(node);
      if (m && m.get(k)?.metadata.uid === pod.metadata.uid) m.delete(k);
    }
    const e = this.evictions.get(k);
    if (e && e.uid === pod.metadata.uid) this.cancelEviction(k, false);
  }

  // ------------------------------------------------------------------------------- monitoring

  private monitor(): void {
    if (this.stopped) return;
    for (const node of this.nodes.list()) this.check(node.metadata.name ?? '');
  }

  /** Reconciles one node (serialized per node; a request while busy runs again after). */
  private check(name: string): void {
    if (this.stopped) return;
    if (this.busy.has(name)) {
      this.again.add(name);
      return;
    }
    this.busy.add(name);
    const p = this.reconcile(name)
      .catch((e) => {
        if (hasStatusCode(e, 409, 404)) this.again.add(name);
        else if (!this.stopped) this.onError(e, `node ${name}`);
      })
      .finally(() => {
        this.busy.delete(name);
        this.inflight.delete(p);
        if (this.again.delete(name)) setImmediate(() => this.check(name));
      });
    this.inflight.add(p);
  }

  private async reconcile(name: string): Promise<void> {
    let node = this.nodes.get(name);
    if (!node) return;
    const h = this.healthOf(name);
    const ready = readyCondition(node);
    const silent = this.now() - h.probeAt > this.grace;

    if (silent && ready?.status !== 'Unknown') {
      node = await this.markUnknown(node);
      if (ready?.status === 'True') {
        this.recorder.normal(nodeRef(name), 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      }
      await this.markPodsNotReady(name);
    }

    // Taints follow the Ready condition and spec.unschedulable (doNoScheduleTaintingPass /
    // doNoExecuteTaintingPass): NoSchedule taints carry no timeAdded, NoExecute ones do.
    const taints = node.spec?.taints ?? [];
    const wanted = this.managedTaints(node);
    const next = [...taints.filter((t) => !MANAGED_TAINTS.has(t.key)), ...wanted.map((w) => taints.find((t) => t.key === w.key && t.effect === w.effect) ?? w)];
    if (!sameTaints(taints, next)) {
      const spec: NodeSpec = { ...node.spec };
      if (next.length > 0) spec.taints = next;
      else delete spec.taints;
      node = await this.client.update('nodes', { ...node, spec });
    }

    // NoExecute: schedule (or cancel) the evictions of the node's pods.
    for (const pod of this.podsByNode.get(name)?.values() ?? []) this.processPod(pod, node);
  }

  /** The taints this controller owns that the node should carry now. */
  private managedTaints(node: Node): Taint[] {
    const status = readyCondition(node)?.status;
    const key = status === 'Unknown' ? TAINT_NODE_UNREACHABLE : status === 'False' ? TAINT_NODE_NOT_READY : undefined;
    const out: Taint[] = [];
    if (key) out.push({ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute', timeAdded: formatTime(this.client.now()) });
    if (node.spec?.unschedulable) out.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    return out;
  }

  private async markUnknown(node: Node): Promise<Node> {
    const ts = formatTime(this.client.now());
    const conditions = (node.status?.conditions ?? []).map((c): NodeCondition =>
      c.status === 'Unknown'
        ? c
        : { ...c, status: 'Unknown', lastTransitionTime: ts, reason: NODE_STATUS_UNKNOWN_REASON, message: NODE_STATUS_UNKNOWN_MESSAGE },
    );
    if (!conditions.some((c) => c.type === 'Ready')) {
      conditions.push({ type: 'Ready', status: 'Unknown', lastHeartbeatTime: ts, lastTransitionTime: ts, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    }
    return this.client.updateStatus('nodes', { ...node, status: { ...node.status, conditions } });
  }

  /** MarkPodsNotReady: the Ready condition of every pod on the node becomes False. */
  private async markPodsNotReady(name: string): Promise<void> {
    const pods = [...(this.podsByNode.get(name)?.values() ?? [])];
    await Promise.all(
      pods.map(async (pod) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const cur = this.client.get('pods', pod.metadata.namespace, pod.metadata.name ?? '');
          if (!cur || cur.metadata.uid !== pod.metadata.uid || cur.spec.nodeName !== name) return;
          const conds = cur.status?.conditions ?? [];
          const ready = conds.find((c) => c.type === 'Ready');
          if (!ready || ready.status === 'False') return;
          const ts = formatTime(this.client.now());
          const next = conds.map((c): PodCondition => (c === ready ? { ...c, status: 'False', lastTransitionTime: ts } : c));
          try {
            await this.client.updateStatus('pods', { ...cur, status: { ...cur.status, conditions: next } });
            this.recorder.warning(cur, 'NodeNotReady', 'Node is not ready');
            return;
          } catch (e) {
            if (hasStatusCode(e, 409)) continue;
            if (hasStatusCode(e, 404)) return;
            this.onError(e, `marking pod ${keyOf(pod)} not ready`);
            return;
          }
        }
      }),
    );
  }

  // ------------------------------------------------------------------------------- eviction

  /** processPodOnNode: the pod's eviction time under the node's NoExecute taints. */
  private processPod(pod: Pod, node: Node): void {
    if (this.stopped) return;
    const k = keyOf(pod);
    const uid = pod.metadata.uid ?? '';
    const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0 || pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      this.cancelEviction(k, taints.length === 0);
      return;
    }
    const delay = this.tolerationDelayMs(pod, taints);
    if (delay < 0) {
      this.cancelEviction(k, true);
      return;
    }
    // Already scheduled: upstream keeps the first schedule (its start time is earlier).
    const existing = this.evictions.get(k);
    if (existing && existing.uid === uid) return;
    if (existing) clearTimeout(existing.timer);
    const at = this.now() + delay;
    const timer = setTimeout(() => this.evict(k, uid), delay);
    timer.unref?.();
    this.evictions.set(k, { timer, at, uid });
  }

  /**
   * The minimum tolerationSeconds over the tolerations the pod uses for the NoExecute taints
   * (ms; 0 = now; −1 = tolerated forever). An untolerated taint evicts now, except not-ready and
   * unreachable, which kite tolerates for podEvictionTimeout as DefaultTolerationSeconds would.
   */
  private tolerationDelayMs(pod: Pod, taints: Taint[]): number {
    const tolerations = pod.spec.tolerations ?? [];
    let min = Infinity;
    let tolerated = true;
    for (const taint of taints) {
      const used = tolerations.filter((t) => toleratesTaint(t, taint));
      const defaultable = taint.key === TAINT_NODE_NOT_READY || taint.key === TAINT_NODE_UNREACHABLE;
      if (used.length === 0) {
        if (defaultable) min = Math.min(min, this.evictionTimeout);
        else tolerated = false;
        continue;
      }
      for (const t of used) {
        if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
        const isAdmissionDefault = defaultable && t.operator === 'Exists' && t.key === taint.key && t.effect === 'NoExecute' && t.tolerationSeconds === DEFAULT_TOLERATION_SECONDS;
        const ms = isAdmissionDefault ? this.evictionTimeout : Math.max(0, t.tolerationSeconds) * 1000;
        min = Math.min(min, ms);
      }
    }
    if (!tolerated) return 0;
    return min === Infinity ? -1 : min;
  }

  private cancelEviction(k: string, withEvent: boolean): void {
    const e = this.evictions.get(k);
    if (!e) return;
    clearTimeout(e.timer);
    this.evictions.delete(k);
    if (withEvent && !this.stopped) {
      const pod = this.pods.get(k);
      if (pod) this.evictionRecorder.normal(pod, 'TaintManagerEviction', `Cancelling deletion of Pod ${k}`);
    }
  }

  private evict(k: string, uid: string): void {
    const e = this.evictions.get(k);
    if (!e || e.uid !== uid) return;
    this.evictions.delete(k);
    const p = this.deletePod(k, uid).catch((err) => {
      if (!this.stopped) this.onError(err, `evicting ${k}`);
    });
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** addConditionAndDeletePod: DisruptionTarget=True, then a graceful DELETE. */
  private async deletePod(k: string, uid: string): Promise<void> {
    const [ns, name] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
    const pod = this.client.get('pods', ns, name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return;
    this.evictionRecorder.normal(pod, 'TaintManagerEviction', `Marking for deletion Pod ${k}`);
    try {
      const conds = pod.status?.conditions ?? [];
      if (!conds.some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) {
        const cond: PodCondition = {
          type: 'DisruptionTarget',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: formatTime(this.client.now()),
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
        };
        await this.client.updateStatus('pods', { ...pod, status: { ...pod.status, conditions: [...conds.filter((c) => c.type !== 'DisruptionTarget'), cond] } });
      }
    } catch (e) {
      if (hasStatusCode(e, 404)) return;
      if (!hasStatusCode(e, 409)) throw e;
    }
    try {
      await this.client.delete('pods', ns, name, { preconditions: { uid } });
    } catch (e) {
      if (!hasStatusCode(e, 404, 409)) throw e;
    }
  }
}

export function startNodeLifecycleController(client: ApiClient, opts: NodeLifecycleOptions = {}): NodeLifecycleController {
  return new NodeLifecycleController(client, opts).start();
}

/** The same taints (key and effect), in any order. */
function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  const key = (t: Taint) => `${t.key}\u0000${t.effect}`;
  const keys = new Set(a.map(key));
  return a.length === b.length && b.every((t) => keys.has(key(t)));
}

function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

function nodeRef(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
}

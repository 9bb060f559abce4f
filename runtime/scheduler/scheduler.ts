/**
 * The scheduler (kube-scheduler's default profile, small): watches pending pods of
 * `default-scheduler` and the nodes; for each pod runs the filter plugins on every node, scores
 * the feasible ones, assumes the pod on the best (so the next decision already counts it) and
 * binds it (POST pods/binding) without waiting — bindings run concurrently, as upstream's
 * binding cycle. A pod that fits nowhere gets `PodScheduled=False` (reason Unschedulable) and a
 * `FailedScheduling` event with the FitError message, and waits in the queue for a cluster
 * change (backoff 1 s doubling to 10 s).
 *
 * Preemption is not implemented (kite has no PriorityClasses, so every pod has priority 0 and
 * upstream would find no victims either); its PostFilter message is reproduced.
 */
import { formatTime } from '../../lib/api/time.ts';
import type { Node, Pod, PodCondition } from '../../lib/api/model.ts';
import type { ApiClient } from '../client/client.ts';
import { hasStatusCode } from '../client/errors.ts';
import { EventRecorder } from '../client/events.ts';
import { InformerFactory } from '../client/informer-factory.ts';
import { keyOf, type Informer } from '../client/informer.ts';
import type { Component } from '../component.ts';
import { SchedulerCache } from './cache.ts';
import {
  FitError,
  NO_NODE_AVAILABLE_MSG,
  Status,
  truncateMessage,
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PodInfo,
  type ScorePlugin,
} from './framework.ts';
import { makePodInfo } from './pod-info.ts';
import { NodeAffinityFilter, NodeAffinityScore } from './plugins/node-affinity.ts';
import { NodeName } from './plugins/node-name.ts';
import { NodePorts } from './plugins/node-ports.ts';
import { NodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation.ts';
import { NodeResourcesFit } from './plugins/node-resources-fit.ts';
import { NodeResourcesLeastAllocated } from './plugins/node-resources-least-allocated.ts';
import { NodeUnschedulable } from './plugins/node-unschedulable.ts';
import { selectorSpread } from './plugins/selector-spread.ts';
import { TaintTolerationFilter, TaintTolerationScore } from './plugins/taint-toleration.ts';
import { SchedulingQueue } from './queue.ts';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  schedulerName?: string;
  /** podInitialBackoffSeconds (1 s). */
  initialBackoffMs?: number;
  /** podMaxBackoffSeconds (10 s). */
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration (5 min): unschedulable pods are retried at least this often. */
  maxUnschedulableMs?: number;
  /** Tie-breaking among equally scored nodes. */
  random?: () => number;
  /** Replaces the default filter plugins (in order: the first failing one decides a node's reason). */
  filters?: FilterPlugin[];
  /** Replaces the default score plugins. */
  scores?: (cache: SchedulerCache) => ScorePlugin[];
  /** Called when an unexpected error happens (default: console.error). */
  onError?: (e: unknown, context: string) => void;
  /** Shared informers (pods, nodes, services); private ones if absent. */
  informers?: InformerFactory;
}

/** The default filters, in the default profile's order. */
export const DEFAULT_FILTERS: readonly FilterPlugin[] = [NodeUnschedulable, NodeName, TaintTolerationFilter, NodeAffinityFilter, NodePorts, NodeResourcesFit];

export function defaultScores(cache: SchedulerCache): ScorePlugin[] {
  return [TaintTolerationScore, NodeAffinityScore, NodeResourcesLeastAllocated, selectorSpread(cache), NodeResourcesBalancedAllocation];
}

const PREEMPTION_NO_VICTIMS = 'No preemption victims found for incoming pod';
const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface ScheduleResult {
  node?: string;
  error?: FitError | Error;
}

export class Scheduler implements Component {
  readonly name = 'scheduler';
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly recorder: EventRecorder;
  private readonly informers: InformerFactory;
  private readonly ownInformers: boolean;
  private readonly pods: Informer<'pods'>;
  private readonly filters: readonly FilterPlugin[];
  private readonly scores: readonly ScorePlugin[];
  private readonly schedulerName: string;
  private readonly random: () => number;
  private readonly onError: (e: unknown, context: string) => void;
  private readonly inflight = new Set<Promise<unknown>>();
  private pumpScheduled = false;
  private started = false;
  private stopped = false;
  /** Counters for tests and benchmarks. */
  readonly stats = { attempts: 0, scheduled: 0, unschedulable: 0, bindErrors: 0 };

  constructor(
    private readonly client: ApiClient,
    opts: SchedulerOptions = {},
  ) {
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.random = opts.random ?? Math.random;
    this.onError = opts.onError ?? ((e, ctx) => console.error(`scheduler: ${ctx}:`, e));
    this.filters = opts.filters ?? DEFAULT_FILTERS;
    this.scores = opts.scores ? opts.scores(this.cache) : defaultScores(this.cache);
    this.recorder = new EventRecorder(client, this.schedulerName);
    this.queue = new SchedulingQueue({
      initialBackoffMs: opts.initialBackoffMs ?? 1000,
      maxBackoffMs: opts.maxBackoffMs ?? 10_000,
      maxUnschedulableMs: opts.maxUnschedulableMs ?? 5 * 60_000,
      now: () => performance.now(),
      onActive: () => this.kick(),
    });
    this.ownInformers = !opts.informers;
    this.informers = opts.informers ?? new InformerFactory(client);
    this.informers.on('nodes', {
      add: (n) => this.onNodeAdd(n),
      update: (n, old) => this.onNodeUpdate(n, old),
      delete: (n) => this.onNodeDelete(n),
    });
    this.informers.on('services', {
      add: (s) => this.cache.setService(s),
      update: (s) => this.cache.setService(s),
      delete: (s) => this.cache.removeService(s),
    });
    this.pods = this.informers.on('pods', {
      add: (p) => this.onPodAdd(p),
      update: (p, old) => this.onPodUpdate(p, old),
      delete: (p) => this.onPodDelete(p),
    });
  }

  start(): this {
    if (this.started) return this;
    this.started = true;
    this.informers.start();
    this.kick();
    return this;
  }

  /** Stops watching and scheduling; resolves when in-flight bindings and status writes settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ownInformers) this.informers.stop();
    this.queue.stop();
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when nothing is waiting in activeQ and no binding is in flight. */
  async idle(): Promise<void> {
    while (this.queue.activeLength > 0 || this.inflight.size > 0 || this.pumpScheduled) {
      if (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
      else await new Promise((r) => setImmediate(r));
    }
  }

  // ------------------------------------------------------------------------------- events

  private isTerminal(pod: Pod): boolean {
    const phase = pod.status?.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  }

  /** A pod this scheduler should place: unbound, ours, not finished, not being deleted. */
  private isPending(pod: Pod): boolean {
    return !pod.spec.nodeName && (pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) === this.schedulerName && !pod.metadata.deletionTimestamp && !this.isTerminal(pod);
  }

  private onPodAdd(pod: Pod): void {
    if (pod.spec.nodeName) {
      if (!this.isTerminal(pod)) this.cache.addPod(pod);
    } else if (this.isPending(pod)) this.queue.add(keyOf(pod), pod.spec.priority ?? 0);
  }

  private onPodUpdate(pod: Pod, old: Pod): void {
    const key = keyOf(pod);
    if (pod.spec.nodeName) {
      this.queue.delete(key);
      if (this.isTerminal(pod)) {
        // A finished pod frees its node: as AssignedPodDelete.
        if (this.cache.hasPod(key)) {
          this.cache.removePod(pod);
          this.queue.moveAllToActiveOrBackoff();
        }
        return;
      }
      this.cache.addPod(pod);
      return;
    }
    if (!this.isPending(pod)) {
      this.queue.delete(key);
      return;
    }
    if (!this.queue.has(key)) this.queue.add(key, pod.spec.priority ?? 0);
    else if (podSpecChanged(pod, old)) this.queue.updated(key, pod.spec.priority ?? 0);
  }

  private onPodDelete(pod: Pod): void {
    const key = keyOf(pod);
    this.queue.delete(key);
    if (pod.spec.nodeName || this.cache.hasPod(key)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoff();
    }
  }

  private onNodeAdd(node: Node): void {
    this.cache.setNode(node);
    this.queue.moveAllToActiveOrBackoff();
  }

  private onNodeUpdate(node: Node, old: Node): void {
    this.cache.setNode(node);
    if (nodeSchedulingPropertiesChanged(node, old)) this.queue.moveAllToActiveOrBackoff();
  }

  private onNodeDelete(node: Node): void {
    this.cache.removeNode(node.metadata.name ?? '');
  }

  // ------------------------------------------------------------------------------- the loop

  private kick(): void {
    if (this.pumpScheduled || this.stopped || !this.started) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  /** Schedules queued pods for a slice of the event loop, then yields to I/O. */
  private pump(): void {
    this.pumpScheduled = false;
    if (this.stopped) return;
    const deadline = performance.now() + 20;
    while (performance.now() < deadline) {
      const key = this.queue.pop();
      if (key === undefined) return;
      try {
        this.scheduleOne(key);
      } catch (e) {
        this.onError(e, `scheduling ${key}`);
        this.queue.retry(key);
      }
    }
    if (this.queue.activeLength > 0) this.kick();
  }

  private scheduleOne(key: string): void {
    const pod = this.pods.get(key);
    if (!pod || !this.isPending(pod)) {
      this.queue.delete(key);
      return;
    }
    this.stats.attempts++;
    const info = makePodInfo(pod, this.cache.groupsOf(pod));
    const result = this.schedulePod(info);
    if (!result.node) {
      this.stats.unschedulable++;
      this.queue.unschedulable(key);
      this.track(this.recordFailure(pod, result.error!));
      return;
    }
    const node = result.node;
    this.cache.assume(info, node);
    this.queue.done(key);
    this.track(this.bind(info, node));
  }

  /** Filter, then score: the node for the pod, or the FitError. Pure with respect to the cluster. */
  schedulePod(pod: PodInfo): ScheduleResult {
    const nodes = this.cache.nodeList();
    if (nodes.length === 0) return { error: new Error(NO_NODE_AVAILABLE_MSG) };
    const state: CycleState = new Map();
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, Status>();
    for (const node of nodes) {
      const status = this.runFilters(state, pod, node);
      if (status) statuses.set(node.name, status);
      else feasible.push(node);
    }
    if (feasible.length === 0) {
      return { error: new FitError(nodes.length, statuses, this.postFilter(pod, nodes, statuses)) };
    }
    if (feasible.length === 1) return { node: feasible[0]!.name };
    const totals = this.score(state, pod, feasible);
    // selectHost: the highest score, ties broken uniformly at random (reservoir sampling).
    let best = -Infinity;
    let chosen = feasible[0]!;
    let ties = 0;
    for (let i = 0; i < feasible.length; i++) {
      const s = totals[i]!;
      if (s > best) {
        best = s;
        chosen = feasible[i]!;
        ties = 1;
      } else if (s === best) {
        ties++;
        if (this.random() * ties < 1) chosen = feasible[i]!;
      }
    }
    return { node: chosen.name };
  }

  private runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined {
    for (const f of this.filters) {
      const s = f.filter(state, pod, node);
      if (s && !s.isSuccess()) {
        s.plugin = f.name;
        return s;
      }
    }
    return undefined;
  }

  private score(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const p of this.scores) {
      p.preScore?.(state, pod, nodes);
      const scores = nodes.map((n) => p.score(state, pod, n));
      p.normalize?.(state, pod, scores);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * p.weight;
    }
    return totals;
  }

  /**
   * DefaultPreemption's message when it cannot help: nodes that failed only Unschedulable
   * filters are candidates, but with every pod at priority 0 none has a victim to evict.
   */
  private postFilter(pod: PodInfo, nodes: NodeInfo[], statuses: Map<string, Status>): string {
    if (pod.pod.spec.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
    const preemption = new Map<string, Status>();
    for (const n of nodes) {
      const st = statuses.get(n.name);
      preemption.set(n.name, Status.unresolvable(st?.code === 'Unschedulable' ? PREEMPTION_NO_VICTIMS : PREEMPTION_NOT_HELPFUL));
    }
    return `preemption: ${new FitError(nodes.length, preemption).message}`;
  }

  // ------------------------------------------------------------------------------- API writes

  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async bind(info: PodInfo, node: string): Promise<void> {
    try {
      await this.client.bind(info.namespace, info.name, node);
      this.stats.scheduled++;
      this.recorder.normal(info.pod, 'Scheduled', `Successfully assigned ${info.namespace}/${info.name} to ${node}`);
    } catch (e) {
      this.stats.bindErrors++;
      this.cache.forget(info.key, info.uid);
      this.queue.moveAllToActiveOrBackoff();
      if (this.stopped) return;
      const gone = hasStatusCode(e, 404, 409, 403);
      if (gone) return; // deleted, already bound, or being deleted: nothing to retry
      const pod = this.pods.get(info.key);
      if (!pod || !this.isPending(pod)) return;
      this.queue.addBackoff(info.key, pod.spec.priority ?? 0);
      this.onError(e, `binding ${info.key} to ${node}`);
    }
  }

  /** handleSchedulingFailure: the event, then the PodScheduled condition (if it changed). */
  private async recordFailure(pod: Pod, err: Error): Promise<void> {
    const message = err.message;
    this.recorder.warning(pod, 'FailedScheduling', truncateMessage(message));
    const reason = 'Unschedulable';
    for (let attempt = 0; attempt < 5 && !this.stopped; attempt++) {
      const current = this.client.get('pods', pod.metadata.namespace, pod.metadata.name ?? '');
      if (!current || current.metadata.uid !== pod.metadata.uid || !this.isPending(current)) return;
      const conditions = current.status?.conditions ?? [];
      const old = conditions.find((c) => c.type === 'PodScheduled');
      if (old && old.status === 'False' && old.reason === reason && old.message === message) return;
      const now = formatTime(this.client.now());
      const cond: PodCondition = {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: old && old.status === 'False' ? old.lastTransitionTime : now,
        reason,
        message,
      };
      const next = { ...current, status: { ...current.status, conditions: old ? conditions.map((c) => (c === old ? cond : c)) : [...conditions, cond] } };
      try {
        await this.client.updateStatus('pods', next);
        return;
      } catch (e) {
        if (hasStatusCode(e, 409)) continue;
        if (hasStatusCode(e, 404)) return;
        this.onError(e, `updating the status of ${keyOf(pod)}`);
        return;
      }
    }
  }
}

/** Starts a scheduler; `stop()` it when done. */
export function startScheduler(client: ApiClient, opts: SchedulerOptions = {}): Scheduler {
  return new Scheduler(client, opts).start();
}

/** isPodUpdated: anything but status and bookkeeping metadata changed. */
function podSpecChanged(pod: Pod, old: Pod): boolean {
  if (pod.spec !== old.spec && JSON.stringify(pod.spec) !== JSON.stringify(old.spec)) return true;
  if (JSON.stringify(pod.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {})) return true;
  if (JSON.stringify(pod.metadata.annotations ?? {}) !== JSON.stringify(old.metadata.annotations ?? {})) return true;
  return false;
}

/** A node change that can make a pod fit (not a heartbeat). */
function nodeSchedulingPropertiesChanged(node: Node, old: Node): boolean {
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(node.spec?.unschedulable, old.spec?.unschedulable)) return true;
  if (!same(node.spec?.taints, old.spec?.taints)) return true;
  if (!same(node.metadata.labels, old.metadata.labels)) return true;
  if (!same(node.status?.allocatable, old.status?.allocatable)) return true;
  const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return ready(node) !== ready(old);
}

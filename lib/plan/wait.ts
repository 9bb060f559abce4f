/**
 * waitForReady: after apply, watch what was applied until every object is ready (readiness.ts),
 * one definitely fails, or the timeout passes.
 *
 * Watches, not polling (feed.ts): per kind and namespace the applied objects themselves, and per
 * namespace what their kinds' readiness records (kinds/) ask for: the pods (a Pod itself, the pods
 * a ReplicaSet owns, those a Service selects) with their Warning events (probe failures), and
 * Service endpoints (EndpointSlices when the server serves them, else Endpoints). Every change
 * re-evaluates only the objects it concerns.
 *
 * Fail fast: an unschedulable pod or a container in CrashLoopBackOff / ImagePullBackOff / ...
 * stops the wait at once (with the last log lines of a crash-looping container); a pod merely
 * Pending or ContainerCreating gets the whole timeout. An unschedulable pod is not a failure yet
 * while pods in its namespace are terminating: they may free the room it needs (a replaced pod).
 */
import { namespacedKey } from '../api/meta.ts';
import type { KubeObject } from '../api/meta.ts';
import type { KubeClient, ResourceRef } from '../kube/index.ts';
import { fetchLogs } from './container-logs.ts';
import type { Selector } from '../api/selector.ts';
import { Feed, type FeedSpec } from './feed.ts';
import { PairIndex, anchorPairs, labelPairs } from '../api/label-index.ts';
import { readinessKindOf } from './kinds/index.ts';
import { refId, type ObjectRef } from './plan.ts';
import { readiness, type Readiness, type ReadinessKind, type Related } from './readiness.ts';

export type ObjectStatus = 'waiting' | 'ready' | 'failed' | 'timedOut' | 'unfinished';

export interface ObjectState {
  ref: ObjectRef;
  /** refId(ref): `prod/ReplicaSet/api` */
  id: string;
  /**
   * waiting → ready | failed | timedOut; `unfinished`: still not ready when the wait stopped early
   * (another object failed, or the wait was aborted).
   */
  status: ObjectStatus;
  /** `3/5 ready`, `ContainerCreating`, `no ready endpoints; pod web-1: Readiness probe failed: ...` */
  detail: string;
  /** With `failed`: the reason, in the cluster's words (several lines for log excerpts). */
  failure?: string;
}

export interface WaitState {
  /** Every object, in the order given. */
  objects: readonly ObjectState[];
  /** The objects whose status or detail changed since the last update (all of them the first time). */
  changed: readonly ObjectState[];
  elapsedMs: number;
  /** The last update: the wait is over. */
  done: boolean;
}

export interface WaitOptions {
  timeoutMs: number;
  onUpdate?: (state: WaitState) => void;
  signal?: AbortSignal;
  /** How many log lines of a crash-looping container to show (default 10). */
  logLines?: number;
  /** The stack's manifests (as planned): a Service whose workloads among them all want 0 pods is ready without endpoints. */
  manifests?: readonly KubeObject[];
}

export interface WaitResult {
  ready: ObjectRef[];
  failed: Array<{ ref: ObjectRef; reason: string }>;
  /** Not ready when the timeout passed, with their last detail (the reasons found). */
  timedOut: Array<{ ref: ObjectRef; detail: string }>;
  /** Not ready when the wait stopped early, at a failure or an abort. */
  unfinished: Array<{ ref: ObjectRef; detail: string }>;
  /** The signal aborted the wait. */
  aborted: boolean;
  elapsedMs: number;
}

const DEFAULT_LOG_LINES = 10;
const TERMINATING_NOTE = 'waiting for terminating pods to free resources';

const PODS: ResourceRef = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
const EVENTS: ResourceRef = { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true };
const ENDPOINTS: ResourceRef = { apiVersion: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true };
const SLICES: ResourceRef = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true };
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** One object waited for. */
interface Tracked {
  ref: ObjectRef;
  id: string;
  /** Its kind's readiness record (undefined: ready when it exists). */
  kind: ReadinessKind | undefined;
  /** The namespace the object lives in ('' for cluster-scoped). */
  ns: string;
  kindKey: string;
  objKey: string;
  state: ObjectState;
  readiness: Readiness | undefined;
}

type Ending = 'ready' | 'failed' | 'timeout' | 'aborted';

/**
 * Waits until every object in `refs` is ready, one fails for good, the timeout passes or the
 * signal aborts. Rejects only when the cluster cannot be watched (unreachable, forbidden).
 */
export async function waitForReady(client: KubeClient, refs: readonly ObjectRef[], opts: WaitOptions): Promise<WaitResult> {
  return new ReadinessWait(client, refs, opts).run();
}

/** One wait: the objects, the feeds that watch them, the deadline, the reports, the outcome. */
class ReadinessWait {
  private readonly t0 = performance.now();
  private readonly logLines: number;

  // the objects: one entry per object, in the order given, and indexes over them
  private readonly tracked: Tracked[] = [];
  /** kindKey → objKey → tracked */
  private readonly trackedByKind = new Map<string, Map<string, Tracked>>();
  /** `ns/name` → a tracked object that is itself a pod */
  private readonly trackedPods = new Map<string, Tracked>();
  /** ns → tracked objects that select pods (Services), filed by their live selector's anchor pairs (label-index.ts) */
  private readonly selecting = new Map<string, PairIndex<Tracked>>();
  /** A selecting object → its live selector and the pairs it is filed under. */
  private readonly selectors = new Map<Tracked, { selector: Selector; pairs: string[] | undefined }>();
  /** `ns/name` → a tracked object whose endpoints count (Services) */
  private readonly withEndpoints = new Map<string, Tracked>();
  /** id → the live object */
  private readonly objects = new Map<string, KubeObject>();
  /** live uid → tracked (the owners of pods) */
  private readonly byUid = new Map<string, Tracked>();

  // the related objects, per namespace
  /** Namespaces whose pods (and their Warning events) are watched. */
  private readonly podNamespaces = new Set<string>();
  private readonly podFeeds = new Map<string, Feed>();
  /** owner uid → podKey → pod */
  private readonly podsByOwner = new Map<string, Map<string, KubeObject>>();
  /** involved uid → event key → event */
  private readonly eventsByUid = new Map<string, Map<string, KubeObject>>();
  /** ns → the keys of its pods, by label pair */
  private readonly podsByLabel = new Map<string, PairIndex<string>>();
  private readonly endpointFeeds = new Map<string, Feed>();
  /** `ns/service` → slice key → EndpointSlice */
  private readonly slicesByService = new Map<string, Map<string, KubeObject>>();
  /** ns → the stack's manifests there (opts.manifests, grouped once) */
  private manifestsByNs: Map<string, KubeObject[]> | undefined;
  private useSlices = false;
  private readonly feeds: Feed[] = [];

  // evaluation, batched: changes mark objects dirty, one turn later they are re-evaluated
  private readonly dirty = new Set<Tracked>();
  private scheduled = false;
  /** The initial lists are done: changes are evaluated from now on. */
  private listed = false;
  private finishing = false;

  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.finish('aborted');
  private resolveDone!: (r: WaitResult) => void;
  private rejectDone!: (e: unknown) => void;
  private readonly done = new Promise<WaitResult>((resolve, reject) => {
    this.resolveDone = resolve;
    this.rejectDone = reject;
  });

  constructor(
    private readonly client: KubeClient,
    refs: readonly ObjectRef[],
    private readonly opts: WaitOptions,
  ) {
    this.logLines = opts.logLines ?? DEFAULT_LOG_LINES;
    const seen = new Set<string>();
    for (const ref of refs) {
      const id = refId(ref);
      if (seen.has(id)) continue;
      seen.add(id);
      this.tracked.push({ ref, id, kind: readinessKindOf(ref), ns: '', kindKey: '', objKey: '', state: { ref, id, status: 'waiting', detail: 'waiting' }, readiness: undefined });
    }
  }

  async run(): Promise<WaitResult> {
    if (this.tracked.length === 0) return this.result();
    if (this.opts.signal?.aborted) {
      for (const t of this.tracked) t.state = { ...t.state, status: 'unfinished', detail: 'not checked' };
      return this.result();
    }
    const objectFeeds = await this.locate();
    this.watch(objectFeeds);
    this.startDeadline();
    try {
      await Promise.all(this.feeds.map((f) => f.start()));
    } catch (e) {
      this.fatal(e);
      return this.done;
    }
    if (!this.finishing) {
      this.listed = true;
      for (const t of this.tracked) this.dirty.add(t);
      this.evaluate(true); // the first update reports every object
    }
    return this.done;
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.t0);
  }

  // ---- tracking: where each object lives, and which feeds that takes --------------------------

  /** Resolves each object's namespace and indexes it; returns the feeds of the objects themselves (by kindKey). */
  private async locate(): Promise<Map<string, FeedSpec>> {
    const objectFeeds = new Map<string, FeedSpec>();
    for (const t of this.tracked) {
      const res = await this.client.resourceFor(t.ref);
      const ns = res.namespaced ? (t.ref.namespace ?? this.client.target.namespace ?? 'default') : '';
      t.ns = ns;
      t.kindKey = `${t.ref.apiVersion}/${t.ref.kind}/${ns}`;
      t.objKey = namespacedKey({ metadata: { namespace: ns, name: t.ref.name } });
      if (!objectFeeds.has(t.kindKey)) {
        objectFeeds.set(t.kindKey, {
          resource: { apiVersion: t.ref.apiVersion, kind: t.ref.kind, plural: res.plural, namespaced: res.namespaced },
          ...(res.namespaced ? { namespace: ns } : {}),
          fieldSelector: `metadata.name=${t.ref.name}`,
          optional: false,
        });
      } else delete objectFeeds.get(t.kindKey)!.fieldSelector; // several of this kind here: watch them all
      let byKey = this.trackedByKind.get(t.kindKey);
      if (!byKey) this.trackedByKind.set(t.kindKey, (byKey = new Map()));
      byKey.set(t.objKey, t);
      if (t.kind?.pods === 'self') this.trackedPods.set(t.objKey, t);
      if (t.kind?.endpoints && res.namespaced) this.withEndpoints.set(t.objKey, t);
      if (t.kind?.pods && res.namespaced) this.podNamespaces.add(ns);
    }
    this.useSlices = this.withEndpoints.size > 0 && (await this.client.discover()).forKind('discovery.k8s.io', 'v1', 'EndpointSlice') !== undefined;
    return objectFeeds;
  }

  // ---- watching: the objects, and per namespace their pods, events and endpoints --------------

  private watch(objectFeeds: Map<string, FeedSpec>): void {
    for (const [kindKey, spec] of objectFeeds) this.watchObjects(spec, this.trackedByKind.get(kindKey)!);
    for (const ns of this.podNamespaces) {
      this.watchPods(ns);
      this.watchEvents(ns);
    }
    for (const ns of new Set([...this.withEndpoints.values()].map((t) => t.ns))) this.watchEndpoints(ns);
  }

  private feed(spec: FeedSpec, onChange: ConstructorParameters<typeof Feed>[2]): Feed {
    const f = new Feed(this.client, spec, onChange, (e) => this.fatal(e));
    this.feeds.push(f);
    return f;
  }

  private watchObjects(spec: FeedSpec, byKey: Map<string, Tracked>): void {
    this.feed(spec, (obj, old, deleted) => {
      const t = byKey.get(namespacedKey(obj));
      if (!t) return;
      if (old?.metadata?.uid) this.byUid.delete(old.metadata.uid);
      if (deleted) this.objects.delete(t.id);
      else {
        this.objects.set(t.id, obj);
        if (obj.metadata?.uid) this.byUid.set(obj.metadata.uid, t);
      }
      if (t.kind?.pods === 'selected') this.fileSelector(t, deleted ? undefined : obj);
      this.markDirty(t);
      // A new uid (recreated): its pods are now findable by owner.
      if (!deleted && obj.metadata?.uid !== old?.metadata?.uid && t.kind?.pods) {
        for (const p of this.podsByOwner.get(obj.metadata?.uid ?? '')?.values() ?? []) this.podTouched(p);
      }
    });
  }

  private watchPods(ns: string): void {
    const pods = this.feed({ resource: PODS, namespace: ns, optional: true }, (pod, old, deleted) => {
      const key = namespacedKey(pod);
      let byLabel = this.podsByLabel.get(ns);
      if (!byLabel) this.podsByLabel.set(ns, (byLabel = new PairIndex()));
      if (old) byLabel.delete(key, labelPairs(old.metadata?.labels));
      if (!deleted) byLabel.add(key, labelPairs(pod.metadata?.labels));
      for (const o of old?.metadata?.ownerReferences ?? []) this.podsByOwner.get(o.uid)?.delete(key);
      if (!deleted) {
        for (const o of pod.metadata?.ownerReferences ?? []) {
          let m = this.podsByOwner.get(o.uid);
          if (!m) this.podsByOwner.set(o.uid, (m = new Map()));
          m.set(key, pod);
        }
      } else if (pod.metadata?.uid) this.eventsByUid.delete(pod.metadata.uid);
      if (old && old !== pod) this.podTouched(old);
      this.podTouched(pod);
      // A pod going away may unblock an unschedulable one.
      if (pod.metadata?.deletionTimestamp || deleted) for (const t of this.tracked) if (t.ns === ns && t.readiness?.detail.includes(TERMINATING_NOTE)) this.markDirty(t);
    });
    this.podFeeds.set(ns, pods);
  }

  private watchEvents(ns: string): void {
    this.feed({ resource: EVENTS, namespace: ns, fieldSelector: 'involvedObject.kind=Pod,type=Warning', optional: true }, (ev, _old, deleted) => {
      const uid = (ev.involvedObject as { uid?: string } | undefined)?.uid;
      if (!uid) return;
      let m = this.eventsByUid.get(uid);
      if (deleted) m?.delete(namespacedKey(ev));
      else {
        if (!m) this.eventsByUid.set(uid, (m = new Map()));
        m.set(namespacedKey(ev), ev);
      }
      const pod = this.podFeeds.get(ns)?.cache.get(`${ns}/${(ev.involvedObject as { name?: string }).name ?? ''}`);
      if (pod && pod.metadata?.uid === uid) this.podTouched(pod);
    });
  }

  private watchEndpoints(ns: string): void {
    const feed = this.feed({ resource: this.useSlices ? SLICES : ENDPOINTS, namespace: ns, optional: true }, (ep, old, deleted) => {
      if (!this.useSlices) return this.markDirty(this.withEndpoints.get(`${ns}/${ep.metadata?.name ?? ''}`));
      const key = namespacedKey(ep);
      const oldService = old?.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (oldService !== undefined) this.slicesByService.get(`${ns}/${oldService}`)?.delete(key);
      const service = ep.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (service !== undefined && !deleted) {
        let m = this.slicesByService.get(`${ns}/${service}`);
        if (!m) this.slicesByService.set(`${ns}/${service}`, (m = new Map()));
        m.set(key, ep);
      }
      if (oldService !== undefined && oldService !== service) this.markDirty(this.withEndpoints.get(`${ns}/${oldService}`));
      this.markDirty(this.withEndpoints.get(`${ns}/${service ?? ''}`));
    });
    this.endpointFeeds.set(ns, feed);
  }

  /** A pod changed: the objects it concerns (itself, its owners, those selecting it) are re-evaluated. */
  private podTouched(pod: KubeObject): void {
    const ns = pod.metadata?.namespace ?? '';
    this.markDirty(this.trackedPods.get(`${ns}/${pod.metadata?.name}`));
    for (const o of pod.metadata?.ownerReferences ?? []) this.markDirty(this.byUid.get(o.uid));
    const labels = pod.metadata?.labels;
    for (const t of this.selecting.get(ns)?.lookup(labelPairs(labels)) ?? []) {
      if (this.selectors.get(t)?.selector.matches(labels)) this.markDirty(t);
    }
  }

  /** Files a selecting object under its live selector (none once deleted), replacing what it was filed under. */
  private fileSelector(t: Tracked, live: KubeObject | undefined): void {
    let index = this.selecting.get(t.ns);
    if (!index) this.selecting.set(t.ns, (index = new PairIndex()));
    const prev = this.selectors.get(t);
    if (prev) {
      index.delete(t, prev.pairs);
      this.selectors.delete(t);
    }
    const selector = live ? t.kind?.selector?.(live) : undefined;
    if (!selector) return;
    const pairs = anchorPairs(selector);
    index.add(t, pairs);
    this.selectors.set(t, { selector, pairs });
  }

  private manifestsIn(ns: string): KubeObject[] {
    if (!this.manifestsByNs) {
      this.manifestsByNs = new Map();
      for (const m of this.opts.manifests ?? []) {
        const at = m.metadata?.namespace ?? '';
        this.manifestsByNs.set(at, [...(this.manifestsByNs.get(at) ?? []), m]);
      }
    }
    return this.manifestsByNs.get(ns) ?? [];
  }

  /** What the object's readiness record reads besides the object: its pods, their events, its endpoints. */
  private relatedOf(t: Tracked, live: KubeObject | undefined): Related {
    if (!live || !t.kind?.pods) return {};
    const pods: KubeObject[] = [];
    if (t.kind.pods === 'self') pods.push(live);
    else if (t.kind.pods === 'selected') {
      const s = this.selectors.get(t);
      const cache = this.podFeeds.get(t.ns)?.cache;
      if (s && cache) {
        for (const key of this.podsByLabel.get(t.ns)?.lookup(s.pairs) ?? []) {
          const p = cache.get(key);
          if (p && s.selector.matches(p.metadata?.labels)) pods.push(p);
        }
      }
    } else pods.push(...(this.podsByOwner.get(live.metadata?.uid ?? '')?.values() ?? []));
    const events: KubeObject[] = [];
    for (const p of pods) events.push(...(this.eventsByUid.get(p.metadata?.uid ?? '')?.values() ?? []));
    const related: Related = { pods, events };
    if (t.kind.pods === 'selected') related.stackManifests = this.manifestsIn(t.ns);
    if (t.kind.endpoints) {
      const feed = this.endpointFeeds.get(t.ns);
      if (this.useSlices) related.endpointSlices = [...(this.slicesByService.get(t.objKey)?.values() ?? [])];
      else {
        const ep = feed?.cache.get(t.objKey);
        if (ep) related.endpoints = ep;
      }
    }
    return related;
  }

  // ---- the deadline ---------------------------------------------------------------------------

  private startDeadline(): void {
    this.opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    // Clamped to setTimeout's range (about 24.8 days): a longer delay would fire at once.
    this.timer = setTimeout(() => this.finish('timeout'), Math.min(Math.max(0, this.opts.timeoutMs), 2 ** 31 - 1));
  }

  private stopAll(): void {
    clearTimeout(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    for (const f of this.feeds) f.stop();
  }

  // ---- evaluation and fail-fast ---------------------------------------------------------------

  private markDirty(t: Tracked | undefined): void {
    if (!t || this.finishing) return;
    this.dirty.add(t);
    if (this.listed && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.evaluate());
    }
  }

  /** Re-evaluates the dirty objects; ends the wait at the first definite failure or when all are ready. */
  private evaluate(initial = false): void {
    this.scheduled = false;
    if (this.finishing) return;
    const changed: ObjectState[] = [];
    let failing = false;
    for (const t of this.dirty) {
      const r = this.judge(t);
      t.readiness = r;
      const status: ObjectStatus = r.ready ? 'ready' : 'waiting';
      if (status !== t.state.status || r.detail !== t.state.detail) {
        t.state = { ref: t.ref, id: t.id, status, detail: r.detail };
        changed.push(t.state);
      }
      if (r.failure !== undefined) failing = true;
    }
    this.dirty.clear();
    const report = initial ? this.tracked.map((t) => t.state) : changed;
    if (failing) return this.finish('failed', report);
    if (this.tracked.every((t) => t.state.status === 'ready')) return this.finish('ready', report);
    this.report(report, false);
  }

  /** The object's readiness; an unschedulable pod is not a failure yet while pods in its namespace terminate (they may free the room). */
  private judge(t: Tracked): Readiness {
    const live = this.objects.get(t.id);
    const r = readiness(live, this.relatedOf(t, live));
    if (r.ready || r.reason !== 'Unschedulable' || !this.terminatingPodsIn(t.ns)) return r;
    const { failure: _f, reason: _r, ...rest } = r;
    return { ...rest, detail: `${r.detail}; ${r.failure ?? 'Unschedulable'} (${TERMINATING_NOTE})` };
  }

  private terminatingPodsIn(ns: string): boolean {
    for (const p of this.podFeeds.get(ns)?.cache.values() ?? []) if (p.metadata?.deletionTimestamp) return true;
    return false;
  }

  // ---- progress -------------------------------------------------------------------------------

  /** Reports to onUpdate; false if it threw (the wait then rejects with its error). */
  private report(changed: ObjectState[], isDone: boolean): boolean {
    if (!this.opts.onUpdate || (changed.length === 0 && !isDone)) return true;
    try {
      this.opts.onUpdate({ objects: this.tracked.map((t) => t.state), changed, elapsedMs: this.elapsed(), done: isDone });
      return true;
    } catch (e) {
      if (isDone) this.rejectDone(e);
      else this.fatal(e);
      return false;
    }
  }

  // ---- the end and the summary ----------------------------------------------------------------

  /** Ends the wait: marks what failed or is left, fetches crash logs, reports once more. */
  private finish(why: Ending, changedSoFar: ObjectState[] = []): void {
    if (this.finishing) return;
    this.finishing = true;
    this.stopAll();
    this.settle(why, changedSoFar).then(
      (changed) => {
        if (this.report(changed, true)) this.resolveDone(this.result());
      },
      (e: unknown) => this.rejectDone(e),
    );
  }

  /** Each object not ready gets its final status (failed, with a crash log excerpt; timedOut; unfinished); returns the last changes. */
  private async settle(why: Ending, changedSoFar: ObjectState[]): Promise<ObjectState[]> {
    const changed = [...changedSoFar];
    const logs = new Map<Tracked, Promise<string | undefined>>();
    if (why === 'failed') {
      for (const t of this.tracked) if (t.readiness?.failure !== undefined && t.readiness.logsOf) logs.set(t, fetchLogs(this.client, t.readiness.logsOf, this.logLines));
    }
    for (const t of this.tracked) {
      if (t.state.status === 'ready') continue;
      const r = t.readiness;
      let next: ObjectState;
      if (why === 'failed' && r?.failure !== undefined) {
        const excerpt = await logs.get(t);
        next = { ...t.state, status: 'failed', failure: excerpt ? `${r.failure}\n${excerpt}` : r.failure };
      } else next = { ...t.state, status: why === 'timeout' ? 'timedOut' : 'unfinished' };
      t.state = next;
      changed.push(next);
    }
    return [...new Map(changed.map((c) => [c.id, c])).values()];
  }

  private fatal(e: unknown): void {
    if (this.finishing) return;
    this.finishing = true;
    this.stopAll();
    this.rejectDone(e);
  }

  private result(): WaitResult {
    const withStatus = (s: ObjectStatus) => this.tracked.filter((t) => t.state.status === s);
    return {
      ready: withStatus('ready').map((t) => t.ref),
      failed: withStatus('failed').map((t) => ({ ref: t.ref, reason: t.state.failure ?? t.state.detail })),
      timedOut: withStatus('timedOut').map((t) => ({ ref: t.ref, detail: t.state.detail })),
      unfinished: withStatus('unfinished').map((t) => ({ ref: t.ref, detail: t.state.detail })),
      aborted: this.opts.signal?.aborted ?? false,
      elapsedMs: this.elapsed(),
    };
  }
}

/**
 * waitForReady: after apply, watch what was applied until every object is ready (readiness.ts),
 * one definitely fails, or the timeout passes.
 *
 * Watches, not polling: per kind and namespace the applied objects themselves, and per namespace
 * as needed the pods (their ReplicaSets' and Services' pods), the Service endpoints (EndpointSlices
 * when the server serves them, else Endpoints) and the pods' Warning events (probe failures). Each
 * watch is list-then-watch from the list's resourceVersion, resumed after the server ends it and
 * relisted after 410 Expired; every change re-evaluates only the objects it concerns.
 *
 * Fail fast: an unschedulable pod or a container in CrashLoopBackOff / ImagePullBackOff / ...
 * stops the wait at once (with the last log lines of a crash-looping container); a pod merely
 * Pending or ContainerCreating gets the whole timeout. An unschedulable pod is not a failure yet
 * while pods in its namespace are terminating: they may free the room it needs (a replaced pod).
 */
import type { KubeObject } from '../api/meta.ts';
import { KubeApiError, type KubeClient, type ResourceRef, type WatchEvent } from '../kube/index.ts';
import { refId, type ObjectRef } from './plan.ts';
import { readiness, serviceSelector, type ContainerLogRef, type Readiness, type Related } from './readiness.ts';

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
const LOG_TIMEOUT_MS = 10_000;
const TERMINATING_NOTE = 'waiting for terminating pods to free resources';

// ---------------------------------------------------------------------------------------------
// list + watch of one resource, kept in a cache

type ChangeHandler = (obj: KubeObject, old: KubeObject | undefined, deleted: boolean) => void;

interface FeedSpec {
  resource: ResourceRef;
  namespace?: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Failures of an optional feed only lose information; of a required one, end the wait. */
  optional: boolean;
}

const MAX_CONSECUTIVE_FAILURES = 5;

class Feed {
  readonly cache = new Map<string, KubeObject>();
  #rv: string | undefined;
  #stopped = false;
  #session = 0;
  #failures = 0;
  #watchStop: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly spec: FeedSpec,
    private readonly onChange: ChangeHandler,
    private readonly onFatal: (e: unknown) => void,
  ) {}

  /** The first list; resolves when the cache holds it. */
  async start(): Promise<void> {
    try {
      await this.#relist();
    } catch (e) {
      if (this.spec.optional) {
        this.stop();
        return;
      }
      throw e;
    }
    this.#watch();
  }

  stop(): void {
    this.#stopped = true;
    this.#session++;
    clearTimeout(this.#retry);
    this.#watchStop?.();
    this.#watchStop = undefined;
  }

  async #relist(): Promise<void> {
    const { resource, namespace, fieldSelector, labelSelector } = this.spec;
    const list = await this.client.list(resource, {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
      ...(labelSelector ? { labelSelector } : {}),
    });
    if (this.#stopped) return;
    const seen = new Set<string>();
    for (const item of list.items) {
      // Lists carry no TypeMeta on their items.
      const obj = { ...item, apiVersion: item.apiVersion ?? apiVersionOf(resource), kind: item.kind ?? resource.kind } as KubeObject;
      const key = objKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.cache.set(key, obj);
      this.onChange(obj, old, false);
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.onChange(old, old, true);
    }
    this.#rv = list.metadata?.resourceVersion;
  }

  #watch(): void {
    if (this.#stopped) return;
    const session = ++this.#session;
    const { resource, namespace, fieldSelector, labelSelector } = this.spec;
    let expired = false;
    const w = this.client.watch(
      resource,
      {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
        ...(labelSelector ? { labelSelector } : {}),
        ...(this.#rv ? { resourceVersion: this.#rv } : {}),
        allowWatchBookmarks: true,
      },
      (event: WatchEvent) => {
        if (session !== this.#session) return;
        this.#failures = 0;
        const obj = event.object;
        if (event.type === 'ERROR') {
          expired = true; // 410 Expired and friends: start over from a fresh list
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.#rv = rv;
        if (event.type === 'BOOKMARK') return;
        const key = objKey(obj);
        const old = this.cache.get(key);
        if (event.type === 'DELETED') {
          this.cache.delete(key);
          this.onChange(obj, old, true);
        } else {
          this.cache.set(key, obj);
          this.onChange(obj, old, false);
        }
      },
    );
    this.#watchStop = w.stop;
    w.done.then(
      () => {
        if (session !== this.#session || this.#stopped) return;
        if (expired) this.#restart(0);
        else this.#watch(); // the server ended the watch (its timeout): resume where it stopped
      },
      (e: unknown) => {
        if (session !== this.#session || this.#stopped) return;
        if (e instanceof KubeApiError && e.code === 410) return this.#restart(0);
        this.#failures++;
        if (this.#failures > MAX_CONSECUTIVE_FAILURES) {
          if (this.spec.optional) this.stop();
          else this.onFatal(e);
          return;
        }
        this.#restart(Math.min(2000, 100 * 2 ** this.#failures));
      },
    );
  }

  #restart(delayMs: number): void {
    this.#session++;
    this.#retry = setTimeout(() => {
      if (this.#stopped) return;
      this.#relist().then(
        () => this.#watch(),
        (e: unknown) => {
          if (this.#stopped) return;
          this.#failures++;
          if (this.#failures > MAX_CONSECUTIVE_FAILURES) {
            if (this.spec.optional) this.stop();
            else this.onFatal(e);
          } else this.#restart(Math.min(2000, 100 * 2 ** this.#failures));
        },
      );
    }, delayMs);
  }
}

function objKey(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function apiVersionOf(r: ResourceRef): string {
  if ('apiVersion' in r && typeof r.apiVersion === 'string') return r.apiVersion;
  const g = r as { group?: string; version: string };
  return g.group ? `${g.group}/${g.version}` : g.version;
}

// ---------------------------------------------------------------------------------------------
// the wait

interface Tracked {
  ref: ObjectRef;
  id: string;
  /** The namespace the object lives in ('' for cluster-scoped). */
  ns: string;
  kindKey: string;
  objKey: string;
  state: ObjectState;
  readiness: Readiness | undefined;
}

const PODS: ResourceRef = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
const EVENTS: ResourceRef = { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true };
const ENDPOINTS: ResourceRef = { apiVersion: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true };
const SLICES: ResourceRef = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true };
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function isCore(ref: ObjectRef, kind: string): boolean {
  return ref.apiVersion === 'v1' && ref.kind === kind;
}
function needsPods(ref: ObjectRef): boolean {
  return isCore(ref, 'Pod') || isCore(ref, 'ReplicationController') || isCore(ref, 'Service') || (ref.apiVersion.startsWith('apps/') && ref.kind === 'ReplicaSet');
}

/**
 * Waits until every object in `refs` is ready, one fails for good, the timeout passes or the
 * signal aborts. Rejects only when the cluster cannot be watched (unreachable, forbidden).
 */
export async function waitForReady(client: KubeClient, refs: readonly ObjectRef[], opts: WaitOptions): Promise<WaitResult> {
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  const logLines = opts.logLines ?? DEFAULT_LOG_LINES;

  // One entry per object, in the order given.
  const tracked: Tracked[] = [];
  const byId = new Map<string, Tracked>();
  for (const ref of refs) {
    const id = refId(ref);
    if (byId.has(id)) continue;
    const t: Tracked = { ref, id, ns: '', kindKey: '', objKey: '', state: { ref, id, status: 'waiting', detail: 'waiting' }, readiness: undefined };
    byId.set(id, t);
    tracked.push(t);
  }
  const result = (): WaitResult => ({
    ready: tracked.filter((t) => t.state.status === 'ready').map((t) => t.ref),
    failed: tracked.filter((t) => t.state.status === 'failed').map((t) => ({ ref: t.ref, reason: t.state.failure ?? t.state.detail })),
    timedOut: tracked.filter((t) => t.state.status === 'timedOut').map((t) => ({ ref: t.ref, detail: t.state.detail })),
    unfinished: tracked.filter((t) => t.state.status === 'unfinished').map((t) => ({ ref: t.ref, detail: t.state.detail })),
    aborted: opts.signal?.aborted ?? false,
    elapsedMs: elapsed(),
  });
  if (tracked.length === 0) return result();
  if (opts.signal?.aborted) {
    for (const t of tracked) t.state = { ...t.state, status: 'unfinished', detail: 'not checked' };
    return result();
  }

  // Where each object lives, and which feeds that takes.
  const objectFeeds = new Map<string, FeedSpec>(); // kindKey → spec
  const podNamespaces = new Set<string>();
  const serviceNamespaces = new Set<string>();
  for (const t of tracked) {
    const res = await client.resourceFor(t.ref);
    const ns = res.namespaced ? (t.ref.namespace ?? client.target.namespace ?? 'default') : '';
    t.ns = ns;
    t.kindKey = `${t.ref.apiVersion}/${t.ref.kind}/${ns}`;
    t.objKey = `${ns}/${t.ref.name}`;
    if (!objectFeeds.has(t.kindKey)) {
      objectFeeds.set(t.kindKey, {
        resource: { apiVersion: t.ref.apiVersion, kind: t.ref.kind, plural: res.plural, namespaced: res.namespaced },
        ...(res.namespaced ? { namespace: ns } : {}),
        fieldSelector: `metadata.name=${t.ref.name}`,
        optional: false,
      });
    } else delete objectFeeds.get(t.kindKey)!.fieldSelector; // several of this kind here: watch them all
    if (needsPods(t.ref) && res.namespaced) podNamespaces.add(ns);
    if (isCore(t.ref, 'Service') && res.namespaced) serviceNamespaces.add(ns);
  }
  const useSlices = serviceNamespaces.size > 0 && (await client.discover()).forKind('discovery.k8s.io', 'v1', 'EndpointSlice') !== undefined;

  // Indexes over the related objects.
  const trackedByKind = new Map<string, Map<string, Tracked>>(); // kindKey → objKey → tracked
  for (const t of tracked) {
    let m = trackedByKind.get(t.kindKey);
    if (!m) trackedByKind.set(t.kindKey, (m = new Map()));
    m.set(t.objKey, t);
  }
  const objects = new Map<string, KubeObject>(); // id → live object
  const byUid = new Map<string, Tracked>(); // live uid → tracked (owners of pods)
  const servicesIn = new Map<string, Tracked[]>(); // ns → tracked Services
  for (const t of tracked) {
    if (!isCore(t.ref, 'Service')) continue;
    const list = servicesIn.get(t.ns) ?? [];
    list.push(t);
    servicesIn.set(t.ns, list);
  }
  const podFeeds = new Map<string, Feed>(); // ns → pods
  const podsByOwner = new Map<string, Map<string, KubeObject>>(); // owner uid → podKey → pod
  const eventsByUid = new Map<string, Map<string, KubeObject>>(); // involved uid → event key → event
  const endpointFeeds = new Map<string, Feed>(); // ns → endpoints / slices

  // Evaluation, batched: changes mark objects dirty, one turn later they are re-evaluated.
  const dirty = new Set<Tracked>();
  let scheduled = false;
  let ready = false; // initial lists done
  let finishing = false;
  let resolveDone!: (r: WaitResult) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<WaitResult>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });

  const markDirty = (t: Tracked | undefined) => {
    if (!t || finishing) return;
    dirty.add(t);
    if (ready && !scheduled) {
      scheduled = true;
      setImmediate(() => evaluate());
    }
  };
  const podTouched = (pod: KubeObject) => {
    const ns = pod.metadata?.namespace ?? '';
    markDirty(trackedByKind.get(`v1/Pod/${ns}`)?.get(`${ns}/${pod.metadata?.name}`));
    for (const o of pod.metadata?.ownerReferences ?? []) markDirty(byUid.get(o.uid));
    for (const svc of servicesIn.get(ns) ?? []) {
      const live = objects.get(svc.id);
      if (live && serviceSelector(live)?.matches(pod.metadata?.labels)) markDirty(svc);
    }
  };

  const relatedOf = (t: Tracked, live: KubeObject | undefined): Related => {
    if (!live || !needsPods(t.ref)) return {};
    const pods: KubeObject[] = [];
    if (isCore(t.ref, 'Pod')) pods.push(live);
    else if (isCore(t.ref, 'Service')) {
      const sel = serviceSelector(live);
      if (sel) for (const p of podFeeds.get(t.ns)?.cache.values() ?? []) if (sel.matches(p.metadata?.labels)) pods.push(p);
    } else pods.push(...(podsByOwner.get(live.metadata?.uid ?? '')?.values() ?? []));
    const events: KubeObject[] = [];
    for (const p of pods) events.push(...(eventsByUid.get(p.metadata?.uid ?? '')?.values() ?? []));
    const related: Related = { pods, events };
    if (isCore(t.ref, 'Service')) {
      const feed = endpointFeeds.get(t.ns);
      if (useSlices) related.endpointSlices = [...(feed?.cache.values() ?? [])].filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === t.ref.name);
      else {
        const ep = feed?.cache.get(t.objKey);
        if (ep) related.endpoints = ep;
      }
    }
    return related;
  };

  const terminatingPodsIn = (ns: string): boolean => {
    for (const p of podFeeds.get(ns)?.cache.values() ?? []) if (p.metadata?.deletionTimestamp) return true;
    return false;
  };

  /** Reports to onUpdate; false if it threw (the wait then rejects with its error). */
  const emit = (changed: ObjectState[], isDone: boolean): boolean => {
    if (!opts.onUpdate || (changed.length === 0 && !isDone)) return true;
    try {
      opts.onUpdate({ objects: tracked.map((t) => t.state), changed, elapsedMs: elapsed(), done: isDone });
      return true;
    } catch (e) {
      if (isDone) rejectDone(e);
      else fatal(e);
      return false;
    }
  };

  const evaluate = (initial = false) => {
    scheduled = false;
    if (finishing) return;
    const changed: ObjectState[] = [];
    const failing: Tracked[] = [];
    for (const t of dirty) {
      const live = objects.get(t.id);
      let r = readiness(live, relatedOf(t, live));
      if (!r.ready && r.reason === 'Unschedulable' && terminatingPodsIn(t.ns)) {
        const { failure: _f, reason: _r, ...rest } = r;
        r = { ...rest, detail: `${r.detail}; ${r.failure ?? 'Unschedulable'} (${TERMINATING_NOTE})` };
      }
      t.readiness = r;
      const status: ObjectStatus = r.ready ? 'ready' : 'waiting';
      if (status !== t.state.status || r.detail !== t.state.detail) {
        t.state = { ref: t.ref, id: t.id, status, detail: r.detail };
        changed.push(t.state);
      }
      if (r.failure !== undefined) failing.push(t);
    }
    dirty.clear();
    const report = initial ? tracked.map((t) => t.state) : changed;
    if (failing.length > 0) return finish('failed', report);
    if (tracked.every((t) => t.state.status === 'ready')) return finish('ready', report);
    emit(report, false);
  };

  const stopAll = () => {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    for (const f of feeds) f.stop();
  };

  /** Ends the wait: marks what failed or is left, fetches crash logs, reports once more. */
  const finish = (why: 'ready' | 'failed' | 'timeout' | 'aborted', changedSoFar: ObjectState[] = []) => {
    if (finishing) return;
    finishing = true;
    stopAll();
    void (async () => {
      const changed = [...changedSoFar];
      const logs = new Map<Tracked, Promise<string | undefined>>();
      if (why === 'failed') {
        for (const t of tracked) if (t.readiness?.failure !== undefined && t.readiness.logsOf) logs.set(t, fetchLogs(client, t.readiness.logsOf, logLines));
      }
      for (const t of tracked) {
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
      const last = new Map(changed.map((c) => [c.id, c]));
      if (emit([...last.values()], true)) resolveDone(result());
    })().catch((e: unknown) => rejectDone(e));
  };

  const fatal = (e: unknown) => {
    if (finishing) return;
    finishing = true;
    stopAll();
    rejectDone(e);
  };

  // The feeds.
  const feeds: Feed[] = [];
  for (const [kindKey, spec] of objectFeeds) {
    const byKey = trackedByKind.get(kindKey)!;
    feeds.push(
      new Feed(
        client,
        spec,
        (obj, old, deleted) => {
          const t = byKey.get(objKey(obj));
          if (!t) return;
          if (old?.metadata?.uid) byUid.delete(old.metadata.uid);
          if (deleted) objects.delete(t.id);
          else {
            objects.set(t.id, obj);
            if (obj.metadata?.uid) byUid.set(obj.metadata.uid, t);
          }
          markDirty(t);
          // A new uid (recreated): its pods are now findable by owner.
          if (!deleted && obj.metadata?.uid !== old?.metadata?.uid && needsPods(t.ref)) {
            for (const p of podsByOwner.get(obj.metadata?.uid ?? '')?.values() ?? []) podTouched(p);
          }
        },
        fatal,
      ),
    );
  }
  for (const ns of podNamespaces) {
    const pods = new Feed(
      client,
      { resource: PODS, namespace: ns, optional: true },
      (pod, old, deleted) => {
        const key = objKey(pod);
        for (const o of old?.metadata?.ownerReferences ?? []) podsByOwner.get(o.uid)?.delete(key);
        if (!deleted) {
          for (const o of pod.metadata?.ownerReferences ?? []) {
            let m = podsByOwner.get(o.uid);
            if (!m) podsByOwner.set(o.uid, (m = new Map()));
            m.set(key, pod);
          }
        } else if (pod.metadata?.uid) eventsByUid.delete(pod.metadata.uid);
        if (old && old !== pod) podTouched(old);
        podTouched(pod);
        // A pod going away may unblock an unschedulable one.
        if (pod.metadata?.deletionTimestamp || deleted) for (const t of tracked) if (t.ns === ns && t.readiness?.detail.includes(TERMINATING_NOTE)) markDirty(t);
      },
      fatal,
    );
    podFeeds.set(ns, pods);
    feeds.push(pods);
    feeds.push(
      new Feed(
        client,
        { resource: EVENTS, namespace: ns, fieldSelector: 'involvedObject.kind=Pod,type=Warning', optional: true },
        (ev, _old, deleted) => {
          const uid = (ev.involvedObject as { uid?: string } | undefined)?.uid;
          if (!uid) return;
          let m = eventsByUid.get(uid);
          if (deleted) m?.delete(objKey(ev));
          else {
            if (!m) eventsByUid.set(uid, (m = new Map()));
            m.set(objKey(ev), ev);
          }
          const pod = podFeeds.get(ns)?.cache.get(`${ns}/${(ev.involvedObject as { name?: string }).name ?? ''}`);
          if (pod && pod.metadata?.uid === uid) podTouched(pod);
        },
        fatal,
      ),
    );
  }
  for (const ns of serviceNamespaces) {
    if (!(servicesIn.get(ns) ?? []).length) continue;
    const feed = new Feed(
      client,
      { resource: useSlices ? SLICES : ENDPOINTS, namespace: ns, optional: true },
      (ep) => {
        const name = useSlices ? ep.metadata?.labels?.[SERVICE_NAME_LABEL] : ep.metadata?.name;
        markDirty(trackedByKind.get(`v1/Service/${ns}`)?.get(`${ns}/${name ?? ''}`));
      },
      fatal,
    );
    endpointFeeds.set(ns, feed);
    feeds.push(feed);
  }

  const onAbort = () => finish('aborted');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => finish('timeout'), Math.max(0, opts.timeoutMs));

  try {
    await Promise.all(feeds.map((f) => f.start()));
  } catch (e) {
    fatal(e);
    return done;
  }
  if (!finishing) {
    ready = true;
    for (const t of tracked) dirty.add(t);
    evaluate(true); // the first update reports every object
  }
  return done;
}

// ---------------------------------------------------------------------------------------------
// logs

/** The last lines a (crash-looping) container wrote, formatted for a failure message. */
async function fetchLogs(client: KubeClient, c: ContainerLogRef, lines: number): Promise<string | undefined> {
  const path = `/api/v1/namespaces/${encodeURIComponent(c.namespace)}/pods/${encodeURIComponent(c.pod)}/log`;
  const get = (previous: boolean) =>
    client.request('GET', path, {
      query: { container: c.container, tailLines: lines, ...(previous ? { previous: true } : {}) },
      accept: 'text/plain, */*',
      timeoutMs: LOG_TIMEOUT_MS,
    });
  let text: unknown;
  let previous = c.previous;
  try {
    text = await get(previous);
  } catch (e) {
    if (!previous) return `(logs unavailable: ${(e as Error).message})`;
    try {
      previous = false;
      text = await get(false);
    } catch (e2) {
      return `(logs unavailable: ${(e2 as Error).message})`;
    }
  }
  const body = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
  const all = body.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const which = `${c.pod}/${c.container}${previous ? ', previous run' : ''}`;
  if (all.trim() === '') return `(no log output from ${which})`;
  const tail = all.split('\n').slice(-lines);
  return [`last log lines (${which}):`, ...tail.map((l) => `  ${l}`)].join('\n');
}

/**
 * The scheduler's cache (k/k pkg/scheduler/backend/cache): per node, the sum of what its pods
 * request, their host ports and their spreading groups, updated incrementally from pod and
 * node events and from the scheduler's own decisions ("assumed" pods, counted from the moment
 * they are chosen until the binding is seen or fails). A decision therefore costs O(nodes),
 * never O(pods).
 */
import { PairIndex, anchorPairs, labelPairs } from '../../lib/api/label-index.ts';
import { selectorFromSet, type Selector } from '../../lib/api/selector.ts';
import type { Node, Pod, Service } from '../../lib/api/model.ts';
import { keyOf } from '../client/informer.ts';
import { emptyResources, type NodeInfo, type PodInfo } from './framework.ts';
import { addResources, makePodInfo, resourcesOf } from './pod-info.ts';

/** Controllers whose pods are spread (DefaultSelector: ReplicationController, ReplicaSet, StatefulSet). */
const SPREAD_OWNER_KINDS = new Set(['ReplicationController', 'ReplicaSet', 'StatefulSet']);

interface CachedPod {
  info: PodInfo;
  node: string;
  /** Chosen by this scheduler, binding not yet observed. */
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodeInfos = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, CachedPod>();
  /**
   * namespace → the selectors of its Services with a non-empty selector, by name, and the names
   * indexed by selector pair: a pod's Services are found among those sharing one of its labels,
   * not by matching every Service of the namespace (thousands in one namespace made it quadratic).
   */
  private readonly services = new Map<string, { selectors: Map<string, Selector>; index: PairIndex<string> }>();
  /** Cached pod keys by label pair (the pods a changed Service may regroup), with the pairs each was filed under. */
  private readonly podIndex = new PairIndex<string>();
  private readonly podPairs = new Map<string, string[]>();
  private nodeListCache: NodeInfo[] | undefined;

  // ------------------------------------------------------------------------------- nodes

  /** The nodes the scheduler can place pods on (those whose Node object is known). */
  nodeList(): NodeInfo[] {
    if (!this.nodeListCache) {
      this.nodeListCache = [...this.nodeInfos.values()].filter((n) => n.node !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    return this.nodeListCache;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodeInfos.get(name);
  }

  setNode(node: Node): void {
    const info = this.ensureNode(node.metadata.name ?? '');
    info.node = node;
    const alloc = resourcesOf(node.status?.allocatable ?? node.status?.capacity);
    const podsQ = node.status?.allocatable?.pods ?? node.status?.capacity?.pods;
    info.allocatable = { ...alloc, pods: podsQ === undefined ? 0 : Number(podsQ) || 0 };
    info.labels = node.metadata.labels ?? {};
    info.taints = node.spec?.taints ?? [];
    info.unschedulable = !!node.spec?.unschedulable;
    this.nodeListCache = undefined;
  }

  removeNode(name: string): void {
    const info = this.nodeInfos.get(name);
    if (!info) return;
    info.node = undefined;
    if (info.pods.size === 0) this.nodeInfos.delete(name);
    this.nodeListCache = undefined;
  }

  private ensureNode(name: string): NodeInfo {
    let info = this.nodeInfos.get(name);
    if (!info) {
      info = {
        name,
        node: undefined,
        allocatable: { ...emptyResources(), pods: 0 },
        requested: emptyResources(),
        nonZeroRequested: { milliCPU: 0, memory: 0 },
        pods: new Map(),
        usedPorts: new Map(),
        spread: new Map(),
        spreadByGroup: new Map(),
        labels: {},
        taints: [],
        unschedulable: false,
      };
      this.nodeInfos.set(name, info);
    }
    return info;
  }

  // ------------------------------------------------------------------------------- pods

  /** A pod that is bound (or seen bound): counted on its node until removed. */
  addPod(pod: Pod): void {
    const key = keyOf(pod);
    const node = pod.spec.nodeName ?? '';
    const existing = this.pods.get(key);
    if (existing) {
      // The binding of an assumed pod was observed (or the pod changed): replace its entry.
      this.unaccount(existing);
    }
    const info = makePodInfo(pod, this.groupsOf(pod));
    const entry: CachedPod = { info, node, assumed: false };
    this.pods.set(key, entry);
    this.fileLabels(key, pod);
    this.account(entry);
  }

  removePod(pod: Pod): void {
    const key = keyOf(pod);
    const existing = this.pods.get(key);
    if (!existing) return;
    if (existing.info.uid !== pod.metadata.uid) return;
    this.unaccount(existing);
    this.pods.delete(key);
    this.unfileLabels(key);
  }

  hasPod(key: string): boolean {
    return this.pods.has(key);
  }

  /** The scheduler chose `node` for the pod: count it there now (AssumePod). */
  assume(info: PodInfo, node: string): void {
    const existing = this.pods.get(info.key);
    if (existing) this.unaccount(existing);
    const entry: CachedPod = { info, node, assumed: true };
    this.pods.set(info.key, entry);
    this.fileLabels(info.key, info.pod);
    this.account(entry);
  }

  /** The binding failed: forget the assumption unless the pod was meanwhile seen bound. */
  forget(key: string, uid: string): void {
    const existing = this.pods.get(key);
    if (!existing || !existing.assumed || existing.info.uid !== uid) return;
    this.unaccount(existing);
    this.pods.delete(key);
    this.unfileLabels(key);
  }

  private account(entry: CachedPod, sign = 1): void {
    const n = this.ensureNode(entry.node);
    const p = entry.info;
    if (sign > 0) n.pods.set(p.key, p);
    else n.pods.delete(p.key);
    addResources(n.requested, p.requests, sign);
    n.nonZeroRequested.milliCPU += sign * p.nonZero.milliCPU;
    n.nonZeroRequested.memory += sign * p.nonZero.memory;
    for (const hp of p.hostPorts) {
      const k = `${hp.protocol}/${hp.port}`;
      let ips = n.usedPorts.get(k);
      if (!ips) n.usedPorts.set(k, (ips = new Map()));
      const c = (ips.get(hp.hostIP) ?? 0) + sign;
      if (c <= 0) ips.delete(hp.hostIP);
      else ips.set(hp.hostIP, c);
      if (ips.size === 0) n.usedPorts.delete(k);
    }
    // Terminating pods keep their resources until they are gone but no longer count for spreading.
    if (p.signature && !p.terminating) {
      let s = n.spread.get(p.signature);
      if (!s) {
        n.spread.set(p.signature, (s = { groups: p.groups, count: 0 }));
        for (const g of p.groups) {
          let sigs = n.spreadByGroup.get(g);
          if (!sigs) n.spreadByGroup.set(g, (sigs = new Set()));
          sigs.add(p.signature);
        }
      }
      s.count += sign;
      if (s.count <= 0) {
        n.spread.delete(p.signature);
        for (const g of s.groups) {
          const sigs = n.spreadByGroup.get(g);
          sigs?.delete(p.signature);
          if (sigs?.size === 0) n.spreadByGroup.delete(g);
        }
      }
    }
    if (sign < 0 && n.pods.size === 0 && n.node === undefined) this.nodeInfos.delete(n.name);
  }

  private unaccount(entry: CachedPod): void {
    this.account(entry, -1);
  }

  // ------------------------------------------------------------------------------- spreading

  /**
   * The pod's spreading groups (helper.DefaultSelector's sources): its controller (RC, RS,
   * StatefulSet) and the Services in its namespace whose selector matches its labels.
   */
  groupsOf(pod: Pod): string[] {
    const groups: string[] = [];
    for (const ref of pod.metadata.ownerReferences ?? []) {
      if (ref.controller && SPREAD_OWNER_KINDS.has(ref.kind)) groups.push(`ctl:${ref.uid}`);
    }
    const svcs = this.services.get(pod.metadata.namespace ?? '');
    if (svcs) {
      const labels = pod.metadata.labels ?? {};
      const names = [...svcs.index.lookup(labelPairs(labels))].sort();
      for (const name of names) if (svcs.selectors.get(name)?.matches(labels)) groups.push(`svc:${pod.metadata.namespace}/${name}`);
    }
    return groups;
  }

  private fileLabels(key: string, pod: Pod): void {
    this.unfileLabels(key);
    const pairs = labelPairs(pod.metadata.labels);
    this.podPairs.set(key, pairs);
    this.podIndex.add(key, pairs);
  }

  private unfileLabels(key: string): void {
    const pairs = this.podPairs.get(key);
    if (!pairs) return;
    this.podPairs.delete(key);
    this.podIndex.delete(key, pairs);
  }

  /** Pods on `node` (not terminating) in every one of `groups`. */
  countMatching(node: NodeInfo, groups: readonly string[]): number {
    if (groups.length === 0) return 0;
    let n = 0;
    for (const signature of node.spreadByGroup.get(groups[0]!) ?? []) {
      const s = node.spread.get(signature)!;
      if (s.groups.length < groups.length) continue;
      let all = true;
      for (const g of groups) {
        if (!s.groups.includes(g)) {
          all = false;
          break;
        }
      }
      if (all) n += s.count;
    }
    return n;
  }

  setService(svc: Service): void {
    const ns = svc.metadata.namespace ?? '';
    const name = svc.metadata.name ?? '';
    const selector = svc.spec?.selector;
    const old = this.forgetSelector(ns, name);
    let fresh: Selector | undefined;
    if (selector && Object.keys(selector).length > 0 && svc.spec?.type !== 'ExternalName') {
      let m = this.services.get(ns);
      if (!m) this.services.set(ns, (m = { selectors: new Map(), index: new PairIndex() }));
      fresh = selectorFromSet(selector);
      m.selectors.set(name, fresh);
      m.index.add(name, anchorPairs(fresh));
    }
    this.regroup(ns, [old, fresh]);
  }

  removeService(svc: Service): void {
    const ns = svc.metadata.namespace ?? '';
    this.regroup(ns, [this.forgetSelector(ns, svc.metadata.name ?? '')]);
  }

  private forgetSelector(ns: string, name: string): Selector | undefined {
    const m = this.services.get(ns);
    const old = m?.selectors.get(name);
    if (!m || !old) return undefined;
    m.selectors.delete(name);
    m.index.delete(name, anchorPairs(old));
    return old;
  }

  /** A Service changed in `ns`: recompute the groups of the pods its old or new selector matches. */
  private regroup(ns: string, selectors: readonly (Selector | undefined)[]): void {
    const keys = new Set<string>();
    for (const sel of selectors) if (sel) for (const k of this.podIndex.lookup(anchorPairs(sel))) keys.add(k);
    for (const key of keys) {
      const entry = this.pods.get(key);
      if (!entry || entry.info.namespace !== ns) continue;
      const groups = this.groupsOf(entry.info.pod).sort();
      const signature = groups.join('\n');
      if (signature === entry.info.signature) continue;
      this.unaccount(entry);
      entry.info = { ...entry.info, groups, signature };
      this.account(entry);
    }
  }
}

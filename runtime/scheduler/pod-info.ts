/**
 * What the scheduler reads from a pod: its resource request as NodeResourcesFit computes it
 * (k/k pkg/api/v1/resource PodRequests: Σ containers, max with each init container, restartable
 * init containers — sidecars — added to the sum), the non-zero variant used for scoring
 * (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest), host ports and tolerations.
 */
import { parseQuantity } from '../../lib/api/quantity.ts';
import type { Container, Pod } from '../../lib/api/model.ts';
import { keyOf } from '../client/informer.ts';
import { emptyResources, type HostPort, type PodInfo, type Resources } from './framework.ts';

/** schedutil.DefaultMilliCPURequest: 0.1 core for a container without a CPU request (scoring). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** schedutil.DefaultMemoryRequest: 200 MiB for a container without a memory request (scoring). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const quantityCache = new Map<string, { milli: number; value: number }>();

/** A quantity's milli value and value, memoized (pods of one template repeat the same strings). */
export function quantityOf(v: unknown): { milli: number; value: number } {
  const s = String(v);
  let q = quantityCache.get(s);
  if (!q) {
    try {
      const parsed = parseQuantity(s);
      q = { milli: Number(parsed.milliValue()), value: Number(parsed.value()) };
    } catch {
      q = { milli: 0, value: 0 };
    }
    if (quantityCache.size > 10_000) quantityCache.clear();
    quantityCache.set(s, q);
  }
  return q;
}

/** A ResourceList as Resources (cpu in milli, the rest as integer values; `pods` ignored). */
export function resourcesOf(list: Readonly<Record<string, string>> | undefined): Resources {
  const r = emptyResources();
  if (!list) return r;
  for (const [name, v] of Object.entries(list)) {
    if (v === undefined || v === null) continue;
    switch (name) {
      case 'cpu':
        r.milliCPU = quantityOf(v).milli;
        break;
      case 'memory':
        r.memory = quantityOf(v).value;
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage = quantityOf(v).value;
        break;
      case 'pods':
        break;
      default:
        (r.scalar ??= new Map()).set(name, quantityOf(v).value);
    }
  }
  return r;
}

export function addResources(into: Resources, r: Resources, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  if (r.scalar) for (const [k, v] of r.scalar) (into.scalar ??= new Map()).set(k, (into.scalar.get(k) ?? 0) + sign * v);
}

function maxResources(into: Resources, r: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  if (r.scalar) for (const [k, v] of r.scalar) (into.scalar ??= new Map()).set(k, Math.max(into.scalar.get(k) ?? 0, v));
}

function copyResources(r: Resources): Resources {
  return { ...r, scalar: r.scalar ? new Map(r.scalar) : undefined };
}

function isRestartable(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** PodRequests, with `nonMissing` defaults for containers that request no CPU / memory. */
function podRequests(pod: Pod, nonMissing: boolean): Resources {
  const containerReq = (c: Container): Resources => {
    const r = resourcesOf(c.resources?.requests);
    if (nonMissing) {
      const req = c.resources?.requests ?? {};
      if (req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
      if (req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  };
  const reqs = emptyResources();
  for (const c of pod.spec.containers) addResources(reqs, containerReq(c));
  const restartableInit = emptyResources();
  const initMax = emptyResources();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerReq(c);
    if (isRestartable(c)) {
      addResources(reqs, r);
      addResources(restartableInit, r);
    } else {
      // An init container runs beside the sidecars started before it.
      const tmp = copyResources(r);
      addResources(tmp, restartableInit);
      maxResources(initMax, tmp);
    }
  }
  maxResources(reqs, initMax);
  return reqs;
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const list of [pod.spec.initContainers, pod.spec.containers]) {
    for (const c of list ?? []) {
      if (list === pod.spec.initContainers && !isRestartable(c)) continue;
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        out.push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
      }
    }
  }
  return out;
}

/** The scheduler's view of a pod; `groups` are filled in by the cache (they need the Services). */
export function makePodInfo(pod: Pod, groups: string[] = []): PodInfo {
  const sorted = [...groups].sort();
  const nonZero = podRequests(pod, true);
  return {
    key: keyOf(pod),
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    pod,
    requests: podRequests(pod, false),
    nonZero: { milliCPU: nonZero.milliCPU, memory: nonZero.memory },
    hostPorts: hostPortsOf(pod),
    groups: sorted,
    signature: sorted.join('\n'),
    terminating: !!pod.metadata.deletionTimestamp,
  };
}


/**
 * A pod's quality-of-service class (k/k pkg/apis/core/helper/qos/qos.go ComputePodQOS): the API
 * server records it in status.qosClass on create, kubectl describe prints it, and a kubelet
 * orders evictions by it. One function, used by all.
 */
import { asArr, asObj } from './kinds/fields.ts';
import type { PodLike } from './pod-status.ts';
import { unmarshalQuantity, type Quantity } from './quantity.ts';

import type { PodQOSClass } from './kinds/status.ts';

export type { PodQOSClass };


function positiveQuantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    const q = unmarshalQuantity(v);
    return q.sign() > 0 ? q : undefined;
  } catch {
    return undefined;
  }
}

/**
 * qos.ComputePodQOS: BestEffort when no container requests or limits a positive amount of cpu
 * or memory; Guaranteed when every container limits both and every request equals its limit;
 * else Burstable. Other resources (ephemeral-storage, extended resources) and zero quantities
 * do not count. Pod-level resources are behind a feature gate that is off in 1.32.
 */
export function qosClass(pod: PodLike): PodQOSClass {
  const spec = asObj(pod.spec) ?? {};
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const all = [...asArr(spec.containers), ...asArr(spec.initContainers)].map((c) => asObj(c) ?? {});
  for (const c of all) {
    const resources = asObj(c.resources) ?? {};
    for (const [name, v] of Object.entries(asObj(resources.requests) ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = positiveQuantity(v);
      if (q) requests.set(name, requests.has(name) ? requests.get(name)!.add(q) : q);
    }
    const found = new Set<string>();
    for (const [name, v] of Object.entries(asObj(resources.limits) ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = positiveQuantity(v);
      if (!q) continue;
      found.add(name);
      limits.set(name, limits.has(name) ? limits.get(name)!.add(q) : q);
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

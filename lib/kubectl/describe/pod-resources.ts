/**
 * A pod's effective requests and limits (k8s.io/component-helpers/resource PodRequests /
 * PodLimits): the containers' sum, at least the largest init container (sidecars counted
 * alongside), plus the pod overhead for requests.
 */
import type { Obj } from '../../api/kinds/fields.ts';
import type { Quantity } from '../../api/quantity.ts';
import { arr, obj, quantity } from './fields.ts';

export type ResourceList = Map<string, Quantity>;

function addResourceList(list: ResourceList, add: Obj): void {
  for (const [name, v] of Object.entries(add)) {
    const q = quantity(v);
    if (!q) continue;
    const cur = list.get(name);
    list.set(name, cur ? cur.add(q) : q);
  }
}

function addLists(list: ResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const cur = list.get(name);
    list.set(name, cur ? cur.add(q) : q);
  }
}

function maxResourceList(list: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const cur = list.get(name);
    if (!cur || q.cmp(cur) > 0) list.set(name, q);
  }
}

function aggregate(pod: Obj, field: 'requests' | 'limits'): ResourceList {
  const spec = obj(pod.spec);
  const out: ResourceList = new Map();
  for (const c of arr(spec.containers)) addResourceList(out, obj(obj(c.resources)[field]));
  const restartable: ResourceList = new Map();
  const init: ResourceList = new Map();
  for (const c of arr(spec.initContainers)) {
    const own: ResourceList = new Map();
    addResourceList(own, obj(obj(c.resources)[field]));
    let effective: ResourceList;
    if (c.restartPolicy === 'Always') {
      addLists(out, own);
      addLists(restartable, own);
      effective = restartable;
    } else {
      effective = new Map(own);
      addLists(effective, restartable);
    }
    maxResourceList(init, effective);
  }
  maxResourceList(out, init);
  return out;
}

export function podRequests(pod: Obj): ResourceList {
  const reqs = aggregate(pod, 'requests');
  const overhead = obj(obj(pod.spec).overhead);
  if (Object.keys(overhead).length > 0) addResourceList(reqs, overhead);
  return reqs;
}

export function podLimits(pod: Obj): ResourceList {
  return aggregate(pod, 'limits');
}

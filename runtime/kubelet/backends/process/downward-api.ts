/**
 * `valueFrom.fieldRef` and `valueFrom.resourceFieldRef` values as the kubelet computes them
 * (k/k kubelet_pods.go podFieldSelectorRuntimeValue, pkg/fieldpath ExtractFieldPathAsString,
 * pkg/api/v1/resource ExtractContainerResourceValue, and defaultPodLimitsForDownwardAPI: a
 * limit left unset reads as the node's allocatable amount).
 */
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from '../../../../lib/api/model.ts';
import { parseQuantity } from '../../../../lib/api/quantity.ts';

export type Resolved = { ok: true; value: string } | { ok: false; message: string };

/** Where the pod runs, which the pod object may not say yet when its first container starts. */
export interface PodWhereabouts {
  podIP: string;
  hostIP: string;
  nodeName: string;
}

export function fieldRefValue(ref: ObjectFieldSelector, pod: Pod, where: PodWhereabouts): Resolved {
  const path = ref.fieldPath;
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (sub) {
    const map = sub[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return { ok: true, value: map?.[sub[2]!] ?? '' };
  }
  const value: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName || where.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    // One address per family; a pod of ours has one of each at most.
    'status.hostIP': where.hostIP,
    'status.hostIPs': where.hostIP,
    'status.podIP': where.podIP,
    'status.podIPs': where.podIP,
  };
  if (!Object.hasOwn(value, path)) return { ok: false, message: `unsupported fieldPath: ${path}` };
  return { ok: true, value: value[path] ?? '' };
}

/** Resources a limit may default from (cpu, memory, ephemeral-storage; hugepages never). */
const DEFAULTED_FROM_ALLOCATABLE = ['cpu', 'memory', 'ephemeral-storage'];

export function resourceFieldRefValue(ref: ResourceFieldSelector, pod: Pod, container: Container, allocatable: Record<string, string>): Resolved {
  let target = container;
  if (ref.containerName) {
    const found = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === ref.containerName);
    if (!found) return { ok: false, message: `container ${ref.containerName} not found` };
    target = found;
  }
  const [kind, name] = splitResource(ref.resource);
  if (!kind || !(DEFAULTED_FROM_ALLOCATABLE.includes(name) || name.startsWith('hugepages-'))) {
    return { ok: false, message: `unsupported container resource : ${ref.resource}` };
  }
  let amount = target.resources?.[kind]?.[name];
  if (amount === undefined && kind === 'limits' && DEFAULTED_FROM_ALLOCATABLE.includes(name)) amount = allocatable[name];
  const q = parseQuantity(amount ?? '0');
  const divisor = ref.divisor === undefined || parseQuantity(ref.divisor).isZero() ? parseQuantity('1') : parseQuantity(ref.divisor);
  // convertResourceCPUToString works in millis, the byte resources in whole units; both round up.
  const [n, d] = name === 'cpu' ? [q.milliValue(), divisor.milliValue()] : [q.value(), divisor.value()];
  return { ok: true, value: String(ceilDiv(n, d)) };
}

function splitResource(resource: string): ['limits' | 'requests' | undefined, string] {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  return [kind === 'limits' || kind === 'requests' ? kind : undefined, resource.slice(dot + 1)];
}

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n || n < 0n ? q : q + 1n;
}

import type { Container, PodSpec } from '../api/model.ts';
import type { KubeObject } from '../api/meta.ts';

/** A pod spec inside an object, with the field path it sits at. */
export interface PodSpecAt {
  path: string;
  spec: PodSpec;
}

/** A container of a pod spec, with its field path (`spec.template.spec.containers[0]`). */
export interface ContainerAt {
  path: string;
  container: Container;
}

/**
 * The pod specs an object carries: a Pod's own spec, or the pod template of a workload
 * (ReplicaSet, ReplicationController, Deployment, and any kind with `spec.template.spec`, as
 * Kubernetes' PodTemplateSpec is laid out the same in all of them).
 */
export function podSpecsOf(object: KubeObject): PodSpecAt[] {
  const spec = object.spec as { template?: { spec?: PodSpec } } | undefined;
  if (!spec || typeof spec !== 'object') return [];
  if (object.kind === 'Pod') return [{ path: 'spec', spec: spec as PodSpec }];
  const template = spec.template?.spec;
  return template && typeof template === 'object' ? [{ path: 'spec.template.spec', spec: template }] : [];
}

/** Every init and app container of the object's pod specs. */
export function containersOf(object: KubeObject, which: 'all' | 'app' = 'all'): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const { path, spec } of podSpecsOf(object)) {
    const lists: Array<[string, Container[] | undefined]> = [['containers', spec.containers]];
    if (which === 'all') lists.push(['initContainers', spec.initContainers ?? undefined]);
    for (const [field, list] of lists) (list ?? []).forEach((container, i) => out.push({ path: `${path}.${field}[${i}]`, container }));
  }
  return out;
}

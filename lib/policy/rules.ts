import type { KubeObject } from '../api/meta.ts';
import { imageFrom, parseImageRef } from './image-ref.ts';
import { containersOf, podSpecsOf } from './pod-specs.ts';
import type { PolicyRule, PolicySeverity, PolicyViolation } from './rule.ts';

/**
 * Ready-made rules, exported from `kite` as `policies.*`; some are also kite's built-in best
 * practices (best-practices.ts).
 */

/** Every container (init containers too) sets `resources.limits.memory`. */
export function memoryLimits(severity?: PolicySeverity): PolicyRule {
  return rule('container-memory-limits', 'every container needs a memory limit: without one a leaking container can take the node\'s memory', severity, (o) =>
    containersOf(o)
      .filter(({ container }) => container.resources?.limits?.memory === undefined)
      .map(({ path }) => ({ path: `${path}.resources.limits.memory`, message: 'every container needs a memory limit' })),
  );
}

/** Every container sets `resources.requests.cpu` (or a CPU limit, which the request defaults to). */
export function cpuRequests(severity?: PolicySeverity): PolicyRule {
  return rule('container-cpu-requests', 'every container needs a CPU request: the scheduler places pods by their requests', severity, (o) =>
    containersOf(o)
      .filter(({ container }) => container.resources?.requests?.cpu === undefined && container.resources?.limits?.cpu === undefined)
      .map(({ path }) => ({ path: `${path}.resources.requests.cpu`, message: 'every container needs a CPU request' })),
  );
}

/** No `:latest` and no untagged image (a digest pins it too): what runs must not change under the same spec. */
export function pinnedImageTags(severity?: PolicySeverity): PolicyRule {
  return rule('image-tag-pinned', 'images name a version (a tag other than latest, or a digest): the same spec must run the same code', severity, (o) =>
    containersOf(o).flatMap(({ path, container }): PolicyViolation[] => {
      if (!container.image) return [];
      const ref = parseImageRef(container.image);
      if (ref.digest || (ref.tag && ref.tag !== 'latest')) return [];
      return [{ path: `${path}.image`, message: ref.tag ? `image ${container.image} uses the tag latest: name a version` : `image ${container.image} has no tag (it means latest): name a version` }];
    }),
  );
}

/** An app container that exposes ports has a readiness probe: Services send it traffic only once it is ready. */
export function readinessProbes(severity?: PolicySeverity): PolicyRule {
  return rule('readiness-probes', 'containers that expose ports need a readiness probe: a Service sends traffic to a pod as soon as it is ready', severity, (o) =>
    containersOf(o, 'app')
      .filter(({ container }) => (container.ports?.length ?? 0) > 0 && !container.readinessProbe)
      .map(({ path }) => ({ path: `${path}.readinessProbe`, message: 'a container that exposes ports needs a readiness probe' })),
  );
}

/** No hostPath volume: it ties a pod to one node's files and gives it access to the host. */
export function noHostPath(severity?: PolicySeverity): PolicyRule {
  return rule('no-host-path', 'no hostPath volumes: they tie a pod to one node and expose the host\'s files', severity, (o) =>
    podSpecsOf(o).flatMap(({ path, spec }) =>
      (spec.volumes ?? []).flatMap((v, i) => (v.hostPath ? [{ path: `${path}.volumes[${i}].hostPath`, message: `volume ${v.name} mounts the host path ${v.hostPath.path}` }] : [])),
    ),
  );
}

/** Images only from these registries or repository prefixes (`registry.acme.dev`, `docker.io/library`). */
export function allowedRegistries(prefixes: readonly string[], severity?: PolicySeverity): PolicyRule {
  const list = prefixes.join(', ');
  return rule('allowed-registries', `images only from ${list}`, severity, (o) =>
    containersOf(o)
      .filter(({ container }) => container.image && !prefixes.some((p) => imageFrom(container.image!, p)))
      .map(({ path, container }) => ({ path: `${path}.image`, message: `image ${container.image} is not from an allowed registry (${list})` })),
  );
}

/** Every object carries these labels (`team`, `app.kubernetes.io/name`). */
export function requiredLabels(keys: readonly string[], severity?: PolicySeverity): PolicyRule {
  return rule('required-labels', `every object has the labels ${keys.join(', ')}`, severity, (o) =>
    keys.filter((k) => o.metadata.labels?.[k] === undefined).map((k) => ({ path: `metadata.labels[${k}]`, message: `the label ${k} is required` })),
  );
}

function rule(name: string, description: string, severity: PolicySeverity | undefined, check: (o: KubeObject) => PolicyViolation[]): PolicyRule {
  return { name, description, ...(severity ? { severity } : {}), check };
}

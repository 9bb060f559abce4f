import { lookupKind } from '../../lib/api/registry.ts';

/** A REST resource the API server serves, with what discovery reports about it. */
export interface ResourceDef {
  group: string;
  version: string;
  /** `v1` or `apps/v1`. */
  apiVersion: string;
  kind: string;
  /** Plural REST name, e.g. `replicasets`. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources with their own endpoints. */
  subresources: Array<'status' | 'scale' | 'log' | 'binding' | 'finalize'>;
  /** metadata.generation is bumped on spec changes (kinds with a spec). */
  tracksGeneration: boolean;
  /** Propagation when a DELETE does not say (Kubernetes: RCs via the core API orphan). */
  defaultPropagation: 'Background' | 'Orphan';
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const RESOURCE_VERBS = VERBS;

function def(apiVersion: string, kind: string, extra: Partial<ResourceDef> = {}): ResourceDef {
  const k = lookupKind(apiVersion, kind);
  if (!k) throw new Error(`unknown kind ${apiVersion} ${kind}`);
  return {
    group: k.group,
    version: k.version,
    apiVersion,
    kind,
    resource: k.resource,
    singular: k.singular,
    namespaced: k.namespaced,
    shortNames: [...k.shortNames],
    categories: [],
    subresources: [],
    tracksGeneration: false,
    defaultPropagation: 'Background',
    ...extra,
  };
}

/** Everything served, core group first. */
export const RESOURCES: readonly ResourceDef[] = [
  def('v1', 'Namespace', { subresources: ['status', 'finalize'] }),
  def('v1', 'Node', { subresources: ['status'] }),
  def('v1', 'Pod', { categories: ['all'], subresources: ['status', 'log', 'binding'], tracksGeneration: true }),
  def('v1', 'Service', { categories: ['all'], subresources: ['status'] }),
  def('v1', 'Endpoints'),
  def('v1', 'ReplicationController', {
    categories: ['all'],
    subresources: ['status', 'scale'],
    tracksGeneration: true,
    defaultPropagation: 'Orphan',
  }),
  def('v1', 'Event'),
  def('v1', 'ConfigMap'),
  def('v1', 'Secret'),
  def('apps/v1', 'ReplicaSet', { categories: ['all'], subresources: ['status', 'scale'], tracksGeneration: true }),
  def('discovery.k8s.io/v1', 'EndpointSlice'),
  def('coordination.k8s.io/v1', 'Lease'),
];

/**
 * `extensions/v1beta1` ReplicaSets (the seed's apiVersion) are accepted and stored as `apps/v1`:
 * the same storage (resource name), served under the old group so kubectl's RESTMapper finds it.
 */
const DEPRECATED_ALIASES: readonly ResourceDef[] = RESOURCES.filter((r) => r.kind === 'ReplicaSet').map((r) => ({
  ...r,
  group: 'extensions',
  version: 'v1beta1',
  apiVersion: 'extensions/v1beta1',
  categories: [],
  shortNames: [],
}));

/** Every endpoint served, including deprecated aliases (listed last: the preferred version wins). */
export const SERVED: readonly ResourceDef[] = [...RESOURCES, ...DEPRECATED_ALIASES];

const byPath = new Map<string, ResourceDef>(SERVED.map((r) => [`${r.apiVersion}/${r.resource}`, r]));
const byKind = new Map<string, ResourceDef>(SERVED.map((r) => [`${r.apiVersion}|${r.kind}`, r]));

/** The resource at `/api/v1/<resource>` or `/apis/<group>/<version>/<resource>`. */
export function resourceAt(apiVersion: string, resource: string): ResourceDef | undefined {
  return byPath.get(`${apiVersion}/${resource}`);
}

export function resourceForKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return byKind.get(`${apiVersion}|${kind}`);
}

export function resourceByName(resource: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.resource === resource);
}

/** Group versions served, in discovery order. */
export function groupVersions(): { group: string; version: string; apiVersion: string }[] {
  const seen = new Map<string, { group: string; version: string; apiVersion: string }>();
  for (const r of SERVED) if (!seen.has(r.apiVersion)) seen.set(r.apiVersion, { group: r.group, version: r.version, apiVersion: r.apiVersion });
  return [...seen.values()];
}

/** The store key of an object: `/registry/<resource>/<ns>/<name>` or `/registry/<resource>/<name>`. */
export function storeKey(r: ResourceDef, namespace: string | undefined, name: string): string {
  return r.namespaced ? `/registry/${r.resource}/${namespace}/${name}` : `/registry/${r.resource}/${name}`;
}

/** The key prefix of a collection (one namespace, or all). */
export function storePrefix(r: ResourceDef, namespace?: string): string {
  return r.namespaced && namespace ? `/registry/${r.resource}/${namespace}/` : `/registry/${r.resource}/`;
}

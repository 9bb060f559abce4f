import { lookupKind } from '../../lib/api/registry.ts';
import { KIND_STRATEGIES, type KindStrategy, type Subresource } from './kinds/index.ts';

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
  subresources: Subresource[];
  /** metadata.generation is bumped on spec changes (kinds with a spec). */
  tracksGeneration: boolean;
  /** Propagation when a DELETE does not say (Kubernetes: RCs via the core API orphan). */
  defaultPropagation: 'Background' | 'Orphan';
  /** Verbs discovery reports. */
  verbs: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const RESOURCE_VERBS = VERBS;

/** The resource of a kind's strategy record, under its preferred or an alias apiVersion. */
function def(k: KindStrategy, apiVersion = k.apiVersion): ResourceDef {
  const info = lookupKind(k.apiVersion, k.kind);
  if (!info) throw new Error(`unknown kind ${k.apiVersion} ${k.kind}`);
  const slash = apiVersion.indexOf('/');
  const alias = apiVersion !== k.apiVersion;
  return {
    group: slash === -1 ? '' : apiVersion.slice(0, slash),
    version: slash === -1 ? apiVersion : apiVersion.slice(slash + 1),
    apiVersion,
    kind: k.kind,
    resource: info.resource,
    singular: info.singular,
    namespaced: info.namespaced,
    // kubectl finds an alias by its group; short names and categories stay with the preferred version.
    shortNames: alias ? [] : [...info.shortNames],
    categories: alias ? [] : [...(k.categories ?? [])],
    subresources: [...(k.subresources ?? [])],
    tracksGeneration: k.tracksGeneration ?? false,
    defaultPropagation: k.defaultPropagation ?? 'Background',
    verbs: [...(k.verbs ?? VERBS)],
  };
}

/** Everything served, core group first (the order of kinds/index.ts). */
export const RESOURCES: readonly ResourceDef[] = KIND_STRATEGIES.map((k) => def(k));

/**
 * Deprecated apiVersions of a kind (`extensions/v1beta1` ReplicaSets, the seed's), accepted and
 * stored as the preferred version: the same storage (resource name), served under the old group.
 */
const DEPRECATED_ALIASES: readonly ResourceDef[] = KIND_STRATEGIES.flatMap((k) => (k.aliases ?? []).map((v) => def(k, v)));

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

/**
 * Discovery as client-go's discovery client reads it: the documents the API serves at `/api`,
 * `/apis` and `/api(s)/<group-version>`, turned into one list of resources (each group's
 * preferred version, subresources left out), so components learn which kinds exist, whether
 * they are namespaced and which verbs they support from the API itself.
 */

/** One resource of the API (metav1.APIResource with its group version). */
export interface ApiResource {
  group: string;
  version: string;
  /** `v1` or `apps/v1`. */
  apiVersion: string;
  /** Plural REST name, e.g. `replicasets`: how ApiClient addresses it. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
}

/** The discovery documents, as served (`APIVersions`, `APIGroupList`, `APIResourceList`). */
export interface DiscoveryDocuments {
  core: { versions: string[] };
  groups: { groups: Array<{ name: string; preferredVersion: { groupVersion: string; version: string } }> };
  resourceList(groupVersion: string): { resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }> } | undefined;
}

/** ServerPreferredResources: the core group first, then the groups in the order served. */
export function preferredResources(docs: DiscoveryDocuments): ApiResource[] {
  const versions = [
    ...docs.core.versions.slice(0, 1).map((v) => ({ group: '', version: v, apiVersion: v })),
    ...docs.groups.groups.map((g) => ({ group: g.name, version: g.preferredVersion.version, apiVersion: g.preferredVersion.groupVersion })),
  ];
  const out: ApiResource[] = [];
  for (const gv of versions) {
    for (const r of docs.resourceList(gv.apiVersion)?.resources ?? []) {
      if (r.name.includes('/')) continue; // a subresource
      out.push({ ...gv, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs });
    }
  }
  return out;
}

/**
 * The resources supporting every one of `verbs`, one per plural name: ApiClient addresses a
 * resource by that name alone, so the first group serving it wins (apps/v1 ReplicaSets, not
 * the deprecated extensions/v1beta1 alias of the same storage).
 */
export function resourcesSupporting(all: readonly ApiResource[], verbs: readonly string[]): ApiResource[] {
  const seen = new Set<string>();
  return all.filter((r) => {
    if (seen.has(r.resource) || !verbs.every((v) => r.verbs.includes(v))) return false;
    seen.add(r.resource);
    return true;
  });
}

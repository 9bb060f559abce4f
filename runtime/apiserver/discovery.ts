import { SERVED, groupVersions, type ResourceDef } from './resources.ts';
import { AUTHORIZATION_API_VERSION, AUTHORIZATION_GROUP, AUTHORIZATION_VERSION, reviewDiscovery } from './reviews.ts';

/** The Kubernetes version reported at /version: kubectl's dispatcher picks its build by the minor. */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.4' };

export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const SERVER_ADDRESSES = [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }];

export function coreApiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: SERVER_ADDRESSES };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = new Map<string, string[]>();
  for (const gv of groupVersions()) {
    if (!gv.group) continue;
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv.version]);
  }
  groups.set(AUTHORIZATION_GROUP, [AUTHORIZATION_VERSION]);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function apiGroup(group: string): Record<string, unknown> | undefined {
  const g = (apiGroupList().groups as Array<Record<string, unknown>>).find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...g } : undefined;
}

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  log: ['get'],
  binding: ['create'],
  eviction: ['create'],
  finalize: ['update'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
  portforward: ['create', 'get'],
};

/**
 * Subresources whose body is another kind. kubectl drain finds the eviction's group version
 * here (CheckEvictionSupport: `pods/eviction` with kind Eviction and a group and version).
 */
const SUBRESOURCE_KINDS: Record<string, { kind: string; group?: string; version?: string }> = {
  scale: { kind: 'Scale', group: 'autoscaling', version: 'v1' },
  binding: { kind: 'Binding' },
  eviction: { kind: 'Eviction', group: 'policy', version: 'v1' },
};

export function apiResourceList(apiVersion: string): Record<string, unknown> | undefined {
  if (apiVersion === AUTHORIZATION_API_VERSION) return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersion, resources: reviewDiscovery() };
  const defs = SERVED.filter((r) => r.apiVersion === apiVersion);
  if (defs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of defs) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) {
      const other = SUBRESOURCE_KINDS[sub];
      resources.push({
        name: `${r.resource}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: other?.kind ?? r.kind,
        ...(other?.group ? { group: other.group, version: other.version } : {}),
        verbs: SUBRESOURCE_VERBS[sub],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersion, resources };
}

export type { ResourceDef };

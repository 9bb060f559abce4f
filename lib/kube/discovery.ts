/**
 * API discovery: which resources a server serves, as a table mapping kind ↔ plural resource,
 * scope and verbs. Aggregated discovery (apidiscovery.k8s.io/v2, two requests) when the server
 * offers it, else the legacy walk (/api, /api/v1, /apis, then every group version at once).
 */

import { parseApiVersion } from '../api/object-ref.ts';

export interface ApiResource {
  group: string;
  version: string;
  /** `v1`, `apps/v1` */
  apiVersion: string;
  kind: string;
  /** The resource name in URLs: `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** `status`, `scale`, ... */
  subresources: string[];
  /** Whether `version` is the group's preferred version. */
  preferred: boolean;
}

export interface GroupVersionFailure {
  groupVersion: string;
  error: string;
}

/** Accept header asking for aggregated discovery, falling back to the legacy documents. */
export const AGGREGATED_DISCOVERY_ACCEPT = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

export class ResourceTable {
  readonly #byGvk = new Map<string, ApiResource>();
  /** By `apiVersion` and kind as objects spell them: a plan looks up every object's, most of them the same few. */
  readonly #byApiVersionKind = new Map<string, ApiResource | null>();

  constructor(
    readonly resources: readonly ApiResource[],
    /** Group versions whose discovery failed (e.g. an aggregated API that is down); the rest is usable. */
    readonly failed: readonly GroupVersionFailure[] = [],
  ) {
    for (const r of resources) {
      const key = gvkKey(r.group, r.version, r.kind);
      if (!this.#byGvk.has(key)) this.#byGvk.set(key, r);
    }
  }

  /** The resource serving exactly this group, version and kind. */
  forKind(group: string, version: string, kind: string): ApiResource | undefined {
    return this.#byGvk.get(gvkKey(group, version, kind));
  }

  /** forKind of an object's `apiVersion` (`apps/v1`, `v1`) and kind. */
  forApiVersionKind(apiVersion: string, kind: string): ApiResource | undefined {
    const key = `${apiVersion} ${kind}`;
    let found = this.#byApiVersionKind.get(key);
    if (found === undefined) {
      const { group, version } = parseApiVersion(apiVersion);
      found = this.forKind(group, version, kind) ?? null;
      this.#byApiVersionKind.set(key, found);
    }
    return found ?? undefined;
  }

  /**
   * kubectl-style name resolution: `pods`, `pod`, `po`, `Pod`, `deployments.apps`,
   * `deployments.v1.apps`, `deploy`. Prefers the group's preferred version, then the core group,
   * then discovery order. Undefined if nothing matches.
   */
  lookup(name: string): ApiResource | undefined {
    return this.lookupAll(name)[0];
  }

  /** Every match for `lookup`, best first. */
  lookupAll(name: string): ApiResource[] {
    const parts = name.split('.');
    const candidates: Array<{ res: string; version?: string; group?: string }> = [{ res: name }];
    if (parts.length >= 2) candidates.push({ res: parts[0]!, group: parts.slice(1).join('.') });
    if (parts.length >= 3) candidates.push({ res: parts[0]!, version: parts[1]!, group: parts.slice(2).join('.') });
    const out: ApiResource[] = [];
    for (const c of candidates) {
      const lower = c.res.toLowerCase();
      for (const r of this.resources) {
        if (c.group !== undefined && r.group !== c.group) continue;
        if (c.version !== undefined && r.version !== c.version) continue;
        if (r.plural === lower || r.singular === lower || r.kind.toLowerCase() === lower || r.shortNames.includes(lower)) {
          if (!out.includes(r)) out.push(r);
        }
      }
    }
    const rank = (r: ApiResource) => (r.preferred ? 0 : 2) + (r.group === '' ? 0 : 1);
    return out.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
  }
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

type Get = (path: string, accept?: string) => Promise<unknown>;
type Obj = Record<string, unknown>;

/** Fetch and build the resource table, using `get` for each discovery document. */
export async function discoverResources(get: Get): Promise<ResourceTable> {
  const [core, groups] = await Promise.all([get('/api', AGGREGATED_DISCOVERY_ACCEPT), get('/apis', AGGREGATED_DISCOVERY_ACCEPT)]);
  if (isAggregated(core) && isAggregated(groups)) {
    return new ResourceTable([...fromAggregated(core), ...fromAggregated(groups)]);
  }
  return legacy(get, core, groups);
}

function isAggregated(doc: unknown): doc is { items: Obj[] } {
  return typeof doc === 'object' && doc !== null && (doc as Obj).kind === 'APIGroupDiscoveryList' && Array.isArray((doc as Obj).items);
}

function fromAggregated(doc: { items: Obj[] }): ApiResource[] {
  const out: ApiResource[] = [];
  for (const g of doc.items) {
    const group = String((g.metadata as Obj | undefined)?.name ?? '');
    const versions = Array.isArray(g.versions) ? (g.versions as Obj[]) : [];
    versions.forEach((v, vi) => {
      const version = String(v.version ?? '');
      for (const r of Array.isArray(v.resources) ? (v.resources as Obj[]) : []) {
        const rk = (r.responseKind ?? {}) as Obj;
        const kind = String(rk.kind ?? '');
        if (!kind) continue;
        out.push({
          group,
          version,
          apiVersion: group ? `${group}/${version}` : version,
          kind,
          plural: String(r.resource ?? ''),
          singular: String(r.singularResource ?? '') || kind.toLowerCase(),
          namespaced: r.scope === 'Namespaced',
          verbs: strings(r.verbs),
          shortNames: strings(r.shortNames),
          categories: strings(r.categories),
          subresources: (Array.isArray(r.subresources) ? (r.subresources as Obj[]) : []).map((s) => String(s.subresource ?? '')).filter(Boolean),
          preferred: vi === 0,
        });
      }
    });
  }
  return out;
}

async function legacy(get: Get, core: unknown, groups: unknown): Promise<ResourceTable> {
  const gvs: Array<{ group: string; version: string; preferred: boolean }> = [];
  const coreVersions = strings((core as Obj | undefined)?.versions);
  coreVersions.forEach((version, i) => gvs.push({ group: '', version, preferred: i === 0 }));
  for (const g of Array.isArray((groups as Obj | undefined)?.groups) ? ((groups as Obj).groups as Obj[]) : []) {
    const group = String(g.name ?? '');
    const preferredVersion = String(((g.preferredVersion ?? {}) as Obj).version ?? '');
    const versions = Array.isArray(g.versions) ? (g.versions as Obj[]) : [];
    versions.forEach((v, i) => {
      const version = String(v.version ?? '');
      gvs.push({ group, version, preferred: preferredVersion ? version === preferredVersion : i === 0 });
    });
  }
  const failed: GroupVersionFailure[] = [];
  const lists = await Promise.all(
    gvs.map(async (gv) => {
      const apiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
      try {
        return { gv, apiVersion, list: (await get(gv.group ? `/apis/${apiVersion}` : `/api/${gv.version}`)) as Obj };
      } catch (e) {
        if (gv.group === '') throw e;
        failed.push({ groupVersion: apiVersion, error: (e as Error).message });
        return undefined;
      }
    }),
  );
  const out: ApiResource[] = [];
  for (const entry of lists) {
    if (!entry) continue;
    const { gv, apiVersion, list } = entry;
    const resources = Array.isArray(list?.resources) ? (list.resources as Obj[]) : [];
    const subs = new Map<string, string[]>();
    for (const r of resources) {
      const name = String(r.name ?? '');
      const slash = name.indexOf('/');
      if (slash > 0) {
        const parent = name.slice(0, slash);
        subs.set(parent, [...(subs.get(parent) ?? []), name.slice(slash + 1)]);
      }
    }
    for (const r of resources) {
      const name = String(r.name ?? '');
      if (!name || name.includes('/')) continue;
      const kind = String(r.kind ?? '');
      out.push({
        group: gv.group,
        version: gv.version,
        apiVersion,
        kind,
        plural: name,
        singular: String(r.singularName ?? '') || kind.toLowerCase(),
        namespaced: r.namespaced === true,
        verbs: strings(r.verbs),
        shortNames: strings(r.shortNames),
        categories: strings(r.categories),
        subresources: subs.get(name) ?? [],
        preferred: gv.preferred,
      });
    }
  }
  return new ResourceTable(out, failed);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

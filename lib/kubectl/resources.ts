/**
 * Resolving `kubectl get|describe` arguments to the server's resources through discovery:
 * resource, singular and short names, kinds, `name.group`, and categories (`all`).
 */
import type { ApiResource, KubeClient, ResourceRef } from '../kube/index.ts';

/** An argument that names no resource of the server (kubectl: `the server doesn't have a resource type "x"`). */
export class UnknownResourceError extends Error {
  override name = 'UnknownResourceError';
  constructor(readonly resource: string) {
    super(`the server doesn't have a resource type "${resource}"`);
  }
}

/** The client's reference to a discovered resource (no second discovery round trip). */
export function refOf(r: ApiResource): ResourceRef {
  return { group: r.group, version: r.version, kind: r.kind, plural: r.plural, namespaced: r.namespaced };
}

/** kubectl's kind column / `-o name` prefix: `pod`, `replicaset.apps`. */
export function kindPrefix(r: ApiResource): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** The resources `arg` names, comma-separated, each once; throws UnknownResourceError. */
export async function resolveKinds(client: KubeClient, arg: string): Promise<ApiResource[]> {
  const table = await client.discover();
  const out: ApiResource[] = [];
  for (const part of arg.split(',')) {
    if (part === '') throw new UnknownResourceError(arg);
    const one = table.lookup(part);
    const found = one ? [one] : table.resources.filter((r) => r.preferred && r.categories.includes(part.toLowerCase()) && r.verbs.includes('list'));
    if (found.length === 0) throw new UnknownResourceError(part);
    for (const r of found) if (!out.some((x) => x.group === r.group && x.plural === r.plural)) out.push(r);
  }
  return out;
}

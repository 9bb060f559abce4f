/**
 * How objects are named and keyed: pure functions of apiVersion, kind, namespace and name, with
 * no schema behind them, so the API client (lib/kube) uses them without loading the object model.
 */

/** `prod/ReplicaSet/api`, or `Namespace/prod` without a namespace: how objects are named in every message. */
export function formatObjectRef(ref: { kind: string; name: string; namespace?: string | undefined }): string {
  return ref.namespace ? `${ref.namespace}/${ref.kind}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** schema.ParseGroupVersion: `apps/v1` → apps + v1, `v1` → the core group ('') + v1. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `v1` → `''`, `apps/v1` → `apps`. */
export function groupOf(apiVersion: string): string {
  return parseApiVersion(apiVersion).group;
}

/** The identity of an object whatever API version it is read at: `group/Kind/namespace/name`. */
export function identityKey(ref: { apiVersion: string; kind: string; namespace?: string | undefined; name?: string | undefined }): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name ?? ''}`;
}

/**
 * `namespace/name`, or `name` for a cluster-scoped object (client-go MetaNamespaceKeyFunc): the
 * identity of an object within one resource, as caches and work queues key it.
 */
export function namespacedKey(obj: { metadata?: { namespace?: string | undefined; name?: string | undefined } | undefined }): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** The inverse of namespacedKey. */
export function splitNamespacedKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i === -1 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * The names Kubernetes gives its OpenAPI schemas: `io.k8s.api.<package>.<version>.<Kind>`, where
 * the package is the API group's first label (`apps`, `discovery` for discovery.k8s.io, `core`
 * for the core group), and the apimachinery types every kind shares.
 */

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

/** The schema name of a kind: `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.ReplicaSet`. */
export function kindSchemaName(group: string, version: string, kind: string): string {
  const pkg = group === '' ? 'core' : group.split('.')[0]!;
  return `io.k8s.api.${pkg}.${version}.${kind}`;
}

/** The last segment: `Container` for `io.k8s.api.core.v1.Container`. */
export function shortName(schema: string): string {
  return schema.slice(schema.lastIndexOf('.') + 1);
}

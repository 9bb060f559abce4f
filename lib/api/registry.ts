/**
 * The kind registry: apiVersion + kind -> schema, semantic validator, REST resource name,
 * scope, name format, and the rank used to order documents (Namespace first, then Service,
 * Endpoints, then Pod/ReplicaSet/ReplicationController, then every other kind).
 *
 * "Modelled" kinds are validated strictly against a full schema; a handful of other well-known
 * kinds are listed for their resource names, scope and name rule only (their bodies pass
 * through); anything else (CRDs...) is unknown here and passes through too.
 */
import type { z } from 'zod';
import type { Diagnostic } from './diagnostics.ts';
import type { NameRule } from './kinds/formats.ts';
import { ConfigMapSchema, validateConfigMap } from './kinds/configmap.ts';
import { DeploymentSchema, validateDeployment } from './kinds/deployment.ts';
import { EndpointsSchema, validateEndpoints } from './kinds/endpoints.ts';
import { EndpointSliceSchema, validateEndpointSlice } from './kinds/endpointslice.ts';
import { EventSchema, validateEvent } from './kinds/event.ts';
import { LeaseSchema, validateLease } from './kinds/lease.ts';
import { NodeSchema, validateNode } from './kinds/node.ts';
import { SecretSchema, validateSecret } from './kinds/secret.ts';
import type { Obj } from './kinds/fields.ts';
import { NamespaceSchema, validateNamespace } from './kinds/namespace.ts';
import { parseApiVersion } from './meta.ts';
import { PodSchema, validatePod } from './kinds/pod.ts';
import { DEPRECATED_REPLICASET_VERSIONS, ReplicaSetSchema, convertReplicaSet, validateReplicaSet } from './kinds/replicaset.ts';
import { ReplicationControllerSchema, validateReplicationController } from './kinds/replicationcontroller.ts';
import { ServiceSchema, validateService } from './kinds/service.ts';
import { ServiceAccountSchema, validateServiceAccount } from './kinds/serviceaccount.ts';
import { PersistentVolumeClaimSchema, validatePersistentVolumeClaim } from './kinds/persistentvolumeclaim.ts';

export interface KindInfo {
  /** Preferred (served) apiVersion, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** REST resource (plural), e.g. `replicasets`. */
  readonly resource: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** Document order: lower first. */
  readonly rank: number;
  /** Format of metadata.name. */
  readonly nameRule: NameRule;
  /** true: strict schema + semantic validation; false: metadata-only validation, body passes through. */
  readonly modelled: boolean;
}

export interface ModelledKindInfo extends KindInfo {
  readonly modelled: true;
  readonly schema: z.ZodType;
  /** Semantic validation on the (possibly malformed) input; pushes Diagnostics. */
  readonly validate: (out: Diagnostic[], raw: Obj) => void;
}

/** Rank of kinds not listed here and of listed non-modelled kinds. */
export const OTHER_RANK = 4;

function info(
  apiVersion: string,
  kind: string,
  resource: string,
  namespaced: boolean,
  extra: { shortNames?: string[]; nameRule?: NameRule; rank?: number } = {},
): KindInfo {
  return {
    apiVersion,
    ...parseApiVersion(apiVersion),
    kind,
    resource,
    singular: kind.toLowerCase(),
    shortNames: extra.shortNames ?? [],
    namespaced,
    rank: extra.rank ?? OTHER_RANK,
    nameRule: extra.nameRule ?? 'dns-subdomain',
    modelled: false,
  };
}

function modelled(
  base: KindInfo,
  schema: z.ZodType,
  validate: (out: Diagnostic[], raw: Obj) => void,
): ModelledKindInfo {
  return { ...base, modelled: true, schema, validate };
}

export const MODELLED_KINDS: readonly ModelledKindInfo[] = [
  modelled(info('v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], nameRule: 'dns-label', rank: 0 }), NamespaceSchema, validateNamespace),
  modelled(info('v1', 'Service', 'services', true, { shortNames: ['svc'], nameRule: 'dns-1035-label', rank: 1 }), ServiceSchema, validateService),
  modelled(info('v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], rank: 2 }), EndpointsSchema, validateEndpoints),
  modelled(info('v1', 'Pod', 'pods', true, { shortNames: ['po'], rank: 3 }), PodSchema, validatePod),
  modelled(info('apps/v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], rank: 3 }), ReplicaSetSchema, validateReplicaSet),
  modelled(
    info('v1', 'ReplicationController', 'replicationcontrollers', true, { shortNames: ['rc'], rank: 3 }),
    ReplicationControllerSchema,
    validateReplicationController,
  ),
  modelled(info('apps/v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'] }), DeploymentSchema, validateDeployment),
  modelled(info('v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }), ConfigMapSchema, validateConfigMap),
  modelled(info('v1', 'Secret', 'secrets', true), SecretSchema, validateSecret),
  modelled(info('v1', 'Node', 'nodes', false, { shortNames: ['no'] }), NodeSchema, validateNode),
  modelled(info('v1', 'Event', 'events', true, { shortNames: ['ev'] }), EventSchema, validateEvent),
  modelled(info('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', true), EndpointSliceSchema, validateEndpointSlice),
  modelled(info('coordination.k8s.io/v1', 'Lease', 'leases', true), LeaseSchema, validateLease),
  modelled(info('v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }), ServiceAccountSchema, validateServiceAccount),
  modelled(info('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'] }), PersistentVolumeClaimSchema, validatePersistentVolumeClaim),
];

/** Well-known kinds whose bodies kite does not model (resource names, scope and name rule only). */
export const WELL_KNOWN_KINDS: readonly KindInfo[] = [
  info('v1', 'PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'] }),
  info('v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  info('v1', 'ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'] }),
  info('v1', 'PodTemplate', 'podtemplates', true),
  info('apps/v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'] }),
  info('apps/v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'] }),
  info('apps/v1', 'ControllerRevision', 'controllerrevisions', true),
  info('batch/v1', 'Job', 'jobs', true),
  info('batch/v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'] }),
  info('networking.k8s.io/v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'] }),
  info('networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false),
  info('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  info('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'] }),
  info('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { shortNames: ['hpa'] }),
  info('rbac.authorization.k8s.io/v1', 'Role', 'roles', true, { nameRule: 'path-segment' }),
  info('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true, { nameRule: 'path-segment' }),
  info('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false, { nameRule: 'path-segment' }),
  info('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false, { nameRule: 'path-segment' }),
  info('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  info('scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] }),
  info('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, { shortNames: ['crd', 'crds'] }),
];

/** Every kind the registry knows, modelled first. */
export const KINDS: readonly KindInfo[] = [...MODELLED_KINDS, ...WELL_KNOWN_KINDS];

const byGVK = new Map<string, KindInfo>(KINDS.map((k) => [`${k.apiVersion}|${k.kind}`, k]));
const modelledByKind = new Map<string, ModelledKindInfo>(MODELLED_KINDS.map((k) => [k.kind, k]));

/** Deprecated apiVersions accepted on input and converted: `apiVersion|kind` -> converter. */
const CONVERSIONS = new Map<string, { to: ModelledKindInfo; convert: (raw: Obj) => Obj }>(
  DEPRECATED_REPLICASET_VERSIONS.map((v) => [`${v}|ReplicaSet`, { to: modelledByKind.get('ReplicaSet')!, convert: convertReplicaSet }]),
);

/** Exact lookup by apiVersion and kind (served versions only). */
export function lookupKind(apiVersion: string, kind: string): KindInfo | undefined {
  return byGVK.get(`${apiVersion}|${kind}`);
}

/** The modelled kind of that name (any apiVersion), e.g. to report an unsupported apiVersion. */
export function modelledKind(kind: string): ModelledKindInfo | undefined {
  return modelledByKind.get(kind);
}

/**
 * Deprecated apiVersion handling: for `extensions/v1beta1`/`apps/v1beta2` ReplicaSets, the
 * target kind and a converter to its served apiVersion; undefined otherwise.
 */
export function conversionFor(apiVersion: string, kind: string): { to: ModelledKindInfo; convert: (raw: Obj) => Obj } | undefined {
  return CONVERSIONS.get(`${apiVersion}|${kind}`);
}

/** Lookup by REST resource name, singular name, short name or kind (case-insensitive), as kubectl does. */
export function findKindByName(name: string): KindInfo | undefined {
  const n = name.toLowerCase();
  return KINDS.find((k) => k.resource === n || k.singular === n || k.shortNames.includes(n) || k.kind.toLowerCase() === n);
}

/** Document rank: Namespace 0, Service 1, Endpoints 2, Pod/ReplicaSet/ReplicationController 3, others 4. */
export function kindRank(apiVersion: string, kind: string): number {
  const k = lookupKind(apiVersion, kind) ?? conversionFor(apiVersion, kind)?.to;
  return k ? k.rank : OTHER_RANK;
}

/** Document rank by kind alone (objects are validated, so the apiVersion is a served one). */
export function documentRank(kind: string, apiVersion?: string): number {
  if (apiVersion !== undefined) return kindRank(apiVersion, kind);
  return modelledByKind.get(kind)?.rank ?? OTHER_RANK;
}

/** Comparator ordering manifests by kindRank (Array.prototype.sort is stable, so equal ranks keep their order). */
export function compareManifests(a: { apiVersion?: unknown; kind?: unknown }, b: { apiVersion?: unknown; kind?: unknown }): number {
  const ra = kindRank(String(a.apiVersion ?? ''), String(a.kind ?? ''));
  const rb = kindRank(String(b.apiVersion ?? ''), String(b.kind ?? ''));
  return ra - rb;
}

/**
 * Patch metadata for the built-in kinds kite serves, transcribed from the k8s.io/api struct
 * tags (`patchStrategy:"merge" patchMergeKey:"name"`, `patchStrategy:"merge,retainKeys"`) and
 * the SSA markers (`+listType=map/set/atomic`, `+listMapKey=`, `+mapType=atomic`,
 * `+structType=atomic`) of core/v1, apps/v1 and discovery/v1 (Kubernetes 1.32).
 *
 * Only fields whose behaviour differs from the defaults need an entry:
 *   - maps/structs merge key by key (SMP and SSA);
 *   - lists without a strategy are atomic (replaced wholesale);
 * so an unknown field is simply a mergeable map or an atomic list.
 */

export interface MapKey {
  name: string;
  /** SSA: value used when an item omits this key field (the OpenAPI default, e.g. protocol TCP). */
  default?: string | number;
}

export interface FieldSchema {
  /** For maps/structs: their schema. For lists: the schema of one element. */
  type?: TypeSchema;
  /**
   * SMP list strategy: 'merge' = `patchStrategy:"merge"` on a list of objects (needs mergeKey);
   * 'set' = `patchStrategy:"merge"` on a list of primitives; absent/'atomic' = replace.
   */
  list?: 'merge' | 'set' | 'atomic';
  /** SMP `patchMergeKey`. */
  mergeKey?: string;
  /** `patchStrategy` includes retainKeys (informational: `$retainKeys` is honoured anywhere). */
  retainKeys?: boolean;
  /** SMP `patchStrategy:"replace"` on a map/struct (never used by core types; test schemas). */
  replace?: boolean;
  /** SSA `+listType` when it differs from what the SMP strategy implies. */
  ssaList?: 'map' | 'set' | 'atomic';
  /** SSA `+listMapKey`s (default: [mergeKey]). */
  mapKeys?: ReadonlyArray<string | MapKey>;
  /** SSA `+mapType=atomic` / `+structType=atomic`: the whole value is one field. */
  atomic?: boolean;
  /** A `map[string]X` (not a struct): update managers own the map itself (`.`) when they add it. */
  granularMap?: boolean;
}

export interface TypeSchema {
  name: string;
  fields: Readonly<Record<string, FieldSchema>>;
  /** SSA `+structType=atomic`. */
  atomic?: boolean;
}

// --- core/v1 building blocks --------------------------------------------------------------

const granular: FieldSchema = { granularMap: true };
const conditions: FieldSchema = { list: 'merge', mergeKey: 'type' };

export const ObjectMetaSchema: TypeSchema = {
  name: 'ObjectMeta',
  fields: {
    labels: granular,
    annotations: granular,
    // `patchStrategy:"merge" patchMergeKey:"uid"`, +listType=map +listMapKey=uid
    ownerReferences: { list: 'merge', mergeKey: 'uid' },
    // `patchStrategy:"merge"`, +listType=set
    finalizers: { list: 'set' },
    managedFields: { list: 'atomic' },
  },
};

export const LabelSelectorSchema: TypeSchema = {
  // +structType=atomic (SSA); SMP still merges matchLabels key by key.
  name: 'LabelSelector',
  atomic: true,
  fields: { matchLabels: granular },
};

const ResourceRequirementsSchema: TypeSchema = {
  name: 'ResourceRequirements',
  fields: {
    limits: granular,
    requests: granular,
    // +listType=map +listMapKey=name, no patchStrategy
    claims: { ssaList: 'map', mapKeys: ['name'] },
  },
};

export const ContainerSchema: TypeSchema = {
  name: 'Container',
  fields: {
    // `patchStrategy:"merge" patchMergeKey:"containerPort"`, +listMapKey=containerPort +listMapKey=protocol
    ports: {
      list: 'merge',
      mergeKey: 'containerPort',
      mapKeys: ['containerPort', { name: 'protocol', default: 'TCP' }],
    },
    // `patchStrategy:"merge" patchMergeKey:"name"`
    env: { list: 'merge', mergeKey: 'name' },
    // `patchStrategy:"merge" patchMergeKey:"mountPath"`
    volumeMounts: { list: 'merge', mergeKey: 'mountPath' },
    // `patchStrategy:"merge" patchMergeKey:"devicePath"`
    volumeDevices: { list: 'merge', mergeKey: 'devicePath' },
    resources: { type: ResourceRequirementsSchema },
    // command, args, envFrom, resizePolicy: atomic
  },
};

const container: FieldSchema = { list: 'merge', mergeKey: 'name', type: ContainerSchema };

export const VolumeSchema: TypeSchema = {
  name: 'Volume',
  fields: {},
};

export const PodSpecSchema: TypeSchema = {
  name: 'PodSpec',
  fields: {
    // `patchStrategy:"merge,retainKeys" patchMergeKey:"name"`
    volumes: { list: 'merge', mergeKey: 'name', retainKeys: true, type: VolumeSchema },
    initContainers: container,
    containers: container,
    // EphemeralContainerCommon carries the same tags as Container
    ephemeralContainers: container,
    imagePullSecrets: { list: 'merge', mergeKey: 'name' },
    // `patchStrategy:"merge" patchMergeKey:"ip"`, +listType=map +listMapKey=ip
    hostAliases: { list: 'merge', mergeKey: 'ip' },
    // tolerations, readinessGates: no patchStrategy upstream -> atomic
    tolerations: { list: 'atomic' },
    readinessGates: { list: 'atomic' },
    // `patchStrategy:"merge" patchMergeKey:"topologyKey"`, listMapKeys topologyKey+whenUnsatisfiable
    topologySpreadConstraints: {
      list: 'merge',
      mergeKey: 'topologyKey',
      mapKeys: ['topologyKey', 'whenUnsatisfiable'],
    },
    schedulingGates: { list: 'merge', mergeKey: 'name' },
    resourceClaims: { list: 'merge', mergeKey: 'name', retainKeys: true },
    // +mapType=atomic
    nodeSelector: { granularMap: true, atomic: true },
    overhead: granular,
  },
};

export const PodStatusSchema: TypeSchema = {
  name: 'PodStatus',
  fields: {
    conditions,
    podIPs: { list: 'merge', mergeKey: 'ip' },
    hostIPs: { list: 'merge', mergeKey: 'ip', ssaList: 'atomic' },
    // container statuses: +listType=atomic, no patchStrategy
    containerStatuses: { list: 'atomic' },
    initContainerStatuses: { list: 'atomic' },
    ephemeralContainerStatuses: { list: 'atomic' },
    resourceClaimStatuses: { list: 'merge', mergeKey: 'name', retainKeys: true },
  },
};

export const PodTemplateSpecSchema: TypeSchema = {
  name: 'PodTemplateSpec',
  fields: {
    metadata: { type: ObjectMetaSchema },
    spec: { type: PodSpecSchema },
  },
};

const workloadStatus: TypeSchema = { name: 'ReplicaSetStatus', fields: { conditions } };

export const ServiceSpecSchema: TypeSchema = {
  name: 'ServiceSpec',
  fields: {
    // `patchStrategy:"merge" patchMergeKey:"port"`, +listMapKey=port +listMapKey=protocol
    ports: { list: 'merge', mergeKey: 'port', mapKeys: ['port', { name: 'protocol', default: 'TCP' }] },
    // +mapType=atomic
    selector: { granularMap: true, atomic: true },
    // clusterIPs, externalIPs, ipFamilies, loadBalancerSourceRanges: atomic
  },
};

// --- shared by the kinds' schemas (kinds/*.ts) ----------------------------------------------

/** `metadata` of every kind. */
export const metadataField: FieldSchema = { type: ObjectMetaSchema };
/** `conditions` of a status: `patchStrategy:"merge" patchMergeKey:"type"`. */
export const conditionsField: FieldSchema = conditions;
/** A `map[string]X` field (labels, resource lists). */
export const granularMapField: FieldSchema = granular;
/** ReplicaSetStatus / ReplicationControllerStatus-like: only conditions merge. */
export const WorkloadStatusSchema: TypeSchema = workloadStatus;

export function fieldOf(schema: TypeSchema | undefined, name: string): FieldSchema | undefined {
  if (!schema) return undefined;
  return Object.prototype.hasOwnProperty.call(schema.fields, name) ? schema.fields[name] : undefined;
}

/** SSA list type of a field (derived from the SMP strategy unless overridden). */
export function ssaListType(field: FieldSchema | undefined): 'map' | 'set' | 'atomic' {
  if (field?.ssaList) return field.ssaList;
  if (field?.list === 'merge' && field.mergeKey) return 'map';
  if (field?.list === 'set') return 'set';
  return 'atomic';
}

/** SSA list map keys of a field. */
export function ssaMapKeys(field: FieldSchema | undefined): MapKey[] {
  const keys = field?.mapKeys ?? (field?.mergeKey ? [field.mergeKey] : []);
  return keys.map((k) => (typeof k === 'string' ? { name: k } : k));
}

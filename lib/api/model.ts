/**
 * The object model's public surface: strict schemas, input/output types for every kind and
 * sub-structure, the kind registry and validateManifest. lib/index.ts re-exports this.
 *
 * Naming: `Pod` is the normalized (output) type, `PodInput` what a user may write
 * (quantities `string | number`, everything Kubernetes defaults optional), `PodSchema` the
 * strict zod schema turning one into the other. Semantic validators stay internal: use
 * validateManifest.
 */
import type { Endpoints } from './kinds/endpoints.ts';
import type { Namespace } from './kinds/namespace.ts';
import type { Pod } from './kinds/pod.ts';
import type { ReplicaSet } from './kinds/replicaset.ts';
import type { ReplicationController } from './kinds/replicationcontroller.ts';
import type { Service } from './kinds/service.ts';

export {
  GenericObjectSchema,
  ObjectMetaSchema,
  OwnerReferenceSchema,
  objectRef,
  type KubeObject,
  type ObjectMeta,
  type ObjectMetaInput,
  type OwnerReference,
  type OwnerReferenceInput,
  type TypeMeta,
} from './meta.ts';
export type { IntOrString, QuantityInput } from './kinds/fields.ts';
export type { NameRule } from './kinds/formats.ts';
export type { LabelSelector, LabelSelectorRequirement } from './selector.ts';
export {
  ExecActionSchema,
  GRPCActionSchema,
  HTTPGetActionSchema,
  HTTPHeaderSchema,
  LifecycleHandlerSchema,
  LifecycleSchema,
  ProbeSchema,
  SleepActionSchema,
  TCPSocketActionSchema,
  type ExecAction,
  type GRPCAction,
  type HTTPGetAction,
  type HTTPHeader,
  type Lifecycle,
  type LifecycleHandler,
  type LifecycleInput,
  type Probe,
  type ProbeInput,
  type SleepAction,
  type TCPSocketAction,
} from './kinds/probe.ts';
export {
  ConfigMapVolumeSourceSchema,
  EmptyDirVolumeSourceSchema,
  HostPathTypes,
  HostPathVolumeSourceSchema,
  KeyToPathSchema,
  NFSVolumeSourceSchema,
  PersistentVolumeClaimVolumeSourceSchema,
  SecretVolumeSourceSchema,
  VolumeMountSchema,
  VolumeSchema,
  type ConfigMapVolumeSource,
  type EmptyDirVolumeSource,
  type HostPathVolumeSource,
  type KeyToPath,
  type NFSVolumeSource,
  type PersistentVolumeClaimVolumeSource,
  type SecretVolumeSource,
  type Volume,
  type VolumeInput,
  type VolumeMount,
  type VolumeMountInput,
} from './kinds/volume.ts';
export {
  ConfigMapKeySelectorSchema,
  EnvFromSourceSchema,
  EnvVarSchema,
  EnvVarSourceSchema,
  ObjectFieldSelectorSchema,
  ResourceFieldSelectorSchema,
  SecretKeySelectorSchema,
  type ConfigMapKeySelector,
  type EnvFromSource,
  type EnvVar,
  type EnvVarInput,
  type EnvVarSource,
  type ObjectFieldSelector,
  type ResourceFieldSelector,
  type SecretKeySelector,
} from './kinds/env.ts';
export { ResourceRequirementsSchema, type ResourceRequirements, type ResourceRequirementsInput } from './kinds/resources.ts';
export {
  AppArmorProfileSchema,
  ContainerPortSchema,
  ContainerSchema,
  Protocols,
  SELinuxOptionsSchema,
  SeccompProfileSchema,
  SecurityContextSchema,
  WindowsSecurityContextOptionsSchema,
  type Container,
  type ContainerInput,
  type ContainerPort,
  type ContainerPortInput,
  type Protocol,
  type SeccompProfile,
  type SecurityContext,
} from './kinds/container.ts';
export {
  AffinitySchema,
  HostAliasSchema,
  PodDNSConfigSchema,
  PodSchema,
  PodSecurityContextSchema,
  PodSpecSchema,
  PodTemplateSpecSchema,
  RestartPolicies,
  TolerationSchema,
  type Affinity,
  type HostAlias,
  type Pod,
  type PodDNSConfig,
  type PodInput,
  type PodSecurityContext,
  type PodSpec,
  type PodSpecInput,
  type PodTemplateInput,
  type PodTemplateSpec,
  type PodTemplateSpecInput,
  type RestartPolicy,
  type Toleration,
  type TolerationInput,
} from './kinds/pod.ts';
export {
  DEPRECATED_REPLICASET_VERSIONS,
  LabelSelectorOperators,
  LabelSelectorRequirementSchema,
  LabelSelectorSchema,
  ReplicaSetSchema,
  ReplicaSetSpecSchema,
  type LabelSelectorInput,
  type ReplicaSet,
  type ReplicaSetInput,
  type ReplicaSetSpec,
  type ReplicaSetSpecInput,
} from './kinds/replicaset.ts';
export {
  ReplicationControllerSchema,
  ReplicationControllerSpecSchema,
  type ReplicationController,
  type ReplicationControllerInput,
  type ReplicationControllerSpec,
  type ReplicationControllerSpecInput,
} from './kinds/replicationcontroller.ts';
export {
  ServicePortSchema,
  ServiceSchema,
  ServiceSpecSchema,
  ServiceTypes,
  SessionAffinityConfigSchema,
  isHeadless,
  type Service,
  type ServiceInput,
  type ServicePort,
  type ServicePortInput,
  type ServiceSpec,
  type ServiceSpecInput,
  type ServiceType,
} from './kinds/service.ts';
export {
  EndpointAddressSchema,
  EndpointPortSchema,
  EndpointSubsetSchema,
  EndpointsSchema,
  ObjectReferenceSchema,
  type EndpointAddress,
  type EndpointAddressInput,
  type EndpointPort,
  type EndpointPortInput,
  type EndpointSubset,
  type EndpointSubsetInput,
  type Endpoints,
  type EndpointsInput,
  type ObjectReference,
} from './kinds/endpoints.ts';
export { NamespaceSchema, NamespaceSpecSchema, type Namespace, type NamespaceInput, type NamespaceSpec } from './kinds/namespace.ts';
export type {
  Condition,
  ConditionStatus,
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  ContainerStatus,
  LoadBalancerIngress,
  NamespaceConditionType,
  NamespacePhase,
  NamespaceStatus,
  PodCondition,
  PodConditionType,
  PodIP,
  PodPhase,
  PodQOSClass,
  PodStatus,
  PortStatus,
  ReplicaSetCondition,
  ReplicaSetStatus,
  ReplicationControllerStatus,
  ServiceStatus,
} from './kinds/status.ts';
export { SERVICE_PORT_UNAVAILABLE, SERVICE_PORTS_BOUND } from './kinds/status.ts';
export {
  NodeSchema,
  NodeSpecSchema,
  NodeStatusSchema,
  TaintSchema,
  type Node,
  type NodeAddress,
  type NodeCondition,
  type NodeConditionType,
  type NodeInput,
  type NodeSpec,
  type NodeStatus,
  type NodeSystemInfo,
  type Taint,
  type TaintEffect,
} from './kinds/node.ts';
export { LeaseSchema, LeaseSpecSchema, type Lease, type LeaseInput, type LeaseSpec } from './kinds/lease.ts';
export { EventSchema, type Event, type EventInput, type EventSource } from './kinds/event.ts';
export {
  EndpointSliceSchema,
  type AddressType,
  type Endpoint,
  type EndpointConditions,
  type EndpointSlice,
  type EndpointSliceInput,
  type EndpointSlicePort,
} from './kinds/endpointslice.ts';
export {
  DeploymentSchema,
  DeploymentSpecSchema,
  DeploymentStrategyTypes,
  validateDeployment,
  type Deployment,
  type DeploymentCondition,
  type DeploymentConditionType,
  type DeploymentInput,
  type DeploymentSpec,
  type DeploymentSpecInput,
  type DeploymentStatus,
  type DeploymentStrategy,
  type DeploymentStrategyType,
} from './kinds/deployment.ts';
export { ConfigMapSchema, type ConfigMap, type ConfigMapInput } from './kinds/configmap.ts';
export { SecretSchema, type Secret, type SecretInput } from './kinds/secret.ts';
export { ServiceAccountSchema, type ServiceAccount, type ServiceAccountInput } from './kinds/serviceaccount.ts';
export { PersistentVolumeClaimSchema, type PersistentVolumeClaim, type PersistentVolumeClaimInput, type PersistentVolumeClaimSpec } from './kinds/persistentvolumeclaim.ts';
export {
  KINDS,
  MODELLED_KINDS,
  OTHER_RANK,
  WELL_KNOWN_KINDS,
  compareManifests,
  conversionFor,
  documentRank,
  findKindByName,
  kindRank,
  lookupKind,
  modelledKind,
  type KindInfo,
  type ModelledKindInfo,
} from './registry.ts';
export { describeValue, validateManifest, type ValidateOptions, type ValidateResult } from './validate.ts';

/** The kinds kite models fully. */
export type KnownObject = Namespace | Service | Endpoints | Pod | ReplicaSet | ReplicationController;

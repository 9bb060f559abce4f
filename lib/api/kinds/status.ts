/**
 * The status halves of the modelled kinds, and the condition shape they share (core/v1 and
 * apps/v1 types.go, in Go field order). Status is written by the cluster, not by a user: the
 * schemas accept it loosely (a manifest may carry any status, which apply ignores) but its
 * TypeScript type is exact, so controllers, kubelets and waits read it without casts.
 */
import { z } from 'zod';
import { zAnyObject } from './fields.ts';

/** A status written by the cluster: typed for readers, not validated on input. */
export function clusterWritten<T>() {
  return zAnyObject as unknown as z.ZodType<T, T>;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition<T extends string = string> {
  type: T;
  status: ConditionStatus;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string | null;
  lastUpdateTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

// ---------------------------------------------------------------------------------------------
// Pod

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
export type PodConditionType = 'PodScheduled' | 'PodReadyToStartContainers' | 'Initialized' | 'ContainersReady' | 'Ready' | 'DisruptionTarget' | (string & {});
export type PodCondition = Condition<PodConditionType>;

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}
export interface ContainerStateRunning {
  startedAt?: string | null;
}
export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  containerID?: string;
}
export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: ContainerStateRunning;
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  state?: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
  allocatedResources?: Record<string, string>;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface PodIP {
  ip: string;
}

export interface PodStatus {
  phase?: PodPhase;
  conditions?: PodCondition[];
  message?: string;
  reason?: string;
  nominatedNodeName?: string;
  hostIP?: string;
  hostIPs?: PodIP[];
  podIP?: string;
  podIPs?: PodIP[];
  startTime?: string | null;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
  qosClass?: PodQOSClass;
  ephemeralContainerStatuses?: ContainerStatus[];
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet, ReplicationController

export type ReplicaSetCondition = Condition<'ReplicaFailure' | (string & {})>;

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** ReplicationControllerStatus has the same fields as ReplicaSetStatus. */
export type ReplicationControllerStatus = ReplicaSetStatus;

// ---------------------------------------------------------------------------------------------
// Service, Namespace

export interface PortStatus {
  port: number;
  protocol: string;
  error?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: 'VIP' | 'Proxy';
  ports?: PortStatus[];
}

/**
 * kite's Service condition: False while the service proxy cannot listen on one of the Service's
 * ports (a privileged or taken port), with reason SERVICE_PORT_UNAVAILABLE and the listen error
 * as message; `kite get svc` prints it.
 */
export const SERVICE_PORTS_BOUND = 'kite.dev/PortsBound';
export const SERVICE_PORT_UNAVAILABLE = 'PortUnavailable';

export interface ServiceStatus {
  loadBalancer?: { ingress?: LoadBalancerIngress[] };
  conditions?: Condition[];
}

export type NamespacePhase = 'Active' | 'Terminating';
export type NamespaceConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

export interface NamespaceStatus {
  phase?: NamespacePhase;
  conditions?: Condition<NamespaceConditionType>[];
}

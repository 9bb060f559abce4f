/**
 * Which object type each resource of the core API holds: `pods` → Pod. Clients typed by
 * resource (the runtime's in-process client, informers) read objects through this map, so a
 * controller sees `pod.status.conditions` as typed data; unmodelled resources are KubeObjects.
 */
import type { KubeObject } from './meta.ts';
import type { Deployment } from './kinds/deployment.ts';
import type { EndpointSlice } from './kinds/endpointslice.ts';
import type { Endpoints } from './kinds/endpoints.ts';
import type { Event } from './kinds/event.ts';
import type { Lease } from './kinds/lease.ts';
import type { Namespace } from './kinds/namespace.ts';
import type { Node } from './kinds/node.ts';
import type { Pod } from './kinds/pod.ts';
import type { ReplicaSet } from './kinds/replicaset.ts';
import type { ReplicationController } from './kinds/replicationcontroller.ts';
import type { Service } from './kinds/service.ts';
import type { ServiceAccount } from './kinds/serviceaccount.ts';
import type { PersistentVolumeClaim } from './kinds/persistentvolumeclaim.ts';

export interface ResourceTypes {
  namespaces: Namespace;
  nodes: Node;
  pods: Pod;
  services: Service;
  endpoints: Endpoints;
  replicasets: ReplicaSet;
  deployments: Deployment;
  replicationcontrollers: ReplicationController;
  events: Event;
  endpointslices: EndpointSlice;
  leases: Lease;
  serviceaccounts: ServiceAccount;
  persistentvolumeclaims: PersistentVolumeClaim;
}

export type ResourceName = keyof ResourceTypes;

/** The object type of a resource: its kind's type if modelled, else a KubeObject. */
export type ObjectOf<R extends string> = R extends ResourceName ? ResourceTypes[R] : KubeObject;

/** The type of each modelled kind by its name: `Pod` → Pod. */
export type KindTypes = { [R in ResourceName as ResourceTypes[R]['kind']]: ResourceTypes[R] };

/** Narrows an object read from the API by its kind (what the API server admitted is that kind's type). */
export function isKind<K extends keyof KindTypes>(obj: KubeObject, kind: K): obj is KindTypes[K] {
  return obj.kind === kind;
}

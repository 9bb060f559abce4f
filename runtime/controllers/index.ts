/**
 * The controller manager: every controller of the local control plane on one set of shared
 * informers (one list+watch per resource).
 */
import type { ApiClient } from '../client/client.ts';
import { InformerFactory } from '../client/informer-factory.ts';
import type { Component } from '../component.ts';
import { DeploymentController } from './deployment.ts';
import { EndpointSliceController } from './endpointslice.ts';
import { EndpointSliceMirroringController } from './endpointslice-mirror.ts';
import { EndpointsController } from './endpoints.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { NamespaceController } from './namespace.ts';
import { REPLICATION_CONTROLLER, REPLICA_SET, ReplicaSetController } from './replicaset.ts';
import { RootCACertPublisher } from './root-ca-publisher.ts';
import { ServiceAccountsController } from './serviceaccounts.ts';
import { ServiceLoadBalancerController } from './service-lb.ts';

export { DeploymentController } from './deployment.ts';
export { EndpointSliceController } from './endpointslice.ts';
export { EndpointSliceMirroringController } from './endpointslice-mirror.ts';
export { EndpointsController } from './endpoints.ts';
export { GarbageCollector } from './garbage-collector.ts';
export { NamespaceController } from './namespace.ts';
export { REPLICATION_CONTROLLER, REPLICA_SET, ReplicaSetController } from './replicaset.ts';
export { RootCACertPublisher } from './root-ca-publisher.ts';
export { ServiceAccountsController } from './serviceaccounts.ts';
export { ServiceLoadBalancerController } from './service-lb.ts';

export type ControllerName = 'deployment' | 'replicaset' | 'replicationcontroller' | 'endpoints' | 'endpointslice' | 'endpointslice-mirroring' | 'garbage-collector' | 'namespace' | 'serviceaccount' | 'root-ca-cert-publisher' | 'service-lb';

export interface StartControllersOptions {
  /** Shared informers (default: new ones, stopped with the controllers). */
  informers?: InformerFactory;
  /** The controllers' clock (default: the API server's). */
  clock?: () => Date;
  /** Controllers to run (default: all). */
  controllers?: readonly ControllerName[];
  /** Endpoints and EndpointSlice controllers: pod-triggered syncs of a service are batched this long (ms). */
  endpointsBatchPeriodMs?: number;
  /** Called when a sync fails (it is retried with backoff). */
  onError?: (controller: string, key: string, error: unknown) => void;
  /** The cluster CA (PEM) the root-ca-cert-publisher puts in every namespace; without it that controller does not run. */
  caCertPem?: string;
  /** The addresses LoadBalancer Services get (runtime.network.loadBalancerCIDR); without it the service-lb controller does not run. */
  loadBalancerCIDR?: string;
}

export interface Controllers {
  readonly informers: InformerFactory;
  readonly deployments?: DeploymentController;
  readonly replicaSets?: ReplicaSetController;
  readonly replicationControllers?: ReplicaSetController;
  readonly endpoints?: EndpointsController;
  readonly endpointSlices?: EndpointSliceController;
  readonly endpointSliceMirroring?: EndpointSliceMirroringController;
  readonly garbageCollector?: GarbageCollector;
  readonly namespaces?: NamespaceController;
  readonly serviceAccounts?: ServiceAccountsController;
  readonly rootCACertPublisher?: RootCACertPublisher;
  readonly serviceLoadBalancers?: ServiceLoadBalancerController;
  /** The enabled controllers, each a component to start (after the informers) and stop. */
  readonly all: readonly Component[];
}

export interface RunningControllers extends Controllers {
  stop(): Promise<void>;
}

/** Creates the enabled controllers, their handlers registered on the shared informers; nothing starts. */
export function createControllers(client: ApiClient, opts: StartControllersOptions = {}): Controllers {
  const informers = opts.informers ?? new InformerFactory(client);
  const enabled = new Set<ControllerName>(opts.controllers ?? ['deployment', 'replicaset', 'replicationcontroller', 'endpoints', 'endpointslice', 'endpointslice-mirroring', 'garbage-collector', 'namespace', 'serviceaccount', 'root-ca-cert-publisher', 'service-lb']);
  const common = { informers, clock: opts.clock, onError: opts.onError };
  const controllers = {
    informers,
    deployments: enabled.has('deployment') ? new DeploymentController(client, common) : undefined,
    replicaSets: enabled.has('replicaset') ? new ReplicaSetController(client, { ...common, kind: REPLICA_SET }) : undefined,
    replicationControllers: enabled.has('replicationcontroller') ? new ReplicaSetController(client, { ...common, kind: REPLICATION_CONTROLLER }) : undefined,
    endpoints: enabled.has('endpoints') ? new EndpointsController(client, { ...common, batchPeriodMs: opts.endpointsBatchPeriodMs }) : undefined,
    endpointSlices: enabled.has('endpointslice') ? new EndpointSliceController(client, { ...common, batchPeriodMs: opts.endpointsBatchPeriodMs }) : undefined,
    endpointSliceMirroring: enabled.has('endpointslice-mirroring') ? new EndpointSliceMirroringController(client, common) : undefined,
    garbageCollector: enabled.has('garbage-collector') ? new GarbageCollector(client, common) : undefined,
    namespaces: enabled.has('namespace') ? new NamespaceController(client, common) : undefined,
    serviceAccounts: enabled.has('serviceaccount') ? new ServiceAccountsController(client, common) : undefined,
    rootCACertPublisher: enabled.has('root-ca-cert-publisher') && opts.caCertPem ? new RootCACertPublisher(client, { ...common, caCertPem: opts.caCertPem }) : undefined,
    serviceLoadBalancers: enabled.has('service-lb') && opts.loadBalancerCIDR ? new ServiceLoadBalancerController(client, { ...common, loadBalancerCIDR: opts.loadBalancerCIDR }) : undefined,
  };
  const all = [
    controllers.deployments,
    controllers.replicaSets,
    controllers.replicationControllers,
    controllers.endpoints,
    controllers.endpointSlices,
    controllers.endpointSliceMirroring,
    controllers.garbageCollector,
    controllers.namespaces,
    controllers.serviceAccounts,
    controllers.rootCACertPublisher,
    controllers.serviceLoadBalancers,
  ].filter((c): c is NonNullable<typeof c> => c !== undefined);
  return { ...controllers, all };
}

/** Creates and starts the controllers: one list per resource fills every cache, then the workers start. */
export function startControllers(client: ApiClient, opts: StartControllersOptions = {}): RunningControllers {
  const controllers = createControllers(client, opts);
  controllers.informers.start();
  for (const c of controllers.all) c.start();
  return {
    ...controllers,
    stop: async () => {
      if (!opts.informers) controllers.informers.stop();
      await Promise.all(controllers.all.map((c) => c.stop()));
    },
  };
}

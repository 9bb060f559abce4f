/**
 * The controller manager: every controller of the local control plane on one set of shared
 * informers (one list+watch per resource), started together.
 */
import type { ApiClient } from '../client/client.ts';
import { EndpointSliceMirroringController } from './endpointslice-mirror.ts';
import { EndpointsController } from './endpoints.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { NamespaceController } from './namespace.ts';
import { REPLICATION_CONTROLLER, REPLICA_SET, ReplicaSetController } from './replicaset.ts';
import { InformerFactory } from '../client/informer-factory.ts';

export { EndpointSliceMirroringController } from './endpointslice-mirror.ts';
export { EndpointsController } from './endpoints.ts';
export { GarbageCollector } from './garbage-collector.ts';
export { NamespaceController } from './namespace.ts';
export { REPLICATION_CONTROLLER, REPLICA_SET, ReplicaSetController } from './replicaset.ts';

export type ControllerName = 'replicaset' | 'replicationcontroller' | 'endpoints' | 'endpointslice-mirroring' | 'garbage-collector' | 'namespace';

export interface StartControllersOptions {
  /** The controllers' clock (default: the API server's). */
  clock?: () => Date;
  /** Controllers to run (default: all). */
  controllers?: readonly ControllerName[];
  /** Endpoints controller: pod-triggered syncs of a service are batched this long (ms). */
  endpointsBatchPeriodMs?: number;
  /** Called when a sync fails (it is retried with backoff). */
  onError?: (controller: string, key: string, error: unknown) => void;
}

export interface RunningControllers {
  readonly informers: InformerFactory;
  readonly replicaSets?: ReplicaSetController;
  readonly replicationControllers?: ReplicaSetController;
  readonly endpoints?: EndpointsController;
  readonly endpointSliceMirroring?: EndpointSliceMirroringController;
  readonly garbageCollector?: GarbageCollector;
  readonly namespaces?: NamespaceController;
  stop(): Promise<void>;
}

export function startControllers(client: ApiClient, opts: StartControllersOptions = {}): RunningControllers {
  const informers = new InformerFactory(client);
  const enabled = new Set<ControllerName>(opts.controllers ?? ['replicaset', 'replicationcontroller', 'endpoints', 'endpointslice-mirroring', 'garbage-collector', 'namespace']);
  const common = { informers, clock: opts.clock, onError: opts.onError };
  const running: RunningControllers = {
    informers,
    replicaSets: enabled.has('replicaset') ? new ReplicaSetController(client, { ...common, kind: REPLICA_SET }) : undefined,
    replicationControllers: enabled.has('replicationcontroller') ? new ReplicaSetController(client, { ...common, kind: REPLICATION_CONTROLLER }) : undefined,
    endpoints: enabled.has('endpoints') ? new EndpointsController(client, { ...common, batchPeriodMs: opts.endpointsBatchPeriodMs }) : undefined,
    endpointSliceMirroring: enabled.has('endpointslice-mirroring') ? new EndpointSliceMirroringController(client, common) : undefined,
    garbageCollector: enabled.has('garbage-collector') ? new GarbageCollector(client, common) : undefined,
    namespaces: enabled.has('namespace') ? new NamespaceController(client, common) : undefined,
    stop: async () => {
      informers.stop();
      await Promise.all(all.map((c) => c.stop()));
    },
  };
  const all = [running.replicaSets, running.replicationControllers, running.endpoints, running.endpointSliceMirroring, running.garbageCollector, running.namespaces].filter(
    (c): c is NonNullable<typeof c> => c !== undefined,
  );
  // Every handler is registered: one list per resource fills all caches, then the workers start.
  informers.start();
  for (const c of all) c.start();
  return running;
}

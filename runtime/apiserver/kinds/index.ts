/**
 * Every kind the API server serves, one strategy record each (core group first: the order of
 * discovery). Adding a kind: a file in this folder exporting its KindStrategy, and a line here.
 */
import { lookupKind } from '../../../lib/api/registry.ts';
import { DEFAULT_TABLE, type TablePrinter } from '../printers.ts';
import { configMap } from './configmap.ts';
import { deployment } from './deployment.ts';
import { endpoints } from './endpoints.ts';
import { endpointSlice } from './endpointslice.ts';
import { event } from './event.ts';
import { lease } from './lease.ts';
import { namespace } from './namespace.ts';
import { node } from './node.ts';
import { pod } from './pod.ts';
import { replicaSet } from './replicaset.ts';
import { replicationController } from './replicationcontroller.ts';
import { secret } from './secret.ts';
import { service } from './service.ts';
import { serviceAccount } from './serviceaccount.ts';
import { persistentVolumeClaim } from './persistentvolumeclaim.ts';
import type { KindStrategy } from './strategy.ts';

export const KIND_STRATEGIES: readonly KindStrategy[] = [
  namespace,
  node,
  pod,
  service,
  endpoints,
  replicationController,
  event,
  configMap,
  secret,
  replicaSet,
  deployment,
  endpointSlice,
  lease,
  serviceAccount,
  persistentVolumeClaim,
];

const byKind = new Map(KIND_STRATEGIES.map((k) => [k.kind, k]));

/** The strategy of a served kind (any of its served apiVersions). */
export function strategyFor(kind: string): KindStrategy | undefined {
  return byKind.get(kind);
}

const byResource = new Map(KIND_STRATEGIES.map((k) => [lookupKind(k.apiVersion, k.kind)!.resource, k]));

/** The strategy of a served resource (`pods`, `replicasets.apps`). */
export function strategyForResource(resource: string): KindStrategy | undefined {
  return byResource.get(resourceName(resource));
}

/** The table printer of a resource: its kind's, or the default (Name, Age). */
export function tablePrinterFor(resource: string): TablePrinter {
  return strategyForResource(resource)?.table ?? DEFAULT_TABLE;
}

/** `pods`, `replicasets.apps`, `events.v1.` -> the plural resource name. */
export function resourceName(resource: string): string {
  const dot = resource.indexOf('.');
  return (dot === -1 ? resource : resource.slice(0, dot)).toLowerCase();
}

export type { FieldLabels, KindStrategy, Subresource } from './strategy.ts';

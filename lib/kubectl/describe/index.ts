/**
 * The describers, one per kind (kubectl's DescriberFor): adding a kind's describer is a file
 * exporting a `Describer` (its lookups and its text) and one line here. Kinds without one get
 * the generic describer.
 */
import { configMapDescriber } from './configmap.ts';
import type { Describer } from './describer.ts';
import { endpointsDescriber } from './endpoints.ts';
import { endpointSliceDescriber } from './endpointslice.ts';
import { genericDescriber } from './generic.ts';
import { namespaceDescriber } from './namespace.ts';
import { nodeDescriber } from './node.ts';
import { podDescriber } from './pod.ts';
import { replicaSetDescriber, replicationControllerDescriber } from './replicaset.ts';
import { secretDescriber } from './secret.ts';
import { serviceDescriber } from './service.ts';

export const DESCRIBERS: readonly Describer[] = [
  podDescriber,
  replicaSetDescriber,
  replicationControllerDescriber,
  serviceDescriber,
  endpointsDescriber,
  endpointSliceDescriber,
  nodeDescriber,
  namespaceDescriber,
  configMapDescriber,
  secretDescriber,
];

/** The describer for a resource: its kind's, else the generic one. */
export function describerFor(res: { group: string; kind: string }): Describer {
  return DESCRIBERS.find((d) => d.kind === res.kind && d.groups.includes(res.group)) ?? genericDescriber(res.kind);
}

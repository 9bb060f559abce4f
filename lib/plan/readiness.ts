/**
 * When is an applied object ready, and has it definitely failed? Pure functions of the object and
 * the related objects the caller has (wait.ts watches them): no I/O, no clock. Each kind's rules
 * are its record in kinds/ (pod, replicaset, service, namespace); everything else (Endpoints,
 * ConfigMaps, ...) is ready when it exists.
 */
import type { KubeObject } from '../api/meta.ts';
import { readinessKindOf } from './kinds/index.ts';
import type { Readiness, Related } from './kinds/types.ts';

export type { ContainerLogRef, Readiness, ReadinessKind, Related } from './kinds/types.ts';

export function readiness(obj: KubeObject | undefined, related: Related = {}): Readiness {
  if (!obj) return { ready: false, detail: 'not found' };
  const kind = readinessKindOf(obj);
  if (obj.metadata?.deletionTimestamp && !kind?.reportsDeletion) return { ready: false, detail: 'being deleted' };
  return kind ? kind.readiness(obj, related) : { ready: true, detail: 'exists' };
}

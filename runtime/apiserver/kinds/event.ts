import type { ExpiringPrefix } from '../../store/sqlite-store.ts';
import { metadataField } from '../patch/schema.ts';
import { EVENT_TABLE } from '../printers.ts';
import { obj, str, type KindStrategy } from './strategy.ts';

export const event: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Event',
  table: EVENT_TABLE,
  fieldLabels: {
    labels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ],
  },
  selectableFields(o) {
    const involved = obj(o.involvedObject);
    const source = str(obj(o.source).component);
    return {
      'involvedObject.kind': str(involved.kind),
      'involvedObject.namespace': str(involved.namespace),
      'involvedObject.name': str(involved.name),
      'involvedObject.uid': str(involved.uid),
      'involvedObject.apiVersion': str(involved.apiVersion),
      'involvedObject.resourceVersion': str(involved.resourceVersion),
      'involvedObject.fieldPath': str(involved.fieldPath),
      reason: str(o.reason),
      reportingComponent: str(o.reportingComponent),
      source: source !== '' ? source : str(o.reportingComponent),
      type: str(o.type),
    };
  },
  patchSchema: { name: 'Event', fields: { metadata: metadataField } },
};

/** kube-apiserver's --event-ttl default: Events are deleted an hour after their last update. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;

/** The store's expiry rule for Events (each write renews the TTL, as an etcd lease per write). */
export function eventExpiry(ttlMs = DEFAULT_EVENT_TTL_MS): ExpiringPrefix {
  return { prefix: '/registry/events/', ttlMs };
}

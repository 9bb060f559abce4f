/** The Events section of describe: the events about an object (searchEvents) and their table (DescribeEvents). */
import { compareGoStrings } from '../../api/label-format.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { Event } from '../../api/model.ts';
import { parseTimestamp } from '../../api/pod-status.ts';
import type { KubeClient } from '../../kube/index.ts';
import { goSort } from '../gosort.ts';
import type { Describer } from './describer.ts';
import { since } from './fields.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefix-writer.ts';

const EVENTS = { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true } as const;

/** fields.EscapeValue */
function escapeFieldValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

export interface EventRef {
  /** Omitted for pods (kubectl clears it so that events of any kind about the pod show). */
  kind?: string;
  name: string;
  /** '' for cluster-scoped objects: events in every namespace. */
  namespace: string;
  uid?: string;
}

/**
 * searchEvents: the events whose involvedObject is `ref` (name, namespace, kind and uid when
 * known). Failures give no events, as in kubectl.
 */
export async function searchEvents(client: KubeClient, ref: EventRef): Promise<Event[]> {
  const set: Record<string, string> = { 'involvedObject.name': ref.name, 'involvedObject.namespace': ref.namespace };
  if (ref.kind) set['involvedObject.kind'] = ref.kind;
  if (ref.uid) set['involvedObject.uid'] = ref.uid;
  const fieldSelector = Object.keys(set)
    .sort(compareGoStrings)
    .map((k) => `${k}=${escapeFieldValue(set[k]!)}`)
    .join(',');
  try {
    const list = await client.listAll<Event>(EVENTS, { ...(ref.namespace ? { namespace: ref.namespace } : {}), fieldSelector });
    return list.items;
  } catch {
    return [];
  }
}

/** The events about `o`, an object of kind `kind` (by name, namespace and uid). */
export function eventsAbout(client: KubeClient, kind: string, o: KubeObject): Promise<Event[]> {
  const meta = o.metadata ?? {};
  return searchEvents(client, { kind, name: meta.name ?? '', namespace: meta.namespace ?? '', uid: meta.uid ?? '' });
}

/** What most describers look up: the events about the object. */
export interface EventsRelated {
  events: Event[];
}

/** The `related` phase of a describer whose only lookup is the events about the object. */
export function relatedEvents(kind: string): Describer<EventsRelated>['related'] {
  return async (o, client) => ({ events: await eventsAbout(client, kind, o) });
}

/** DescribeEvents: sorted by lastTimestamp, ages as `10s` or `40s (x7 over 3m)`. */
export function describeEvents(events: readonly Event[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  // event.SortableEvents: by lastTimestamp, with Go's (unstable) sort.Sort as kubectl
  const last = (e: Event) => parseTimestamp(e.lastTimestamp) ?? Number.NEGATIVE_INFINITY;
  const sorted = goSort(events, (a, b) => last(a) < last(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    let firstSince = since(e.eventTime, now);
    if (parseTimestamp(e.eventTime) === undefined) firstSince = since(e.firstTimestamp, now);
    const count = e.count ?? 0;
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${firstSince})`;
    else if (count > 1) interval = `${since(e.lastTimestamp, now)} (x${count} over ${firstSince})`;
    else interval = firstSince;
    // Event.ReportingController is `reportingComponent` in JSON (core/v1 types.go)
    const source = e.source?.component || e.reportingComponent || '';
    let message = (e.message ?? '').trim();
    const fieldPath = e.involvedObject?.fieldPath ?? '';
    if (fieldPath.length > 0) message = `${fieldPath}: ${message}`;
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${message}\n`);
  }
}

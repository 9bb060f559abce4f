/** The Events section of describe: the events about an object (searchEvents) and their table (DescribeEvents). */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import { parseTimestamp } from '../../api/pod-status.ts';
import type { KubeClient } from '../../kube/index.ts';
import { goSort } from '../gosort.ts';
import type { DescribeContext } from './describer.ts';
import { int, obj, since, str } from './fields.ts';
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
export async function searchEvents(client: KubeClient, ref: EventRef): Promise<Obj[]> {
  const set: Record<string, string> = { 'involvedObject.name': ref.name, 'involvedObject.namespace': ref.namespace };
  if (ref.kind) set['involvedObject.kind'] = ref.kind;
  if (ref.uid) set['involvedObject.uid'] = ref.uid;
  const fieldSelector = Object.keys(set)
    .sort(compareGoStrings)
    .map((k) => `${k}=${escapeFieldValue(set[k]!)}`)
    .join(',');
  try {
    const list = await client.listAll(EVENTS, { ...(ref.namespace ? { namespace: ref.namespace } : {}), fieldSelector });
    return list.items;
  } catch {
    return [];
  }
}

/** The events about the object of kind `kind` with metadata `meta` (by name, namespace and uid). */
export function eventsAbout(ctx: DescribeContext, kind: string, meta: Obj): Promise<Obj[]> {
  return searchEvents(ctx.client, { kind, name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
}

/** DescribeEvents: sorted by lastTimestamp, ages as `10s` or `40s (x7 over 3m)`. */
export function describeEvents(events: readonly Obj[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  // event.SortableEvents: by lastTimestamp, with Go's (unstable) sort.Sort as kubectl
  const last = (e: Obj) => parseTimestamp(e.lastTimestamp) ?? Number.NEGATIVE_INFINITY;
  const sorted = goSort(events, (a, b) => last(a) < last(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    let firstSince = since(e.eventTime, now);
    if (parseTimestamp(e.eventTime) === undefined) firstSince = since(e.firstTimestamp, now);
    const series = e.series !== undefined && e.series !== null ? obj(e.series) : undefined;
    let interval: string;
    if (series) interval = `${since(series.lastObservedTime, now)} (x${int(series.count)} over ${firstSince})`;
    else if (int(e.count) > 1) interval = `${since(e.lastTimestamp, now)} (x${int(e.count)} over ${firstSince})`;
    else interval = firstSince;
    const source = str(obj(e.source).component) || str(e.reportingController);
    let message = str(e.message).trim();
    const fieldPath = str(obj(e.involvedObject).fieldPath);
    if (fieldPath.length > 0) message = `${fieldPath}: ${message}`;
    w.write(LEVEL_1, `${str(e.type)}\t${str(e.reason)}\t${interval}\t${source}\t${message}\n`);
  }
}

/**
 * What every describer shares, ported from kubectl's describe.go so that the layout is the
 * same: the PrefixWriter over a tabwriter (minwidth 0, padding 2) that DescribeEvents flushes,
 * multi-line labels/annotations/taints/tolerations, and the Events section.
 */
import { compareGoStrings } from '../../lib/api/label-format.ts';
import { humanDuration, parseTimestamp } from '../../lib/api/pod-status.ts';
import { parseQuantity, type Quantity } from '../../lib/api/quantity.ts';
import type { KubeClient, KubeObject } from '../../lib/kube/index.ts';
import { goSort } from './gosort.ts';
import { DESCRIBE_TABWRITER, escapeTerminal, goSprint, TabBuffer } from '../printers.ts';

export type Obj = Record<string, unknown>;

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

// ---------------------------------------------------------------------------------------------
// loose accessors (objects are decoded JSON)

export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
export function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : goSprint(x))) : [];
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : goSprint(v);
}
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = str(x);
  return out;
}
export function stringOrNone(s: string): string {
  return s.length > 0 ? s : '<none>';
}
/** Go's byte-wise string order (sort.Strings). */
export const goCompare = compareGoStrings;
/** A metav1.Time's HumanDuration since now (`<unknown>` when unset). */
export function since(ts: unknown, now: number): string {
  const t = parseTimestamp(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
/** Quantity.String() of a stored quantity (its canonical form), the raw text if unparsable. */
export function quantityString(v: unknown): string {
  const q = quantity(v);
  return q ? q.toString() : str(v);
}
export function quantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}
export function printBool(v: unknown): string {
  return v === true ? 'True' : 'False';
}

// ---------------------------------------------------------------------------------------------
// PrefixWriter

/** kubectl's prefixWriter: two spaces per level, into a tabwriter that is aligned at the end. */
export class PrefixWriter {
  readonly #buf = new TabBuffer(DESCRIBE_TABWRITER);
  write(level: number, text: string): void {
    this.#buf.write(escapeTerminal('  '.repeat(level) + text));
  }
  /** fmt.Sprintln: the parts space-separated, then a newline. */
  writeLine(...parts: string[]): void {
    this.#buf.write(escapeTerminal(parts.join(' ') + '\n'));
  }
  flush(): void {
    this.#buf.flush();
  }
  toString(): string {
    return this.#buf.toString();
  }
}

/** NewNestedPrefixWriter: the same writer, `indent` levels deeper. */
export class NestedPrefixWriter extends PrefixWriter {
  constructor(
    private readonly inner: PrefixWriter,
    private readonly indent: number,
  ) {
    super();
  }
  override write(level: number, text: string): void {
    this.inner.write(level + this.indent, text);
  }
  override writeLine(...parts: string[]): void {
    this.inner.write(this.indent, parts.join(' ') + '\n');
  }
  override flush(): void {
    this.inner.flush();
  }
}

// ---------------------------------------------------------------------------------------------
// multi-line fields

export function printLabelsMultilineWithIndent(w: PrefixWriter, initialIndent: string, title: string, innerIndent: string, labels: Record<string, string>, skip: ReadonlySet<string> = new Set()): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels)
    .filter((k) => !skip.has(k))
    .sort(goCompare);
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${key}=${labels[key]}\n`);
  });
}

export function printLabelsMultiline(w: PrefixWriter, title: string, labels: unknown): void {
  printLabelsMultilineWithIndent(w, '', title, '\t', strMap(labels));
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function shorten(s: string, max: number): string {
  // Go slices bytes; describe output of long annotation lines is ASCII in practice
  return s.length > max ? s.slice(0, max) + '...' : s;
}

/** printAnnotationsMultiline: long or multi-line values on their own indented lines. */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: unknown): void {
  w.write(LEVEL_0, `${title}:\t`);
  const a = strMap(annotations);
  const keys = Object.keys(a)
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort(goCompare);
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = a[key]!.replace(/\n$/, '');
    if (Buffer.byteLength(value) + Buffer.byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** Taint.ToString: `key=value:Effect`, `key:Effect`. */
export function taintString(t: Obj): string {
  const key = str(t.key);
  const value = str(t.value);
  const effect = str(t.effect);
  if (value.length > 0) return `${key}=${value}:${effect}`;
  return effect.length > 0 ? `${key}:${effect}` : key;
}

export function printNodeTaintsMultiline(w: PrefixWriter, title: string, taints: unknown): void {
  w.write(LEVEL_0, `${title}:\t`);
  const list = arr(taints);
  if (list.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: Obj) => `${str(t.effect)},${str(t.key)}`;
  [...list]
    .sort((a, b) => goCompare(key(a), key(b)))
    .forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${taintString(t)}\n`);
    });
}

export function printTolerationsMultilineWithIndent(w: PrefixWriter, initialIndent: string, title: string, innerIndent: string, tolerations: unknown): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const list = arr(tolerations);
  if (list.length === 0) {
    w.writeLine('<none>');
    return;
  }
  [...list]
    .sort((a, b) => goCompare(str(a.key), str(b.key)))
    .forEach((t, i) => {
      if (i !== 0) {
        w.write(LEVEL_0, initialIndent);
        w.write(LEVEL_0, innerIndent);
      }
      const key = str(t.key);
      const value = str(t.value);
      const effect = str(t.effect);
      let line = key;
      if (value.length !== 0) line += `=${value}`;
      if (effect.length !== 0) line += `:${effect}`;
      if (t.operator === 'Exists' && value.length === 0) line += key.length !== 0 || effect.length !== 0 ? ' op=Exists' : 'op=Exists';
      if (typeof t.tolerationSeconds === 'number') line += ` for ${int(t.tolerationSeconds)}s`;
      w.write(LEVEL_0, `${line}\n`);
    });
}

export function printPodTolerationsMultiline(w: PrefixWriter, title: string, tolerations: unknown): void {
  printTolerationsMultilineWithIndent(w, '', title, '\t', tolerations);
}

/** metav1.GetControllerOf as `Kind/name`. */
export function printController(o: KubeObject | Obj): string {
  const ref = arr(obj(o.metadata).ownerReferences).find((r) => r.controller === true);
  return ref ? `${str(ref.kind)}/${str(ref.name)}` : '';
}

// ---------------------------------------------------------------------------------------------
// events

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
    .sort(goCompare)
    .map((k) => `${k}=${escapeFieldValue(set[k]!)}`)
    .join(',');
  try {
    const list = await client.listAll(EVENTS, { ...(ref.namespace ? { namespace: ref.namespace } : {}), fieldSelector });
    return list.items as unknown as Obj[];
  } catch {
    return [];
  }
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

/** The shared inputs of a describer. */
export interface DescribeContext {
  client: KubeClient;
  /** The clock ages are computed against (ms). */
  now: number;
}

/**
 * The multi-line fields every describer prints (describe.go's printLabelsMultiline,
 * printAnnotationsMultiline, printNodeTaintsMultiline, printTolerationsMultiline), and the
 * header most of them start with.
 */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import { formatObjectRef } from '../../api/meta.ts';
import { arr, int, obj, str, strMap } from './fields.ts';
import { LEVEL_0, type PrefixWriter } from './prefix-writer.ts';

export function printLabelsMultiline(w: PrefixWriter, title: string, labels: unknown): void {
  w.write(LEVEL_0, `${title}:\t`);
  const m = strMap(labels);
  const keys = Object.keys(m).sort(compareGoStrings);
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${key}=${m[key]}\n`);
  });
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
    .sort(compareGoStrings);
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

/** `Labels:` and `Annotations:` of an object's metadata. */
export function printLabelsAndAnnotations(w: PrefixWriter, meta: Obj): void {
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
}

/** The `Name:`, `Namespace:`, `Labels:`, `Annotations:` lines most describers start with. */
export function printObjectHeader(w: PrefixWriter, meta: Obj): void {
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsAndAnnotations(w, meta);
}

/** Taint.ToString: `key=value:Effect`, `key:Effect`. */
function taintString(t: Obj): string {
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
    .sort((a, b) => compareGoStrings(key(a), key(b)))
    .forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${taintString(t)}\n`);
    });
}

/** printPodTolerationsMultiline: `key=value:Effect op=Exists for 300s`, sorted by key. */
export function printPodTolerationsMultiline(w: PrefixWriter, title: string, tolerations: unknown): void {
  w.write(LEVEL_0, `${title}:\t`);
  const list = arr(tolerations);
  if (list.length === 0) {
    w.writeLine('<none>');
    return;
  }
  [...list]
    .sort((a, b) => compareGoStrings(str(a.key), str(b.key)))
    .forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
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

/** metav1.GetControllerOf as `Kind/name` (`''` when there is none). */
export function printController(o: { metadata?: unknown }): string {
  const ref = arr(obj(o.metadata).ownerReferences).find((r) => r.controller === true);
  return ref ? formatObjectRef({ kind: str(ref.kind), name: str(ref.name) }) : '';
}

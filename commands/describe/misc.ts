/** `describe namespace|configmap|secret`, and kubectl's generic describer for every other kind. */
import {
  arr,
  describeEvents,
  goCompare,
  LEVEL_0,
  LEVEL_1,
  obj,
  printAnnotationsMultiline,
  printLabelsMultiline,
  PrefixWriter,
  quantityString,
  searchEvents,
  str,
  strMap,
  strs,
  type DescribeContext,
  type Obj,
} from './common.ts';
import { rfc1123z, goSprint } from '../printers.ts';
import type { ApiResource } from '../../lib/kube/index.ts';

const QUOTAS = { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true } as const;
const LIMIT_RANGES = { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true } as const;

export async function describeNamespace(ns: Obj, ctx: DescribeContext): Promise<string> {
  const name = str(obj(ns.metadata).name);
  const table = await ctx.client.discover();
  // A server without quotas / limit ranges (kite's) answers 404: kubectl then leaves the sections out.
  let quotas: Obj[] | undefined;
  let limitRanges: Obj[] | undefined;
  if (table.forKind('', 'v1', 'ResourceQuota')) quotas = (await ctx.client.listAll(QUOTAS, { namespace: name })).items as unknown as Obj[];
  if (table.forKind('', 'v1', 'LimitRange')) limitRanges = (await ctx.client.listAll(LIMIT_RANGES, { namespace: name })).items as unknown as Obj[];
  return describeNamespaceText(ns, quotas, limitRanges);
}

export function describeNamespaceText(ns: Obj, quotas: Obj[] | undefined, limitRanges: Obj[] | undefined): string {
  const meta = obj(ns.metadata);
  const status = obj(ns.status);
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, `Status:\t${str(status.phase)}\n`);
  const conditions = arr(status.conditions);
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(LEVEL_1, `${str(c.type)}\t${str(c.status)}\t${rfc1123z(c.lastTransitionTime)}\t${str(c.reason)}\t${str(c.message)}\n`);
  }
  if (quotas) {
    w.write(LEVEL_0, '\n');
    describeResourceQuotas(quotas, w);
  }
  if (limitRanges) {
    w.write(LEVEL_0, '\n');
    describeLimitRanges(limitRanges, w);
  }
  return w.toString();
}

function describeResourceQuotas(quotas: Obj[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => goCompare(str(obj(a.metadata).name), str(obj(b.metadata).name)))) {
    w.write(LEVEL_1, `Name:\t${str(obj(q.metadata).name)}\n`);
    const scopes = strs(obj(q.spec).scopes).sort(goCompare);
    if (scopes.length > 0) w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = obj(obj(q.status).hard);
    const used = obj(obj(q.status).used);
    for (const r of Object.keys(hard).sort(goCompare)) w.write(LEVEL_1, `${r}\t${used[r] === undefined ? '0' : quantityString(used[r])}\t${quantityString(hard[r])}\n`);
  }
}

function describeLimitRanges(ranges: Obj[], w: PrefixWriter): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of ranges) {
    for (const item of arr(obj(lr.spec).limits)) {
      const fields = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].map((f) => obj(item[f]));
      const names = [...new Set(fields.flatMap((f) => Object.keys(f)))].sort(goCompare);
      const [max, min, def, defReq, ratio] = fields as [Obj, Obj, Obj, Obj, Obj];
      const v = (m: Obj, k: string) => (m[k] === undefined ? '-' : quantityString(m[k]));
      for (const k of names) w.write(LEVEL_0, ` ${str(item.type)}\t${k}\t${v(min, k)}\t${v(max, k)}\t${v(defReq, k)}\t${v(def, k)}\t${v(ratio, k)}\n`);
    }
  }
}

export async function describeConfigMap(cm: Obj, ctx: DescribeContext): Promise<string> {
  const meta = obj(cm.metadata);
  const events = await searchEvents(ctx.client, { kind: 'ConfigMap', name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, '\nData\n====\n');
  const data = strMap(cm.data);
  for (const k of Object.keys(data).sort(goCompare)) {
    w.write(LEVEL_0, `${k}:\n----\n`);
    w.write(LEVEL_0, `${data[k]}\n`);
    w.write(LEVEL_0, '\n');
  }
  w.write(LEVEL_0, '\nBinaryData\n====\n');
  const binary = strMap(cm.binaryData);
  for (const k of Object.keys(binary).sort(goCompare)) w.write(LEVEL_0, `${k}: ${Buffer.from(binary[k]!, 'base64').length} bytes\n`);
  w.write(LEVEL_0, '\n');
  describeEvents(events, w, ctx.now);
  return w.toString();
}

export async function describeSecret(secret: Obj): Promise<string> {
  const meta = obj(secret.metadata);
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, `\nType:\t${str(secret.type)}\n`);
  w.write(LEVEL_0, '\nData\n====\n');
  const data = strMap(secret.data);
  for (const k of Object.keys(data).sort(goCompare)) {
    const bytes = Buffer.from(data[k]!, 'base64');
    if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`);
    else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
  }
  return w.toString();
}

// ---------------------------------------------------------------------------------------------
// generic

/** fatih/camelcase.Split: runs of lower / upper / digit / other, `PDFLoader` -> `PDF`, `Loader`. */
export function camelcaseSplit(src: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const r of src) {
    const cls = /\p{Ll}/u.test(r) ? 1 : /\p{Lu}/u.test(r) ? 2 : /\p{Nd}/u.test(r) ? 3 : 4;
    if (cls === last) runs[runs.length - 1]!.push(r);
    else runs.push([r]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (/\p{Lu}/u.test(runs[i]![0]!) && /\p{Ll}/u.test(runs[i + 1]![0]!)) {
      runs[i + 1]!.unshift(runs[i]!.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

const COMMON_ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** smartLabelFor: `holderIdentity` -> `Holder Identity`, `apiVersion` -> `API Version`. */
export function smartLabelFor(field: string): string {
  if ([...field].some((r) => !/\p{L}/u.test(r) && r !== '-')) return field;
  const out: string[] = [];
  for (const part of camelcaseSplit(field)) {
    if (part === '_') continue;
    if (COMMON_ACRONYMS.includes(part.toUpperCase())) out.push(part.toUpperCase());
    else out.push(part.charAt(0).toUpperCase() + part.slice(1));
  }
  return out.join(' ');
}

function printUnstructuredContent(w: PrefixWriter, level: number, content: Obj, skipPrefix: string, skip: readonly string[]): void {
  for (const field of Object.keys(content).sort(goCompare)) {
    const value = content[field];
    const skipExpr = `${skipPrefix}.${field}`;
    if (skip.includes(skipExpr)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructuredContent(w, level + 1, value as Obj, skipExpr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) printUnstructuredContent(w, level + 1, child as Obj, skipExpr, skip);
        else w.write(level + 1, `${goSprint(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goSprint(value)}\n`);
    }
  }
}

/** kubectl's genericDescriber: metadata, then every field with smart labels, then events. */
export async function describeGeneric(o: Obj, res: ApiResource, ctx: DescribeContext): Promise<string> {
  const meta = obj(o.metadata);
  const events = await searchEvents(ctx.client, { kind: res.kind, name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  printUnstructuredContent(w, LEVEL_0, o, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  describeEvents(events, w, ctx.now);
  return w.toString();
}

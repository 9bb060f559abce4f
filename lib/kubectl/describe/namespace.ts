/** `describe namespace`: status, conditions, and the quota and limit-range sections where the server has them. */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings } from '../../api/label-format.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { Namespace } from '../../api/model.ts';
import { rfc1123z } from '../time.ts';
import type { Describer } from './describer.ts';
import { arr, obj, quantityString, str, strs } from './fields.ts';
import { printLabelsAndAnnotations } from './multiline.ts';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './prefix-writer.ts';

const QUOTAS = { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true } as const;
const LIMIT_RANGES = { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true } as const;

/** What describe looks up for a Namespace: its quotas and limit ranges, each absent when the server does not serve the kind. */
export interface NamespaceRelated {
  quotas?: KubeObject[];
  limitRanges?: KubeObject[];
}

export const namespaceDescriber: Describer<NamespaceRelated> = {
  kind: 'Namespace',
  groups: [''],
  async related(ns, client) {
    const name = ns.metadata.name ?? '';
    const table = await client.discover();
    // A server without quotas / limit ranges (kite's) answers 404: kubectl then leaves the sections out.
    const related: NamespaceRelated = {};
    if (table.forKind('', 'v1', 'ResourceQuota')) related.quotas = (await client.listAll(QUOTAS, { namespace: name })).items;
    if (table.forKind('', 'v1', 'LimitRange')) related.limitRanges = (await client.listAll(LIMIT_RANGES, { namespace: name })).items;
    return related;
  },
  render(o, { quotas, limitRanges }) {
    const ns = o as Namespace;
    const meta = obj(ns.metadata);
    const status = ns.status ?? {};
    const w = new PrefixWriter();
    w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
    printLabelsAndAnnotations(w, meta);
    w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    const conditions = status.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
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
  },
};

function describeResourceQuotas(quotas: readonly KubeObject[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => compareGoStrings(str(obj(a.metadata).name), str(obj(b.metadata).name)))) {
    w.write(LEVEL_1, `Name:\t${str(obj(q.metadata).name)}\n`);
    const scopes = strs(obj(q.spec).scopes).sort(compareGoStrings);
    if (scopes.length > 0) w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = obj(obj(q.status).hard);
    const used = obj(obj(q.status).used);
    for (const r of Object.keys(hard).sort(compareGoStrings)) w.write(LEVEL_1, `${r}\t${used[r] === undefined ? '0' : quantityString(used[r])}\t${quantityString(hard[r])}\n`);
  }
}

function describeLimitRanges(ranges: readonly KubeObject[], w: PrefixWriter): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of ranges) {
    for (const item of arr(obj(lr.spec).limits)) {
      const fields = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].map((f) => obj(item[f]));
      const names = [...new Set(fields.flatMap((f) => Object.keys(f)))].sort(compareGoStrings);
      const [max, min, def, defReq, ratio] = fields as [Obj, Obj, Obj, Obj, Obj];
      const v = (m: Obj, k: string) => (m[k] === undefined ? '-' : quantityString(m[k]));
      for (const k of names) w.write(LEVEL_0, ` ${str(item.type)}\t${k}\t${v(min, k)}\t${v(max, k)}\t${v(defReq, k)}\t${v(def, k)}\t${v(ratio, k)}\n`);
    }
  }
}


/** Label and selector formatting as kubectl prints them (labels.FormatLabels, metav1.FormatLabelSelector). */
import { labelSelectorAsSelector, type LabelSelector } from '../../lib/api/selector.ts';
import { goCompare, strMap } from './common.ts';

/** `k=v,...` sorted by key; `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const m = strMap(labels);
  const s = Object.keys(m)
    .sort(goCompare)
    .map((k) => `${k}=${m[k]}`)
    .join(',');
  return s === '' ? '<none>' : s;
}

/** The selector's String(); `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  try {
    const s = labelSelectorAsSelector(selector === undefined || selector === null ? null : (selector as LabelSelector)).toString();
    return s === '' ? '<none>' : s;
  } catch {
    return '<error>';
  }
}

/** labels.SelectorFromSet(map).String(): the label-selector query for a map selector. */
export function selectorFromMap(labels: unknown): string {
  const m = strMap(labels);
  return Object.keys(m)
    .sort(goCompare)
    .map((k) => `${k}=${m[k]}`)
    .join(',');
}

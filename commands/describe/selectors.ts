/** Label and selector formatting as kubectl prints them (labels.FormatLabels, metav1.FormatLabelSelector). */
import { goCompare, strMap } from './common.ts';

export { formatLabels, formatLabelSelector } from '../../lib/api/label-format.ts';

/** labels.SelectorFromSet(map).String(): the label-selector query for a map selector. */
export function selectorFromMap(labels: unknown): string {
  const m = strMap(labels);
  return Object.keys(m)
    .sort(goCompare)
    .map((k) => `${k}=${m[k]}`)
    .join(',');
}

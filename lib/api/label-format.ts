/** Labels and selectors as Kubernetes prints them (labels.FormatLabels, metav1.FormatLabelSelector). */
import { compareGoStrings } from './go-order.ts';
import { labelSelectorAsSelector, type LabelSelector } from './selector.ts';

export { compareGoStrings };

/** `k=v,...` sorted by key; `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const m = labels !== null && typeof labels === 'object' && !Array.isArray(labels) ? (labels as Record<string, unknown>) : {};
  const s = Object.keys(m)
    .sort(compareGoStrings)
    .map((k) => `${k}=${typeof m[k] === 'string' ? m[k] : ''}`)
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

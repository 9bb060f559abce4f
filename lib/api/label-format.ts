/** Labels and selectors as Kubernetes prints them (labels.FormatLabels, metav1.FormatLabelSelector). */
import { labelSelectorAsSelector, type LabelSelector } from './selector.ts';

/** Go's sort.Strings: byte order of the UTF-8 text, i.e. code point order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

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

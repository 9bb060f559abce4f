// STUB: signatures agreed; implementation in progress (helper A).
import type { Diagnostic } from './diagnostics.ts';
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
export interface Requirement { key: string; operator: Operator; values: string[] }
export interface LabelSelectorRequirement { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }
export interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }
export class SelectorError extends Error {}
export interface Selector {
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  isEmpty(): boolean;
  /** Canonical string form, as Kubernetes' Selector.String() (requirements sorted by key). */
  toString(): string;
}
/** The string language: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. Throws SelectorError. */
export function parseSelector(input: string): Selector { void input; throw new Error('not implemented'); }
/** metav1.LabelSelectorAsSelector. Throws SelectorError. */
export function labelSelectorAsSelector(ls: LabelSelector): Selector { void ls; throw new Error('not implemented'); }
/** labels.SelectorFromSet (equality on every pair). */
export function selectorFromSet(set: Record<string, string>): Selector { void set; throw new Error('not implemented'); }
/** Validation of a metav1.LabelSelector value (ValidateLabelSelector). */
export function validateLabelSelector(ls: LabelSelector, path: string): Diagnostic[] { void ls; void path; throw new Error('not implemented'); }

import type { IConstruct } from 'constructs';
import type { PolicyRule, PolicySeverity } from './rule.ts';

/** A rule as attached to a construct: with the severity it applies at there. */
export interface AttachedRule {
  rule: PolicyRule;
  severity: PolicySeverity;
}

// A global symbol, not a module-level WeakMap: a construct library may load its own copy of
// kite's module, and its attachments must still be seen by the kite that synthesizes.
const POLICIES = Symbol.for('kite.policies');

type WithPolicies = IConstruct & { [POLICIES]?: AttachedRule[] };

/**
 * Attaches a rule to a construct and everything under it (a construct library's team policy on
 * its own constructs). Errors by default, unless the rule or `severity` says otherwise.
 */
export function addPolicy(scope: IConstruct, rule: PolicyRule, options: { severity?: PolicySeverity } = {}): void {
  const c = scope as WithPolicies;
  if (!Object.hasOwn(c, POLICIES)) Object.defineProperty(c, POLICIES, { value: [], enumerable: false });
  c[POLICIES]!.push({ rule, severity: options.severity ?? rule.severity ?? 'error' });
}

/** The rules attached to a construct or to any of its scopes, outermost first. */
export function attachedRules(c: IConstruct): AttachedRule[] {
  return c.node.scopes.flatMap((s) => (Object.hasOwn(s, POLICIES) ? (s as WithPolicies)[POLICIES]! : []));
}

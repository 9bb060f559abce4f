import type { KubeObject } from '../api/meta.ts';

/**
 * Policies: rules that every synthesized object (and every object of plain YAML input) must
 * follow — every container has memory limits, no hostPath in prod, images from an allowed
 * registry. They run at synth, after the object model has validated the object; violations are
 * collected as diagnostics (code `policy`), each naming the rule, the object, the field path,
 * the construct path and the user's file:line.
 */
export type PolicySeverity = 'error' | 'warning';

/** One problem a rule found in one object. */
export interface PolicyViolation {
  /** Field path inside the object, Kubernetes style (`spec.template.spec.containers[0].resources.limits.memory`). */
  path: string;
  message: string;
}

export interface PolicyRule {
  /** Stable, kebab-case: `container-memory-limits`. Shown with every violation. */
  name: string;
  /** One line: what the rule asks and why. */
  description: string;
  /** Default severity when the rule is added without one. */
  severity?: PolicySeverity;
  /** The object's problems; none (an empty list or undefined) if it follows the rule. */
  check(object: KubeObject): readonly PolicyViolation[] | undefined;
}

/**
 * How a stack treats kite's built-in best-practice rules: `warning` (default) reports them as
 * warnings, `error` makes them fail synth/validate/plan/apply, `off` skips them.
 */
export type BestPracticesMode = 'warning' | 'error' | 'off';

export interface StackPolicies {
  /** kite's built-in best-practice rules (default `warning`). */
  bestPractices?: BestPracticesMode;
  /** The stack's own rules, for every object of the stack (errors unless a rule says otherwise). */
  rules?: PolicyRule[];
}

import type { IConstruct } from 'constructs';
import type { Diagnostic } from '../api/diagnostics.ts';
import type { Stack } from '../constructs/stack.ts';
import type { Manifest } from '../synth/manifest.ts';
import { attachedRules, type AttachedRule } from './attach.ts';
import { builtInRules, checkPolicies, WarningBudget } from './check.ts';
import type { BestPracticesMode } from './rule.ts';

/**
 * A program's stack: each object checked against the built-in best practices (at the stack's
 * mode, or `override` from the command line), the stack's own rules, and the rules attached to
 * the construct that made it or to any of its scopes.
 */
export function checkStackPolicies(stack: Stack, manifests: readonly Manifest[], override?: BestPracticesMode): Diagnostic[] {
  const builtIn = builtInRules(override ?? stack.policies.bestPractices ?? 'warning');
  const stackRules: AttachedRule[] = (stack.policies.rules ?? []).map((rule) => ({ rule, severity: rule.severity ?? 'error' }));
  const constructs = new Map<string, IConstruct>();
  // The same construct path synthStack gave each object.
  for (const c of stack.node.findAll()) constructs.set(`${stack.name}/${c.node.path}`.replace(/\/$/, ''), c);
  const shown = new WarningBudget();
  // One list for every object with no rules attached to its constructs (most of them): checkPolicies
  // then resolves it once, not per object.
  const stackWide = [...builtIn, ...stackRules];
  const found = manifests.flatMap((m) => {
    const c = m.origin.construct !== undefined ? constructs.get(m.origin.construct) : undefined;
    const attached = c ? attachedRules(c) : [];
    return checkPolicies(m, attached.length > 0 ? [...stackWide, ...attached] : stackWide, shown);
  });
  return [...found, ...shown.summary()];
}

// The policy part of kite's public API.
export { addPolicy } from './attach.ts';
export * as policies from './public-rules.ts';
export type { PolicyRule, PolicySeverity, PolicyViolation, StackPolicies, BestPracticesMode } from './rule.ts';

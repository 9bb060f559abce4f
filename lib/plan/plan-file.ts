/**
 * What makes a plan applicable beyond its schema: its parts agree with one another. A saved plan
 * edited by hand (its `stack`, its ApplySet, an action's manifest) must be refused before
 * anything is written, naming the field, never crash apply halfway.
 */
import type { KubeObject } from '../api/meta.ts';
import { KiteError } from '../errors.ts';
import { APPLYSET_PART_OF_LABEL, ApplySetError, applySetFor, keyOf, refOf } from './inventory.ts';
import { refId, type Plan } from './plan.ts';

/** A saved plan that cannot be applied: unreadable, not a plan, or edited so that its parts disagree. */
export class PlanFileError extends KiteError {
  constructor(
    /** What is wrong, without the file. */
    readonly reason: string,
    /** The field, zod-style (`actions.0.desired`), if one is at fault. */
    readonly field?: string,
    /** The plan file, if the plan came from one. */
    path?: string,
  ) {
    super([path, field, reason].filter(Boolean).join(': '), { code: 'plan-file', ...(path !== undefined ? { path } : {}) });
  }
}

/** One way a plan disagrees with itself. */
export interface PlanProblem {
  field: string;
  message: string;
}

/** Every disagreement between the parts of a (schema-valid) plan; none for a plan kite made. */
export function planProblems(plan: Plan): PlanProblem[] {
  let expected;
  try {
    expected = applySetFor(plan.stack);
  } catch (e) {
    if (e instanceof ApplySetError) return [{ field: 'stack', message: e.message }];
    throw e;
  }
  const problems: PlanProblem[] = [];
  const parentMatches = refId(plan.applySet.parent) === refId(expected.parent) && plan.applySet.parent.apiVersion === expected.parent.apiVersion;
  if (!parentMatches && plan.applySet.id !== expected.id) {
    problems.push({ field: 'stack', message: `"${plan.stack}" is not the stack the plan was made for (its ApplySet parent is ${refId(plan.applySet.parent)}): the file was edited` });
  } else if (!parentMatches) {
    problems.push({ field: 'applySet.parent', message: `stack ${plan.stack}'s ApplySet parent is ${refId(expected.parent)}, not ${refId(plan.applySet.parent)}: the file was edited` });
  } else if (plan.applySet.id !== expected.id) {
    problems.push({ field: 'applySet.id', message: `stack ${plan.stack}'s ApplySet id is ${expected.id}, not ${plan.applySet.id}: the file was edited` });
  }
  // The manifests are judged against the stack's ApplySet: meaningless while that is wrong.
  if (problems.length > 0) return problems;
  plan.actions.forEach((a, i) => {
    const at = `actions.${i}.desired`;
    if (!a.desired) {
      if (a.action === 'create' || a.action === 'update' || a.action === 'replace' || a.action === 'adopt' || a.action === 'move') problems.push({ field: at, message: `a ${a.action} of ${refId(a.ref)} needs the manifest to write` });
      return;
    }
    const desired = a.desired as unknown as KubeObject;
    if (typeof desired.metadata !== 'object' || desired.metadata === null) {
      problems.push({ field: `${at}.metadata`, message: 'expected an object' });
      return;
    }
    const ref = refOf(desired);
    if (ref.apiVersion !== a.ref.apiVersion || keyOf(ref) !== keyOf(a.ref)) {
      problems.push({ field: at, message: `the manifest is ${refId(ref)} (${String(ref.apiVersion)}), but the action is on ${refId(a.ref)} (${a.ref.apiVersion})` });
    } else if (desired.metadata.labels?.[APPLYSET_PART_OF_LABEL] !== expected.id) {
      problems.push({ field: `${at}.metadata.labels`, message: `${APPLYSET_PART_OF_LABEL} must be stack ${plan.stack}'s ApplySet id ${expected.id}` });
    }
  });
  return problems;
}

/** Throws PlanFileError for the first disagreement between the plan's parts. */
export function checkPlan(plan: Plan, path?: string): void {
  const [first] = planProblems(plan);
  if (first) throw new PlanFileError(first.message, first.field, path);
}

import type { Diagnostic } from '../api/diagnostics.ts';
import { objectRef } from '../api/meta.ts';
import { keyedPath } from '../api/paths.ts';
import type { Manifest, Origin } from '../synth/manifest.ts';
import type { AttachedRule } from './attach.ts';
import { bestPractices } from './best-practices.ts';
import type { BestPracticesMode } from './rule.ts';

/** The built-in best practices at the severity a mode gives them (none when `off`). */
export function builtInRules(mode: BestPracticesMode): AttachedRule[] {
  return mode === 'off' ? [] : bestPractices().map((rule) => ({ rule, severity: mode }));
}

/**
 * Runs each manifest's rules on its (validated) object, every violation a diagnostic located at
 * the user's line. A rule attached twice (a team's `memoryLimits()` and the built-in one) runs
 * once, at its strictest severity.
 */
export function checkPolicies(manifest: Manifest, rules: readonly AttachedRule[], shown: WarningBudget = new WarningBudget()): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Reading where the object was made (a stack trace, source-mapped) is costly: once per object.
  let site: ReturnType<NonNullable<Origin['site']>> | undefined;
  const siteOf = () => (site ??= manifest.origin.site?.() ?? {});
  for (const { rule, severity } of strictest(rules)) {
    let violations;
    try {
      violations = rule.check(manifest.object) ?? [];
    } catch (e) {
      out.push(located(manifest, siteOf, { severity: 'error', code: 'policy', path: '', message: `[${rule.name}] the rule failed: ${(e as Error).message}` }, ''));
      continue;
    }
    for (const v of violations) {
      if (severity === 'warning' && !shown.take(rule.name)) continue;
      const path = keyedPath(manifest.object.kind, manifest.object, v.path);
      out.push(located(manifest, siteOf, { severity, code: 'policy', path, message: `[${rule.name}] ${v.message}` }, v.path));
    }
  }
  return out;
}

/**
 * Warnings shown per rule: a stack of thousands of objects that ignores a best practice would
 * print a warning for each (and locating each costs a source-mapped stack trace). The first few
 * of each rule are shown, the rest counted in one line. Errors are always all shown.
 */
export class WarningBudget {
  private readonly hidden = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  constructor(private readonly perRule = 5) {}

  take(rule: string): boolean {
    const n = (this.counts.get(rule) ?? 0) + 1;
    this.counts.set(rule, n);
    if (n <= this.perRule) return true;
    this.hidden.set(rule, (this.hidden.get(rule) ?? 0) + 1);
    return false;
  }

  /** One warning per rule that had more than its share. */
  summary(where: { file?: string } = {}): Diagnostic[] {
    return [...this.hidden].map(([rule, n]) => ({
      severity: 'warning',
      code: 'policy',
      path: '',
      message: `[${rule}] ${n} more ${n === 1 ? 'violation' : 'violations'} not shown (${this.counts.get(rule)} in all)`,
      ...where,
    }));
  }
}

// A stack passes the same list for each of its objects (check-stack.ts): resolved once per list.
const resolved = new WeakMap<readonly AttachedRule[], { length: number; rules: AttachedRule[] }>();
function strictest(rules: readonly AttachedRule[]): AttachedRule[] {
  const seen = resolved.get(rules);
  if (seen && seen.length === rules.length) return seen.rules;
  const out = strictestByName(rules);
  resolved.set(rules, { length: rules.length, rules: out });
  return out;
}

function strictestByName(rules: readonly AttachedRule[]): AttachedRule[] {
  const byName = new Map<string, AttachedRule>();
  for (const r of rules) {
    const seen = byName.get(r.rule.name);
    if (!seen || (seen.severity === 'warning' && r.severity === 'error')) byName.set(r.rule.name, r);
  }
  return [...byName.values()];
}

/** At the field in YAML (or its nearest written parent: a missing limit points at its container), else where the object was made. */
function located(m: Manifest, siteOf: () => ReturnType<NonNullable<Origin['site']>>, d: Diagnostic, indexPath: string): Diagnostic {
  const o: Origin = m.origin;
  const site = siteOf();
  const at = nearest(o, indexPath) ?? (o.line !== undefined ? o : site.line !== undefined ? site : undefined);
  const file = o.file ?? site.file;
  return {
    ...d,
    object: objectRef(m.object),
    ...(file !== undefined ? { file } : {}),
    ...(at?.line !== undefined ? { line: at.line, ...(at.col !== undefined ? { col: at.col } : {}) } : {}),
    ...(o.construct !== undefined ? { construct: o.construct } : {}),
    ...(site.via !== undefined ? { via: site.via } : {}),
  };
}

function nearest(o: Origin, path: string): { line: number; col: number } | undefined {
  if (!o.locate) return undefined;
  for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '')) {
    const pos = o.locate(p);
    if (pos) return pos;
    if (!/(\.[^.[\]]+|\[[^\]]*\])$/.test(p)) break;
  }
  return undefined;
}

/** Plain YAML input: the built-in best practices only (YAML has no constructs to attach rules to). */
export function checkBuiltIns(manifests: readonly Manifest[], mode: BestPracticesMode): Diagnostic[] {
  const rules = builtInRules(mode);
  if (rules.length === 0) return [];
  const shown = new WarningBudget();
  return [...manifests.flatMap((m) => checkPolicies(m, rules, shown)), ...shown.summary()];
}

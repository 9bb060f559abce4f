/**
 * Which changes cannot be made in place: a plan shows them as a replace (delete, then create)
 * instead of letting apply fail with `field is immutable`. The rules are lib/api's update rules
 * (lib/api/update: the API server's ValidateUpdate of each kind), the very function the local
 * API server enforces; this file only adapts them to the plan:
 *
 *  - the update is predicted as the live object with the program's changes applied (what a
 *    forced server-side apply of the program stores), and a replace is predicted exactly when
 *    lib/api's rules refuse that update;
 *  - each change that the rules refuse on its own is marked as forcing the replace, and the
 *    plan's reason is a readable form of the diagnostic (`spec.selector is immutable`);
 *  - the DefaultTolerationSeconds admission plugin re-adds its two tolerations to every Pod
 *    update on a real cluster, so the prediction does too (the program never declares them).
 *
 * kite policy, not a Kubernetes rule: a Service changing `spec.type` to or from ExternalName is
 * recreated rather than converted (Kubernetes allows the conversion; kite replaces it so the
 * cluster IP and node ports are released and allocated cleanly). See KITE_POLICY below.
 */
import type { Diagnostic } from '../api/diagnostics.ts';
import type { KubeObject } from '../api/meta.ts';
import { validateUpdate } from '../api/update/index.ts';
import { jsonEqual } from '../api/equal.ts';
import { formatPath, isItem, mergeKeyFor, type PathSegment } from '../api/paths.ts';

type Obj = Record<string, unknown>;

export interface ImmutabilityContext {
  kind: string;
  apiVersion: string;
  /** The desired object after server defaulting (what the update would send). */
  desired: Obj;
  /** The live object. */
  live: Obj;
}

export interface ChangeAt {
  path: readonly PathSegment[];
  op: 'add' | 'change' | 'remove';
  /** Live value (undefined for add). */
  live?: unknown;
  /** Desired value after defaulting (undefined for remove). */
  desired?: unknown;
}

export interface ReplacePrediction {
  /** Why the object must be replaced; undefined when the update can be made in place. */
  reason?: string;
  /** Per change (same order): this change forces the replace. */
  forces: boolean[];
}

const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** Whether updating `ctx.live` with `changes` needs a replace, and which changes force it. */
export function predictReplacement(ctx: ImmutabilityContext, changes: readonly ChangeAt[]): ReplacePrediction {
  const reasons = changes.map((c) => kitePolicyReason(ctx, c) ?? ruleReason(ctx, refusal(ctx, [c]), c));
  let first = reasons.findIndex((r) => r !== undefined);
  const whole = refusal(ctx, changes);
  if (first === -1 && whole.length > 0) {
    // Refused only in combination: every change under a refused field forces it.
    const fields = whole.map((d) => d.path.replace(/\[\d+\]$/, ''));
    changes.forEach((c, i) => {
      if (fields.some((f) => within(formatPath(c.path), f))) reasons[i] = ruleReason(ctx, whole, c);
    });
    first = reasons.findIndex((r) => r !== undefined);
    if (first === -1) return { reason: ruleReason(ctx, whole, undefined), forces: changes.map(() => false) };
  }
  const out: ReplacePrediction = { forces: reasons.map((r) => r !== undefined) };
  if (first !== -1) out.reason = reasons[first];
  return out;
}

/** lib/api's diagnostics for updating the live object with `changes`. */
function refusal(ctx: ImmutabilityContext, changes: readonly ChangeAt[]): Diagnostic[] {
  if (changes.length === 0) return [];
  const next = structuredClone(ctx.live);
  for (const c of changes) applyChange(next, ctx.kind, c);
  if (ctx.kind === 'Pod') keepAdmissionTolerations(next, ctx.live);
  return validateUpdate(next as KubeObject, ctx.live as KubeObject).filter((d) => d.severity === 'error');
}

// ---------------------------------------------------------------------------------------------
// kite's own policy

/** Replacements kite chooses although Kubernetes would allow the update in place. */
function kitePolicyReason(ctx: ImmutabilityContext, change: ChangeAt): string | undefined {
  if (ctx.kind !== 'Service' || ctx.apiVersion !== 'v1' || formatPath(change.path) !== 'spec.type') return undefined;
  const typeOf = (o: Obj) => {
    const t = obj(o.spec)?.type;
    return typeof t === 'string' ? t : 'ClusterIP';
  };
  const from = typeOf(ctx.live);
  const to = typeOf(ctx.desired);
  return from !== to && (from === 'ExternalName' || to === 'ExternalName') ? `spec.type ${from} → ${to}` : undefined;
}

/** True when kite replaces this change by its own policy (not a Kubernetes rule). */
export function isKitePolicyReplacement(ctx: ImmutabilityContext, change: ChangeAt): boolean {
  return kitePolicyReason(ctx, change) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// readable reasons

/** The plan's reason for a refused change, from the first diagnostic. */
function ruleReason(ctx: ImmutabilityContext, diags: readonly Diagnostic[], change: ChangeAt | undefined): string | undefined {
  const d = diags[0];
  if (!d) return undefined;
  const changed = change ? formatPath(change.path) : d.path;
  if (d.message.includes('when `immutable` is set')) return `${ctx.kind} is immutable (immutable: true)`;
  if (ctx.kind === 'Pod') {
    if (d.path === 'spec.tolerations') return 'spec.tolerations can only be added to on a Pod';
    if (d.path === 'spec.activeDeadlineSeconds') {
      if (d.message.endsWith('must be less than or equal to previous value')) return 'spec.activeDeadlineSeconds can only be lowered on a Pod';
      if (d.message.endsWith('must not update from a positive integer to nil value')) return 'spec.activeDeadlineSeconds cannot be removed from a Pod';
    }
    if (d.code === 'forbidden') return `${changed} is immutable on a Pod`;
  }
  // The refused field when the change lies inside it (`spec.selector` for a label of it) or it
  // inside the change (`spec.ipFamilies[0]`); otherwise the field the program changed.
  const field = within(changed, d.path) || within(d.path, changed) ? d.path : changed;
  return `${field} is immutable`;
}

/** `path` is `field` or lies inside it (`spec.selector.matchLabels` in `spec.selector`). */
function within(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

// ---------------------------------------------------------------------------------------------
// the predicted update

/** Applies one change of the diff to `root` (a copy of the live object), in place. */
function applyChange(root: Obj, kind: string, change: ChangeAt): void {
  const segs = change.path;
  let node: Obj | unknown[] = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    const wantList = isItem(segs[i + 1]!);
    let child: unknown;
    if (isItem(seg)) {
      const at = itemIndex(node, kind, segs.slice(0, i), seg.id);
      if (at === -1) return;
      child = (node as unknown[])[at];
    } else {
      const o = node as Obj;
      if (o[seg] === undefined || o[seg] === null) o[seg] = wantList ? [] : {};
      child = o[seg];
    }
    if (typeof child !== 'object' || child === null) return;
    node = child as Obj | unknown[];
  }
  const last = segs[segs.length - 1]!;
  const value = structuredClone(change.desired);
  if (isItem(last)) {
    if (!Array.isArray(node)) return;
    const at = itemIndex(node, kind, segs.slice(0, -1), last.id);
    if (change.op === 'remove') {
      if (at !== -1) node.splice(at, 1);
    } else if (at === -1) node.push(value);
    else node[at] = value;
  } else if (!Array.isArray(node)) {
    if (change.op === 'remove') delete node[last];
    else node[last] = value;
  }
}

function itemIndex(list: unknown, kind: string, listPath: readonly PathSegment[], id: string): number {
  const key = mergeKeyFor(kind, listPath);
  if (!key || !Array.isArray(list)) return -1;
  return list.findIndex((item) => obj(item) !== undefined && key.identity(item as Obj) === id);
}

/** DefaultTolerationSeconds admission (on create and update) adds its tolerations back. */
function keepAdmissionTolerations(next: Obj, live: Obj): void {
  const liveTolerations = obj(live.spec)?.tolerations;
  const spec = obj(next.spec);
  if (!spec || !Array.isArray(liveTolerations)) return;
  const tolerations = Array.isArray(spec.tolerations) ? [...spec.tolerations] : [];
  for (const t of liveTolerations) {
    const tol = obj(t);
    if (tol && isAdmissionDefaultToleration(tol) && !tolerations.some((x) => jsonEqual(x, tol))) tolerations.push(tol);
  }
  spec.tolerations = tolerations;
}

/** The tolerations the DefaultTolerationSeconds admission plugin adds to every Pod. */
export function isAdmissionDefaultToleration(t: Obj): boolean {
  return (
    (t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable') &&
    t.operator === 'Exists' &&
    t.effect === 'NoExecute' &&
    t.tolerationSeconds === 300 &&
    (t.value === undefined || t.value === '')
  );
}

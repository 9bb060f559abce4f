/**
 * Secret values never print: in field changes, in the manifests a plan carries, nor in the
 * last-applied annotations those manifests hold. Changes are still detected (the diff compares
 * the real values; only what is shown is masked).
 */
import type { KubeObject } from '../api/meta.ts';
import { isItem, type PathSegment } from '../api/paths.ts';
import type { FieldChange, Plan, PlannedAction } from './plan.ts';

export const SENSITIVE = '(sensitive)';

/** Top-level fields of a Secret whose values are secret. */
const SECRET_FIELDS = new Set(['data', 'stringData']);

/** Annotations that hold a copy of the whole manifest (and so the secret values). */
export const MANIFEST_COPY_ANNOTATIONS = ['kite.dev/last-applied', 'kubectl.kubernetes.io/last-applied-configuration'] as const;

export function isSecretKind(obj: { apiVersion?: unknown; kind?: unknown } | undefined): boolean {
  return obj?.kind === 'Secret' && obj.apiVersion === 'v1';
}

/** True for a path under a Secret's `data` or `stringData`. */
export function isSensitivePath(kind: string, apiVersion: string, segs: readonly PathSegment[]): boolean {
  const first = segs[0];
  return kind === 'Secret' && apiVersion === 'v1' && first !== undefined && !isItem(first) && SECRET_FIELDS.has(first);
}

/**
 * The masked form of a value at a sensitive path: a map keeps its keys (so a plan can say which
 * keys change), every value becomes `(sensitive)`.
 */
export function maskValue(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = SENSITIVE;
    return out;
  }
  return SENSITIVE;
}

/** A field change with before/after/drift values masked. */
export function maskChange(c: FieldChange): FieldChange {
  const out: FieldChange = { ...c };
  if ('before' in c) out.before = maskValue(c.before);
  if ('after' in c) out.after = maskValue(c.after);
  if (c.drift) out.drift = { lastApplied: maskValue(c.drift.lastApplied) };
  return out;
}

/** A copy of a manifest safe to print: a Secret's data/stringData masked and manifest-copy annotations masked. */
export function redactManifest<T extends Record<string, unknown>>(obj: T): T {
  if (!isSecretKind(obj)) return obj;
  const out: Record<string, unknown> = { ...obj };
  for (const f of SECRET_FIELDS) if (f in out && out[f] !== undefined) out[f] = maskValue(out[f]);
  const meta = (obj as Partial<KubeObject>).metadata;
  const ann = meta?.annotations;
  if (ann && MANIFEST_COPY_ANNOTATIONS.some((a) => a in ann)) {
    const masked: Record<string, string> = { ...ann };
    for (const a of MANIFEST_COPY_ANNOTATIONS) if (a in masked) masked[a] = SENSITIVE;
    out.metadata = { ...meta, annotations: masked };
  }
  return out as T;
}

/** A plan safe to print (`kite plan --output json`): Secret manifests redacted. Changes are masked by the diff already. */
export function redactPlan(plan: Plan): Plan {
  return { ...plan, actions: plan.actions.map(redactAction) };
}

function redactAction(a: PlannedAction): PlannedAction {
  const secret = isSecretKind(a.ref);
  if (!secret) return a;
  const out: PlannedAction = { ...a, changes: a.changes.map((c) => (isSensitivePath(a.ref.kind, a.ref.apiVersion, [c.path.split(/[.[]/)[0] ?? '']) ? maskChange(c) : c)) };
  if (a.desired) out.desired = redactManifest(a.desired);
  return out;
}

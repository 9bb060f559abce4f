/**
 * One revision of a stack: what one run of kite applied to one target (or rolled back to), kept in
 * the cluster as a Secret next to the stack's ApplySet parent, as Helm keeps its release records
 * (helm/pkg/storage/driver/secrets.go: type `helm.sh/release.v1`, labels `owner`, `name`,
 * `version`, the release gzipped in `data.release`). Secrets, so values stay out of plain sight.
 *
 *  - name `kite-revision-<stack>.v<N>`, type `kite.dev/revision.v1`, in the parent's namespace;
 *  - labels `kite.dev/stack` (the stack, or a hash of it when it is not a valid label value),
 *    `kite.dev/revision` (N), `app.kubernetes.io/managed-by: kite`; annotation `kite.dev/stack`;
 *  - `data.revision`: the record as gzipped JSON (the API shows it base64 encoded, so
 *    `kubectl get secret ... -o jsonpath='{.data.revision}' | base64 -d | gunzip` reads it).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { KubeObject } from '../../api/meta.ts';
import { KiteError } from '../../errors.ts';
import { PARENT_NAMESPACE, STACK_ANNOTATION } from '../inventory.ts';
import { ActionTypeSchema, ObjectRefSchema, PlanSummarySchema } from '../plan.ts';

export const REVISION_SECRET_TYPE = 'kite.dev/revision.v1';
export const STACK_LABEL = 'kite.dev/stack';
export const REVISION_LABEL = 'kite.dev/revision';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The Secret's key holding the gzipped record. */
export const PAYLOAD_KEY = 'revision';
export const REVISION_FORMAT_VERSION = 1;

export const RevisionSchema = z.strictObject({
  formatVersion: z.literal(REVISION_FORMAT_VERSION),
  stack: z.string(),
  revision: z.number().int().positive(),
  /** When the run finished (ISO 8601). */
  createdAt: z.string(),
  /** `user@host` of the run (as Terraform Cloud and Helm's `--description` users record it). */
  who: z.string(),
  kiteVersion: z.string(),
  target: z.strictObject({ context: z.string(), server: z.string() }),
  /** `rollback`: the run restored revision `rollbackTo`. */
  operation: z.enum(['apply', 'rollback']),
  rollbackTo: z.number().int().positive().optional(),
  /** deployed: everything applied and ready; failed: applied, but not ready (`reason` says why). */
  outcome: z.enum(['deployed', 'failed']),
  reason: z.string().optional(),
  /** The plan's counts. */
  summary: PlanSummarySchema,
  /** What the run changed, in plan order. */
  changes: z.array(z.strictObject({ action: ActionTypeSchema, ref: ObjectRefSchema })),
  /** The desired objects as the program declared them (without kite's ApplySet label and last-applied record): what a rollback plans. */
  manifests: z.array(z.record(z.string(), z.unknown())),
});
export type Revision = z.infer<typeof RevisionSchema>;

/** A revision Secret that cannot be read (edited by hand, written by a newer kite). */
export class RevisionFormatError extends KiteError {
  constructor(name: string, why: string) {
    super(`${PARENT_NAMESPACE}/Secret/${name} is not a readable kite revision: ${why}`, { code: 'revision' });
  }
}

/** The `kite.dev/stack` label value: the stack name, or (too long for a label) a prefix and a hash. */
export function stackLabelValue(stack: string): string {
  if (stack.length <= 63) return stack;
  const hash = createHash('sha256').update(stack).digest('hex').slice(0, 10);
  return `${stack.slice(0, 52)}-${hash}`;
}

/** `kite-revision-<stack>.v<N>` (the stack's label value, so the name is never too long). */
export function revisionSecretName(stack: string, revision: number): string {
  return `kite-revision-${stackLabelValue(stack)}.v${revision}`;
}

/** The Secret that records a revision. */
export function revisionSecret(r: Revision): KubeObject & { type: string; data: Record<string, string> } {
  const payload = gzipSync(JSON.stringify(r)).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: revisionSecretName(r.stack, r.revision),
      namespace: PARENT_NAMESPACE,
      labels: { [STACK_LABEL]: stackLabelValue(r.stack), [REVISION_LABEL]: String(r.revision), [MANAGED_BY_LABEL]: 'kite' },
      annotations: { [STACK_ANNOTATION]: r.stack },
    },
    type: REVISION_SECRET_TYPE,
    data: { [PAYLOAD_KEY]: payload },
  };
}

/** The revision a Secret records (throws RevisionFormatError if it cannot be read). */
export function readRevisionSecret(secret: KubeObject): Revision {
  const name = secret.metadata.name ?? '';
  const data = (secret as { data?: Record<string, string> }).data?.[PAYLOAD_KEY];
  if (!data) throw new RevisionFormatError(name, `no data.${PAYLOAD_KEY}`);
  let raw: unknown;
  try {
    raw = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (e) {
    throw new RevisionFormatError(name, `data.${PAYLOAD_KEY} is not gzipped JSON (${(e as Error).message})`);
  }
  const parsed = RevisionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RevisionFormatError(name, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A revision's manifests as objects. */
export function manifestsOf(r: Revision): KubeObject[] {
  return r.manifests as unknown as KubeObject[];
}

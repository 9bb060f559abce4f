/**
 * The template hash kite stamps on the pod template of a ReplicaSet or ReplicationController it
 * applies, as a Deployment's controller stamps `pod-template-hash`: pods whose label differs (or
 * who lack it) run an older template and are replaced by a rollout. The label is on the template
 * only, never in the selector (immutable on a ReplicaSet), so a changed template keeps its pods
 * owned by the same object. Stamped at plan time (`kite synth` output has no hash), so YAML
 * applied by kite gets it too.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../api/canonical-json.ts';
import type { KubeObject } from '../../api/meta.ts';

export const TEMPLATE_HASH_LABEL = 'kite.dev/template-hash';

/** Rollout settings on the object, so YAML users set them too (an App writes them from `rollout`). */
export const MAX_SURGE_ANNOTATION = 'kite.dev/max-surge';
export const MAX_UNAVAILABLE_ANNOTATION = 'kite.dev/max-unavailable';
/** How long a new pod may take to become ready before the rollout stops (Deployments' progressDeadlineSeconds). */
export const PROGRESS_DEADLINE_ANNOTATION = 'kite.dev/progress-deadline-seconds';
/**
 * Set by a rollout that scaled the object up by its surge: the replicas the program wants. Its
 * presence means a rollout is under way (a re-run continues it); removed when it ends.
 */
export const ROLLOUT_REPLICAS_ANNOTATION = 'kite.dev/rollout-replicas';

/** The kinds kite rolls: their pods are replaced only by someone deleting them. */
export function isRollable(ref: { apiVersion: string; kind: string }): boolean {
  return (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) || (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1');
}

type Template = { metadata?: { labels?: Record<string, string> } & Record<string, unknown> } & Record<string, unknown>;

function templateOf(obj: KubeObject): Template | undefined {
  const spec = obj.spec as { template?: Template } | undefined;
  return spec?.template && typeof spec.template === 'object' ? spec.template : undefined;
}


/** The hash of a pod template, its own hash label left out: 10 characters valid in a label value. */
export function templateHash(template: Template): string {
  const labels = { ...template.metadata?.labels };
  delete labels[TEMPLATE_HASH_LABEL];
  const t = { ...template, metadata: { ...template.metadata, labels } };
  return createHash('sha256').update(canonicalJson(t)).digest('hex').slice(0, 10);
}

/** The hash label on the object's template, if any. */
export function stampedHash(obj: KubeObject): string | undefined {
  return templateOf(obj)?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
}

/** The object with its template stamped (RS/RC only; anything else is returned as is). */
export function stampTemplateHash(obj: KubeObject): KubeObject {
  const template = templateOf(obj);
  if (!template || !isRollable({ apiVersion: obj.apiVersion, kind: obj.kind })) return obj;
  return withTemplateHash(obj, template, templateHash(template));
}

/**
 * The object with its template stamped with `hash`, taken on trust (RS/RC only; anything else is
 * returned as is): for a caller that proves the hash otherwise (planner.ts, from kite's record).
 */
export function stampTemplateHashAs(obj: KubeObject, hash: string): KubeObject {
  const template = templateOf(obj);
  if (!template || !isRollable({ apiVersion: obj.apiVersion, kind: obj.kind })) return obj;
  return withTemplateHash(obj, template, hash);
}

function withTemplateHash(obj: KubeObject, template: Template, hash: string): KubeObject {
  const labels = { ...template.metadata?.labels, [TEMPLATE_HASH_LABEL]: hash };
  return { ...obj, spec: { ...(obj.spec as object), template: { ...template, metadata: { ...template.metadata, labels } } } };
}

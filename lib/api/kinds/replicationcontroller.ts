/**
 * ReplicationController v1 and ValidateReplicationController / ValidateReplicationControllerSpec
 * / ValidatePodTemplateSpecForRC from pkg/apis/core/validation.
 *
 * An absent or empty selector defaults to the template labels (SetDefaults_ReplicationController),
 * so it is only required when the template has no labels either.
 */
import { z } from 'zod';
import { clusterWritten, type ReplicationControllerStatus } from './status.ts';
import { validateLabels } from '../labels.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { selectorFromSet } from '../selector.ts';
import { asObj, asStrMap, checkNonNegative, invalid, required, zInt, zStringMap, type Obj, type Out } from './fields.ts';
import { PodTemplateSpecSchema, validateControllerTemplate, validatePodTemplateSpec } from './pod.ts';
import { SELECTOR_MISMATCH } from './replicaset.ts';
import { goStringMap } from '../go-value.ts';

export const ReplicationControllerSpecSchema = z.strictObject({
  replicas: zInt.optional(),
  minReadySeconds: zInt.optional(),
  selector: zStringMap.optional(),
  template: PodTemplateSpecSchema,
});

export const ReplicationControllerSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ReplicationController'),
  metadata: ObjectMetaSchema,
  spec: ReplicationControllerSpecSchema,
  status: clusterWritten<ReplicationControllerStatus>().optional(),
});

export type ReplicationControllerSpec = z.output<typeof ReplicationControllerSpecSchema>;
export type ReplicationControllerSpecInput = z.input<typeof ReplicationControllerSpecSchema>;
export type ReplicationController = z.output<typeof ReplicationControllerSchema>;
export type ReplicationControllerInput = z.input<typeof ReplicationControllerSchema>;

/** ValidateReplicationController (create). */
export function validateReplicationController(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const spec = asObj(raw.spec);
  if (!spec) return;
  checkNonNegative(out, 'spec.minReadySeconds', spec.minReadySeconds);
  checkNonNegative(out, 'spec.replicas', spec.replicas);
  const template = asObj(spec.template);
  const labels = asStrMap(asObj(template?.metadata)?.labels);
  const templateLabels = labels ?? {};
  const selector = asStrMap(spec.selector);
  if (selector) out.push(...validateLabels(selector, 'spec.selector'));
  const hasSelector = selector !== undefined && Object.keys(selector).length > 0;
  if (!hasSelector && Object.keys(templateLabels).length === 0 && (spec.selector === undefined || selector)) {
    required(out, 'spec.selector');
  }
  if (hasSelector && template) {
    try {
      if (!selectorFromSet(selector).matches(templateLabels)) {
        invalid(out, 'spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH);
      }
    } catch {
      // invalid selector labels were reported by validateLabels
    }
  }
  if (template) {
    validatePodTemplateSpec(out, 'spec.template', template);
    validateControllerTemplate(out, 'spec.template', template, 'ReplicationController');
  }
}

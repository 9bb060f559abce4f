/**
 * ServiceAccount v1 and ValidateServiceAccount (pkg/apis/core/validation): a DNS-subdomain name
 * (ValidateServiceAccountName); the body is references only. The `default` account of every
 * namespace is made by the runtime's serviceaccounts controller, and Pod admission defaults a
 * pod's `spec.serviceAccountName` to it (./pod-admission.ts).
 */
import { z } from 'zod';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { ObjectReferenceSchema } from './endpoints.ts';
import { zBool, zStr, type Obj, type Out } from './fields.ts';

/** serviceaccount.DefaultServiceAccountName */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

export const ServiceAccountSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ServiceAccount'),
  metadata: ObjectMetaSchema,
  secrets: z.array(ObjectReferenceSchema).optional(),
  imagePullSecrets: z.array(z.strictObject({ name: zStr.optional() })).optional(),
  automountServiceAccountToken: zBool.optional(),
});

export type ServiceAccount = z.output<typeof ServiceAccountSchema>;
export type ServiceAccountInput = z.input<typeof ServiceAccountSchema>;

/** ValidateServiceAccount */
export function validateServiceAccount(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
}

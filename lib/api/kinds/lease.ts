/**
 * coordination.k8s.io/v1 Lease (node heartbeats and kite's apply lock) and ValidateLease
 * (pkg/apis/coordination/validation).
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { asInt, asObj, asStr, forbidden, invalid, notSupported, zInt, zStr, type Obj, type Out } from './fields.ts';
import { validateTime } from './formats.ts';

export const LeaseSpecSchema = z.strictObject({
  holderIdentity: zStr.optional(),
  leaseDurationSeconds: zInt.optional(),
  /** metav1.MicroTime */
  acquireTime: zStr.optional(),
  /** metav1.MicroTime */
  renewTime: zStr.optional(),
  leaseTransitions: zInt.optional(),
  strategy: zStr.optional(),
  preferredHolder: zStr.optional(),
});

export const LeaseSchema = z.strictObject({
  apiVersion: z.literal('coordination.k8s.io/v1'),
  kind: z.literal('Lease'),
  metadata: ObjectMetaSchema,
  spec: LeaseSpecSchema.optional(),
});

export type LeaseSpec = z.output<typeof LeaseSpecSchema>;
export type Lease = z.output<typeof LeaseSchema>;
export type LeaseInput = z.input<typeof LeaseSchema>;

const STRATEGIES = ['OldestEmulationVersion'];

/** ValidateLease / ValidateLeaseSpec */
export function validateLease(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const spec = asObj(raw.spec);
  if (!spec) return;
  const p = (f: string) => joinPath('spec', f);
  const duration = asInt(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0) invalid(out, p('leaseDurationSeconds'), duration, 'must be greater than 0');
  const transitions = asInt(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0) invalid(out, p('leaseTransitions'), transitions, 'must be greater than or equal to 0');
  validateTime(out, p('acquireTime'), spec.acquireTime);
  validateTime(out, p('renewTime'), spec.renewTime);
  const strategy = asStr(spec.strategy);
  if (strategy !== undefined && strategy !== '' && !STRATEGIES.includes(strategy)) notSupported(out, p('strategy'), strategy, STRATEGIES);
  if (asStr(spec.preferredHolder) && !strategy) forbidden(out, p('preferredHolder'), 'may only be specified if `strategy` is defined');
}

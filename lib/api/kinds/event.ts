/**
 * core/v1 Event, as controllers, the scheduler and kubelets record them (and describe prints
 * them), and ValidateEventCreate for core/v1 requests (pkg/apis/core/validation/events.go):
 * times that parse, and an involved object in the Event's namespace.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isDNS1123Subdomain } from '../names.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { ObjectReferenceSchema } from './endpoints.ts';
import { asObj, asStr, checkNonNegative, invalid, invalidEach, looseEnum, zInt, zStr, type Obj, type Out } from './fields.ts';
import { validateTime } from './formats.ts';

export const EventSourceSchema = z.strictObject({
  component: zStr.optional(),
  host: zStr.optional(),
});

export const EventSeriesSchema = z.strictObject({
  count: zInt.optional(),
  /** metav1.MicroTime */
  lastObservedTime: zStr.optional(),
});

export const EventSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Event'),
  metadata: ObjectMetaSchema,
  involvedObject: ObjectReferenceSchema,
  reason: zStr.optional(),
  message: zStr.optional(),
  source: EventSourceSchema.optional(),
  firstTimestamp: zStr.nullable().optional(),
  lastTimestamp: zStr.nullable().optional(),
  count: zInt.optional(),
  type: looseEnum(['Normal', 'Warning'] as const).optional(),
  /** metav1.MicroTime */
  eventTime: zStr.nullable().optional(),
  series: EventSeriesSchema.optional(),
  action: zStr.optional(),
  related: ObjectReferenceSchema.optional(),
  reportingComponent: zStr.optional(),
  reportingInstance: zStr.optional(),
});

export type EventSource = z.output<typeof EventSourceSchema>;
export type Event = z.output<typeof EventSchema>;
export type EventInput = z.input<typeof EventSchema>;

/** ValidateEventCreate (legacy core/v1 events: those without eventTime, which is what kite records). */
export function validateEvent(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  for (const f of ['firstTimestamp', 'lastTimestamp', 'eventTime'] as const) validateTime(out, f, raw[f]);
  validateTime(out, 'series.lastObservedTime', asObj(raw.series)?.lastObservedTime);
  checkNonNegative(out, 'count', raw.count);
  const namespace = asStr(asObj(raw.metadata)?.namespace) ?? '';
  const involved = asObj(raw.involvedObject);
  const involvedNs = asStr(involved?.namespace) ?? '';
  const path = joinPath('involvedObject', 'namespace');
  // An involved object without a namespace (a Node) may be reported in "default", for old clients.
  if (involvedNs === '' ? namespace !== '' && namespace !== 'default' : namespace !== '' && involvedNs !== namespace) {
    invalid(out, path, involvedNs, 'does not match event.namespace');
  }
  if (namespace !== '') invalidEach(out, 'namespace', namespace, isDNS1123Subdomain(namespace));
}

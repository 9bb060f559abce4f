/**
 * Admission of an Event create without the generic path: 4 of the 7 writes per pod are Events
 * (Scheduled, Pulled, Created, Started), and admitting them (zod's decode of the whole Event
 * schema, then the semantic checks, then defaults) was two thirds of what recording one cost the
 * runtime (CPU profile of a 2,000-pod ReplicaSet).
 *
 * Upstream decodes the Event (strict decoding: unknown fields per fieldValidation), then runs
 * ValidateEventCreate (pkg/apis/core/validation/events.go). Both are done here for the shape
 * recorders send — TypeMeta, a name and namespace, the involved object, reason, message, type,
 * source, reporting fields, times and count, each a string (count an integer), `null`/`undefined`
 * members dropped as decoding drops them — and the rules as a yes/no (passesEventCreate: those of
 * kinds/event.ts validateEvent, for this shape; test/api/event-create.test.ts holds both paths to
 * the same answers). Anything else (another field or type, `series`, `related`, a rule broken)
 * returns undefined and the caller admits the Event the generic way, so every refusal keeps its
 * wording. The output is the generic path's: the schema's key order, then the kind's defaults.
 */
import { applyDefaults } from './defaults.ts';
import type { Diagnostic } from './diagnostics.ts';
import { ObjectReferenceSchema } from './kinds/endpoints.ts';
import { EventSchema, EventSourceSchema } from './kinds/event.ts';
import { validateName, validateTime } from './kinds/formats.ts';
import { ObjectMetaSchema, type KubeObject } from './meta.ts';
import { isDNS1123Subdomain } from './names.ts';

type Plain = Record<string, unknown>;

/** How one member is decoded: a string, a safe integer, or a nested object of strings. */
type Rule = 'string' | 'int' | { keys: readonly string[]; allowed: ReadonlySet<string> };

/** A nested object whose members are all optional strings, in its schema's key order. */
const stringsOf = (schemaKeys: readonly string[], allowed: readonly string[]): Rule => ({ keys: schemaKeys.filter((k) => allowed.includes(k)), allowed: new Set(allowed) });

const RULES = new Map<string, Rule>([
  ['metadata', stringsOf(Object.keys(ObjectMetaSchema.shape), ['name', 'namespace'])],
  ['involvedObject', stringsOf(Object.keys(ObjectReferenceSchema.shape), Object.keys(ObjectReferenceSchema.shape))],
  ['source', stringsOf(Object.keys(EventSourceSchema.shape), Object.keys(EventSourceSchema.shape))],
  ['reason', 'string'],
  ['message', 'string'],
  ['type', 'string'],
  ['action', 'string'],
  ['reportingComponent', 'string'],
  ['reportingInstance', 'string'],
  ['firstTimestamp', 'string'],
  ['lastTimestamp', 'string'],
  ['eventTime', 'string'],
  ['count', 'int'],
]);

/** Top-level keys in EventSchema's order. */
const ORDER = Object.keys(EventSchema.shape);

function isPlain(v: unknown): v is Plain {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `v` decoded by `rule`, or undefined when it is not that simple shape. */
function decode(v: unknown, rule: Rule): unknown {
  if (rule === 'string') return typeof v === 'string' ? v : undefined;
  if (rule === 'int') return Number.isSafeInteger(v) ? v : undefined;
  if (!isPlain(v)) return undefined;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (!rule.allowed.has(k) || (x !== null && x !== undefined && typeof x !== 'string')) return undefined;
  }
  const out: Plain = {};
  for (const k of rule.keys) {
    const x = v[k];
    if (x !== null && x !== undefined) out[k] = x;
  }
  return out;
}

/** Time strings already found valid: recorders stamp many Events with the same second. */
const validTimes = new Set<string>();
const VALID_TIMES_MAX = 256;

function validTime(path: string, v: unknown): boolean {
  if (typeof v !== 'string' || validTimes.has(v)) return true; // not a string: never decoded this far
  const out: Diagnostic[] = [];
  validateTime(out, path, v);
  if (out.length > 0) return false;
  if (validTimes.size >= VALID_TIMES_MAX) validTimes.clear();
  validTimes.add(v);
  return true;
}

/**
 * Whether a decoded Event of the shape above passes ValidateEventCreate
 * (pkg/apis/core/validation/events.go; kinds/event.ts validateEvent, whose diagnostics the
 * generic path reports): a DNS-subdomain name, a DNS-label namespace that is also a DNS
 * subdomain, times that parse, a count ≥ 0, and an involved object in the Event's namespace (one
 * without a namespace, a Node, may be reported in "default"). The shape has no other metadata.
 */
function passesEventCreate(e: Plain): boolean {
  const meta = e.metadata as Plain;
  const name = meta.name as string | undefined;
  const namespace = (meta.namespace as string | undefined) ?? '';
  if (!name || validateName('dns-subdomain', name, false).length > 0) return false;
  if (namespace !== '' && (validateName('dns-label', namespace, false).length > 0 || isDNS1123Subdomain(namespace).length > 0)) return false;
  if (!validTime('firstTimestamp', e.firstTimestamp) || !validTime('lastTimestamp', e.lastTimestamp) || !validTime('eventTime', e.eventTime)) return false;
  if ((e.count as number | undefined) !== undefined && (e.count as number) < 0) return false;
  const involvedNs = ((e.involvedObject as Plain).namespace as string | undefined) ?? '';
  return involvedNs === '' ? namespace === '' || namespace === 'default' : namespace === '' || involvedNs === namespace;
}

/**
 * The admitted Event of a create (`input` as the registry hands it to admission), or undefined
 * when it is not the simple, valid shape above: then the generic admission decides.
 */
export function admitEventCreate(input: unknown): KubeObject | undefined {
  if (!isPlain(input) || input.apiVersion !== 'v1' || input.kind !== 'Event') return undefined;
  const decoded: Plain = { apiVersion: 'v1', kind: 'Event' };
  for (const k of Object.keys(input)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    const v = input[k];
    if (v === null || v === undefined) continue;
    const rule = RULES.get(k);
    if (!rule) return undefined;
    const d = decode(v, rule);
    if (d === undefined) return undefined;
    decoded[k] = d;
  }
  if (!decoded.metadata || !decoded.involvedObject) return undefined; // required by the schema
  if (!passesEventCreate(decoded)) return undefined;
  const ordered: Plain = {};
  for (const k of ORDER) if (decoded[k] !== undefined) ordered[k] = decoded[k];
  return applyDefaults(ordered as unknown as KubeObject, { mode: 'create', owned: true });
}

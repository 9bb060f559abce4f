/** Reading a request: bodies (JSON, protobuf, patches), and the query parameters of writes, lists and deletes. */
import type { IncomingMessage } from 'node:http';
import type { FieldValidation } from '../admission.ts';
import type { PatchType } from '../patching.ts';
import type { DeleteOptions, ListOptions } from '../registry.ts';
import { ApiError, errors } from '../status.ts';
import { checkDepth, jsonTypeName, parseJsonText, parseResourceVersion, queryInt } from './decode.ts';
import { PROTOBUF_MEDIA_TYPE, ProtobufDecodeError, decodeProtobufObject } from './protobuf/decode.ts';

/** A decoded JSON request body, not yet validated (admission does that). */
export type JsonBody = Record<string, unknown>;

const MAX_BODY = 3 * 1024 * 1024;

export type WriteQuery = ReturnType<typeof writeOptions>;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function mediaType(req: IncomingMessage, fallback: string): string {
  return (req.headers['content-type'] ?? fallback).split(';')[0]!.trim();
}

/** The media types a create, update or delete body may have. */
const BODY_TYPES = ['application/json', PROTOBUF_MEDIA_TYPE];

/**
 * A body as its JSON value: JSON, or Kubernetes protobuf (what kubectl's typed clients send:
 * `kubectl create namespace|configmap|secret|service`, drain's DeleteOptions and Evictions, the
 * access reviews of `auth can-i`). `kind` is the kind the endpoint expects, for error messages.
 */
function decodeBody(type: string, body: Buffer, kind: string): unknown {
  if (type === PROTOBUF_MEDIA_TYPE) return protobufBody(body, kind);
  if (type === 'application/json' || type === '' || type === '*/*') return parseJsonText(body.toString('utf8'), 'the request body is not valid JSON');
  // apiserver's NegotiateInputSerializer -> NewUnsupportedMediaTypeError.
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${BODY_TYPES.join(', ')}`);
}

/**
 * A protobuf body decoded, or a 400 worded as the API server's transformDecodeError words the
 * protobuf serializer's errors (apiserver endpoints/handlers/rest.go; the hex summary is its
 * summarizeData, 30 bytes).
 */
function protobufBody(body: Buffer, kind: string): JsonBody {
  try {
    return decodeProtobufObject(body);
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e;
    if (e.envelope?.kind) {
      const version = e.envelope.apiVersion.split('/').pop();
      throw errors.badRequest(`${e.envelope.kind} in version "${version}" cannot be handled as a ${kind}: ${e.message}`);
    }
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): ${e.message} (${summarizeData(body)})`);
  }
}

/** The start of a body for an error message: as text if it looks like JSON, else in hex (apiserver's summarizeData). */
function summarizeData(body: Buffer, max = 30): string {
  if (body.length === 0) return '<empty>';
  const head = body.subarray(0, max);
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return body.length > max ? `${text} ...` : text;
}

/** A create or update body (JSON or protobuf) for an object of `kind`. */
export async function readJson(req: IncomingMessage, kind: string): Promise<JsonBody> {
  return decodeBody(mediaType(req, 'application/json'), await readBody(req), kind) as JsonBody;
}

/** A body that must be a JSON object (DeleteOptions, Scale, Binding, a Namespace to finalize); `goType` is e.g. `v1.Binding`. */
export async function readObject(req: IncomingMessage, goType: string): Promise<JsonBody> {
  const body: unknown = await readJson(req, goType.slice(goType.indexOf('.') + 1));
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    // What Go's decoder says when the body is not an object of the expected kind.
    throw errors.badRequest(`json: cannot unmarshal ${jsonTypeName(body)} into Go value of type ${goType}`);
  }
  return body as JsonBody;
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export async function readPatch(req: IncomingMessage): Promise<{ type: PatchType; patch: unknown }> {
  const contentType = mediaType(req, '');
  const type = PATCH_TYPES[contentType];
  if (!type) throw errors.unsupportedMediaType(contentType);
  const text = (await readBody(req)).toString('utf8');
  const what = 'the patch body could not be decoded';
  if (type !== 'apply') return { type, patch: parseJsonText(text, what) };
  let patch: unknown = jsonObjectOrUndefined(text);
  try {
    if (patch === undefined) {
      const { parse } = await import('yaml');
      patch = parse(text);
    }
  } catch (e) {
    throw errors.badRequest(`${what}: ${(e as Error).message}`);
  }
  checkDepth(patch, what);
  return { type, patch };
}

/** A write's query parameters, and its User-Agent (the field manager of a write that names none). */
export function writeOptions(q: URLSearchParams, userAgent = ''): { dryRun: boolean; fieldManager?: string; userAgent: string; fieldValidation: FieldValidation } {
  const dryRun = q.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw errors.badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') throw errors.badRequest(`fieldValidation parameter must be Strict, Warn or Ignore, got ${fv}`);
  const manager = q.get('fieldManager');
  return { dryRun: dryRun.length > 0, fieldValidation: fv, userAgent, ...(manager ? { fieldManager: manager } : {}) };
}

export function listOptions(q: URLSearchParams): ListOptions {
  const limit = queryInt(q, 'limit');
  // Lists are always served from the newest state, but a resourceVersion must still parse.
  parseResourceVersion(q.get('resourceVersion') ?? '');
  return {
    ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
    ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
    ...(limit ? { limit } : {}),
    ...(q.get('continue') ? { continue: q.get('continue')! } : {}),
  };
}

/** metav1.DeleteOptions as a request body carries it. */
interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: DeleteOptions['preconditions'];
  dryRun?: string[];
}

export async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const bytes = await readBody(req);
  return toDeleteOptions(bytes.toString('utf8').trim() ? decodeBody(mediaType(req, 'application/json'), bytes, 'DeleteOptions') : null, q);
}

/** DeleteOptions from a decoded body (`null`: none) and the query (the body wins, as upstream). */
export function toDeleteOptions(value: unknown, q: URLSearchParams): DeleteOptions {
  const body = deleteOptionsBody(value);
  const grace = body.gracePeriodSeconds ?? queryInt(q, 'gracePeriodSeconds');
  const policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? (body.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) throw errors.badRequest(`Unsupported propagation policy: ${policy}`);
  return {
    ...(policy ? { propagationPolicy: policy as DeleteOptions['propagationPolicy'] } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(body.preconditions ? { preconditions: body.preconditions } : {}),
    ...(q.getAll('dryRun').includes('All') || body.dryRun?.includes?.('All') ? { dryRun: true } : {}),
  };
}

/** A DeleteOptions body with its fields' JSON types checked (`null` is no options). */
function deleteOptionsBody(v: unknown): DeleteOptionsBody {
  if (v === null) return {};
  const refuse = (detail: string) => errors.badRequest(`DeleteOptions in version "v1" cannot be handled as a DeleteOptions: ${detail}`);
  if (typeof v !== 'object' || Array.isArray(v)) throw refuse(`json: cannot unmarshal ${jsonTypeName(v)} into Go value of type v1.DeleteOptions`);
  const o = v as Record<string, unknown>;
  const types: Record<string, (x: unknown) => boolean> = {
    gracePeriodSeconds: Number.isInteger,
    propagationPolicy: (x) => typeof x === 'string',
    orphanDependents: (x) => typeof x === 'boolean',
    preconditions: (x) => typeof x === 'object' && !Array.isArray(x),
    dryRun: (x) => Array.isArray(x) && x.every((d) => typeof d === 'string'),
  };
  for (const [field, ok] of Object.entries(types)) {
    if (o[field] !== undefined && o[field] !== null && !ok(o[field])) throw refuse(`json: cannot unmarshal ${jsonTypeName(o[field])} into Go struct field DeleteOptions.${field}`);
  }
  return o as DeleteOptionsBody;
}

export const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

export function includeObject(q: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/**
 * An apply body that is a JSON object (what kubectl and kite send), parsed as JSON: the same value
 * the YAML parser gives (YAML is a superset of JSON), about ten times faster. Anything else,
 * or JSON that does not parse, is left to the YAML parser.
 */
function jsonObjectOrUndefined(text: string): unknown {
  if (text.trimStart()[0] !== '{') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

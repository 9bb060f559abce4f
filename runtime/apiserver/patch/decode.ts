/**
 * PATCH body decoding by Content-Type (the four media types the API server accepts).
 * JSON bodies are parsed with JSON.parse; apply bodies are YAML (kubectl sends JSON, which is
 * YAML) parsed with the `yaml` package (core schema, single document, unique keys).
 */
import { parse as parseYaml } from 'yaml';
import { badRequest, PatchError } from './errors.ts';
import { isObject } from './json.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export const UNSUPPORTED_PATCH_MEDIA_TYPE_MESSAGE =
  'the body of the request was in an unknown format - accepted media types include: ' +
  'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, ' +
  'application/strategic-merge-patch+json';

/** The patch type for a Content-Type header value (parameters ignored), or undefined. */
export function patchTypeForContentType(contentType: string): PatchType | undefined {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(PATCH_CONTENT_TYPES, mediaType) ? PATCH_CONTENT_TYPES[mediaType] : undefined;
}

/**
 * Parses a PATCH body. Throws PatchError 415 for an unknown media type and 400 for a body that
 * does not parse or has the wrong shape (JSON patch: array; strategic/apply: object; merge
 * patch: any JSON value, per RFC 7386).
 */
export function decodePatch(contentType: string, body: string): { type: PatchType; patch: unknown } {
  const type = patchTypeForContentType(contentType ?? '');
  if (!type) throw new PatchError(415, UNSUPPORTED_PATCH_MEDIA_TYPE_MESSAGE);

  let patch: unknown;
  if (type === 'apply') {
    patch = parseApplyBody(body);
    if (!isObject(patch)) throw badRequest(`error decoding YAML: the apply patch must be an object, got ${describe(patch)}`);
    return { type, patch };
  }

  try {
    patch = JSON.parse(body);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (type === 'json' && !Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${describe(patch)} into Go value of type jsonpatch.Patch`);
  }
  if (type === 'strategic' && !isObject(patch)) {
    throw badRequest(`invalid JSON document: strategic merge patch must be an object, got ${describe(patch)}`);
  }
  return { type, patch };
}

function parseApplyBody(body: string): unknown {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch {
      // not strict JSON; fall through to YAML (a flow mapping)
    }
  }
  let doc: unknown;
  try {
    doc = parseYaml(body);
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
  assertJson(doc);
  return doc;
}

function assertJson(v: unknown): void {
  if (typeof v === 'number' && !Number.isFinite(v)) throw badRequest('error decoding YAML: non-finite numbers are not valid JSON');
  if (Array.isArray(v)) v.forEach(assertJson);
  else if (isObject(v)) Object.values(v).forEach(assertJson);
  else if (typeof v === 'object' && v !== null) throw badRequest('error decoding YAML: unsupported value type');
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

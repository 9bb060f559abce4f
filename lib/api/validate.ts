/**
 * validateManifest: one manifest (a parsed YAML/JSON document or a DSL-built object) in, the
 * normalized object and every problem found out. Nothing throws for bad input.
 *
 * Two passes, both always run so that all problems are reported at once:
 *  1. structure: the kind's strict zod schema (types, enums, unknown fields, required fields);
 *     its output is the normalized object (canonical key order, quantities as strings);
 *  2. semantics: Kubernetes' validation rules, run defensively on the same input.
 */
import type { z } from 'zod';
import { error, fieldError, hasErrors, joinPath, warning, type Diagnostic } from './diagnostics.ts';
import { asObj, asStr, type Obj } from './kinds/fields.ts';
import { LOOPBACK_IP_DETAIL } from './kinds/formats.ts';
import { hotSchema } from './hot-schema.ts';
import { truncateForMessage } from './labels.ts';
import { GenericObjectSchema, objectRef, validateObjectMeta, type KubeObject } from './meta.ts';
import { conversionFor, lookupKind, modelledKind, type ModelledKindInfo } from './registry.ts';

export interface ValidateOptions {
  /** Accept loopback addresses in Endpoints and externalIPs (kite's local runtime). */
  allowLoopbackIPs?: boolean;
  /** Results already computed for the very same input (a modelled kind's, valid ones only). */
  memo?: ValidationMemo;
}

/**
 * Valid results remembered by their input (lib/synth/validation-cache.ts keeps them across runs).
 * A modelled kind's validation reads exactly the apiVersion and kind as read from the input, the
 * options, and the input without nulls (stripNulls' copy: plain objects and arrays); `input` is
 * the JSON text of those, given only when it tells apart any two that differ (`memoInput`), so
 * the result remembered for an `input` is the result for every object that has it.
 */
export interface ValidationMemo {
  get(input: string): ValidateResult | undefined;
  set(input: string, result: ValidateResult): void;
}

export interface ValidateResult {
  /** The parsed, normalized manifest; present iff there are no error diagnostics. */
  object?: KubeObject;
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// zod issues -> Diagnostics

function typeName(expected: string): string {
  switch (expected) {
    case 'number':
    case 'int':
    case 'bigint':
      return 'integer';
    case 'record':
    case 'object':
      return 'object';
    default:
      return expected;
  }
}

/** `string "80"`, `number 1.5`, `boolean true`, `null`, `array`, `object`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return `string ${truncateForMessage(JSON.stringify(v))}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof v} ${String(v)}`;
    case 'object':
      return 'object';
    default:
      return typeof v;
  }
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

function defOf(schema: z.ZodType | undefined): SchemaDef | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    const def = (s as unknown as { _zod: { def: SchemaDef } })._zod.def;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else return def;
  }
  return undefined;
}

/**
 * Renders a zod issue path the way Kubernetes prints field paths: struct fields joined with
 * `.`, list indexes and map keys in brackets (`metadata.labels[app]`, `limits[cpu]`). The
 * schema is walked alongside to tell map keys from field names.
 */
function pathOf(schema: z.ZodType, segments: readonly PropertyKey[]): string {
  let p = '';
  let def = defOf(schema);
  for (const seg of segments) {
    if (typeof seg === 'number') {
      p = joinPath(p, seg);
      def = def?.type === 'array' ? defOf(def.element) : undefined;
    } else if (def?.type === 'record') {
      p = `${p}[${String(seg)}]`;
      def = defOf(def.valueType);
    } else {
      p = joinPath(p, String(seg));
      def = def?.type === 'object' ? defOf(def.shape?.[String(seg)]) : undefined;
    }
  }
  return p;
}

function unionExpectations(issue: z.core.$ZodIssueInvalidUnion): string[] | undefined {
  const expected: string[] = [];
  for (const branch of issue.errors) {
    for (const i of branch) {
      if (i.code !== 'invalid_type' || i.path.length !== 0) return undefined;
      const t = typeName(i.expected);
      if (!expected.includes(t)) expected.push(t);
    }
  }
  return expected.length ? expected : undefined;
}

function issueToDiagnostics(issue: z.core.$ZodIssue, schema: z.ZodType, out: Diagnostic[]): void {
  const path = pathOf(schema, issue.path);
  const input = (issue as { input?: unknown }).input;
  if (input === undefined && issue.code !== 'unrecognized_keys') {
    out.push(fieldError('required', path, undefined));
    return;
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      // Not a field error: the strict decoding error's own text.
      for (const key of issue.keys) {
        const p = joinPath(path, key);
        out.push(error(p, `unknown field "${truncateForMessage(p)}"`, 'unknown-field'));
      }
      return;
    case 'invalid_type':
      out.push(fieldError('invalid-type', path, input, `must be of type ${typeName(issue.expected)}`));
      return;
    case 'invalid_union': {
      const exp = unionExpectations(issue);
      if (issue.message.startsWith('expected ')) out.push(fieldError('invalid-type', path, input, issue.message));
      else if (exp) out.push(fieldError('invalid-type', path, input, `must be of type ${exp.join(' or ')}`));
      else out.push(fieldError('invalid', path, input, issue.message));
      return;
    }
    case 'invalid_value':
      out.push(fieldError('unsupported', path, input, `supported values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`));
      return;
    default:
      out.push(fieldError('invalid', path, input, issue.message));
  }
}

// ---------------------------------------------------------------------------------------------

/** Drops null/undefined object members (Kubernetes decodes `field: null` as unset); copies. */
export function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    // Object.keys, not Object.entries: the same keys without an array per member (a hot path at
    // thousands of objects).
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const x = (v as Obj)[k];
      if (x === null || x === undefined) continue;
      out[k] = typeof x === 'object' ? stripNulls(x) : x;
    }
    return out;
  }
  return v;
}

/**
 * Set by stripNullsNoting when its copy holds something its JSON text would not tell apart from
 * another value: a number JSON writes as another (-0 as 0, NaN and ±Infinity as null), a function,
 * symbol or bigint (left out, or not written at all), an undefined, null or missing array item
 * (all `null`), or an own `__proto__` member (JSON.parse and YAML make them: the copy takes it as
 * its prototype).
 */
let notJsonExact = false;

function noteLeaf(x: unknown): void {
  // Strings and booleans are what most leaves are: one comparison each.
  const t = typeof x;
  if (t === 'string' || t === 'boolean') return;
  if (t !== 'number' || !Number.isFinite(x) || Object.is(x, -0)) notJsonExact = true;
}

/**
 * stripNulls, noting in `notJsonExact` what JSON would not write exactly (for a memo's input).
 * Its own function: the checks would cost every other caller of stripNulls (the API server's
 * admission of each write).
 */
function stripNullsNoting(v: unknown): unknown {
  if (Array.isArray(v)) {
    let items = 0;
    const out = v.map((x) => {
      items++;
      if (x === null || x === undefined) notJsonExact = true;
      else if (typeof x === 'object') return stripNullsNoting(x);
      else noteLeaf(x);
      return x;
    });
    if (items !== v.length) notJsonExact = true; // holes
    return out;
  }
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const x = (v as Obj)[k];
      if (x === null || x === undefined) continue;
      if (k === '__proto__') notJsonExact = true;
      if (typeof x === 'object') out[k] = stripNullsNoting(x);
      else {
        noteLeaf(x);
        out[k] = x;
      }
    }
    return out;
  }
  return v;
}

/**
 * The memo's input for a stripped document, or undefined when its JSON text is not exact (above),
 * or when a `toJSON` on Object's or Array's prototype (a program can add one) would write it.
 */
function memoInput(apiVersion: string | undefined, kind: string | undefined, allowLoopbackIPs: boolean, doc: Obj): string | undefined {
  if (notJsonExact || 'toJSON' in Object.prototype || 'toJSON' in Array.prototype) return undefined;
  return JSON.stringify([apiVersion ?? null, kind ?? null, allowLoopbackIPs, doc]);
}

function parseInto(schema: z.ZodType, doc: unknown, out: Diagnostic[]): unknown {
  const r = hotSchema(schema).safeParse(doc, { reportInput: true });
  if (r.success) return r.data;
  for (const issue of r.error.issues) issueToDiagnostics(issue, schema, out);
  return undefined;
}

function runSemantic(kind: ModelledKindInfo, doc: Obj, out: Diagnostic[]): void {
  try {
    kind.validate(out, doc);
  } catch (e) {
    // A validator bug must not hide the user's other problems nor crash the caller.
    out.push(fieldError('internal', '', undefined, `validating ${kind.kind}: ${(e as Error).message}`));
  }
}

/**
 * Validates one manifest. `object` is the normalized manifest (deprecated apiVersions converted,
 * canonical key order, quantities as written but always strings), present when no error was
 * found; every Diagnostic carries `object` (`ns/Kind/name`) and the field `path`.
 */
export function validateManifest(input: unknown, opts: ValidateOptions = {}): ValidateResult {
  let diagnostics: Diagnostic[] = [];
  const finish = (doc: unknown, object: unknown): ValidateResult => {
    // The local runtime puts pods and Services on loopback addresses by design.
    if (opts.allowLoopbackIPs) diagnostics = diagnostics.filter((d) => d.message !== LOOPBACK_IP_DETAIL);
    if (diagnostics.length > 0) {
      const ref = objectRef(doc);
      for (const d of diagnostics) d.object ??= ref;
    }
    return hasErrors(diagnostics) || object === undefined ? { diagnostics } : { object: object as KubeObject, diagnostics };
  };

  const raw = asObj(input);
  if (!raw) {
    diagnostics.push(error('', `expected object, got ${describeValue(input)}`, 'not-an-object'));
    return finish(input, undefined);
  }
  const apiVersion = asStr(raw.apiVersion);
  const kind = asStr(raw.kind);

  // Deprecated apiVersions: convert first, then validate as the served version.
  const conv = apiVersion && kind ? conversionFor(apiVersion, kind) : undefined;
  const target = conv ? conv.to : apiVersion && kind ? lookupKind(apiVersion, kind) : undefined;

  if (target?.modelled) {
    const modelledTarget = target as ModelledKindInfo;
    notJsonExact = false;
    let doc = (opts.memo ? stripNullsNoting(raw) : stripNulls(raw)) as Obj;
    const key = opts.memo ? memoInput(apiVersion, kind, opts.allowLoopbackIPs === true, doc) : undefined;
    if (key !== undefined) {
      const known = opts.memo!.get(key);
      if (known) return known;
    }
    if (conv) {
      doc = conv.convert(doc);
      diagnostics.push(
        warning('apiVersion', `${apiVersion} ${kind} is deprecated and no longer served; converted to ${modelledTarget.apiVersion}`, 'deprecated'),
      );
    }
    const object = parseInto(modelledTarget.schema, doc, diagnostics);
    runSemantic(modelledTarget, doc, diagnostics);
    const result = finish(doc, object);
    if (key !== undefined && result.object) opts.memo!.set(key, result);
    return result;
  }

  // Not a modelled kind: TypeMeta + ObjectMeta only, the rest passes through untouched.
  const doc: Obj = { ...raw };
  if (raw.metadata === null) delete doc.metadata;
  else if (raw.metadata !== undefined) doc.metadata = stripNulls(raw.metadata);
  const mk = kind ? modelledKind(kind) : undefined;
  if (mk && apiVersion) {
    diagnostics.push(error('apiVersion', `no matches for kind "${kind}" in version "${apiVersion}"`, 'unknown-kind'));
  }
  for (const f of ['apiVersion', 'kind'] as const) {
    if (raw[f] === '') diagnostics.push(fieldError('required', f, undefined));
  }
  const object = parseInto(GenericObjectSchema, doc, diagnostics);
  const known = target ?? mk;
  validateObjectMeta(diagnostics, doc.metadata, {
    nameRule: known?.nameRule ?? 'path-segment',
    namespaced: known?.namespaced,
  });
  return finish(doc, object);
}

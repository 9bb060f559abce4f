/**
 * Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`) into the JSON object
 * Kubernetes would have made of it: the Go struct the message fills, marshalled by encoding/json.
 * That means, per field (the table says which applies): omitempty drops zero scalars and empty
 * lists/maps unless the field is a pointer; absent non-pointer structs are `{}` (Time: null);
 * absent lists without omitempty are null; bytes are base64; inline fields merge into the parent.
 *
 * Envelope (apimachinery runtime/serializer/protobuf/protobuf.go, runtime/generated.proto): the
 * `k8s\0` magic, then runtime.Unknown { typeMeta = 1 { apiVersion = 1, kind = 2 }, raw = 2,
 * contentEncoding = 3, contentType = 4 }.
 */
import { CUSTOM_JSON_MESSAGES, isEnvelope } from './custom.ts';
import { ProtoReader, WireError, double, float, lastBytes, lastString, packedVarints, signed, text, unsigned, type WireField } from './reader.ts';
import { FIELD_TABLE, type FieldTable, type ScalarType, type TableField } from './table.ts';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
}

/** Why a body is not a protobuf object; `kind`/`apiVersion` are set once the envelope parsed. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
  constructor(message: string, readonly envelope?: Pick<Envelope, 'apiVersion' | 'kind'>) {
    super(message);
  }
}

/** The envelope's type and raw message; the Go decoder's errors for a body that is not one. */
export function decodeEnvelope(body: Uint8Array): Envelope {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (!isEnvelope(body)) throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  if (body.length === 4) throw new ProtobufDecodeError('empty body');
  try {
    const unknown = ProtoReader.fields(body.subarray(4));
    const typeMeta = ProtoReader.fields(lastBytes(unknown, 1) ?? new Uint8Array());
    return { apiVersion: lastString(typeMeta, 1) ?? '', kind: lastString(typeMeta, 2) ?? '', raw: lastBytes(unknown, 2) ?? new Uint8Array() };
  } catch (e) {
    throw new ProtobufDecodeError((e as Error).message);
  }
}

/** A whole body: `{kind, apiVersion, …fields}`, or a ProtobufDecodeError. */
export function decodeProtobufObject(body: Uint8Array, table: FieldTable = FIELD_TABLE): Record<string, unknown> {
  const { apiVersion, kind, raw } = decodeEnvelope(body);
  const env = { apiVersion, kind };
  if (!kind) throw new ProtobufDecodeError(`Object 'Kind' is missing in '${goTypeMeta(env)}'`, env);
  if (!apiVersion) throw new ProtobufDecodeError(`Object 'apiVersion' is missing in '${goTypeMeta(env)}'`, env);
  const message = table.kinds[`${apiVersion} ${kind}`] ?? metaKind(table, kind);
  // The wording of runtime.NewNotRegisteredErrForKind in kube-apiserver's scheme.
  if (!message) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`, env);
  try {
    return { kind, apiVersion, ...(new MessageDecoder(table).message(message, raw) as Record<string, unknown>) };
  } catch (e) {
    if (e instanceof WireError) throw new ProtobufDecodeError(e.message, env);
    throw e;
  }
}

/** Options kinds (DeleteOptions) are registered in every group version: any version decodes them. */
function metaKind(table: FieldTable, kind: string): string | undefined {
  return table.kinds[`meta.k8s.io/v1 ${kind}`];
}

/** How Go's %#v prints a TypeMeta (the missing-kind errors quote it). */
function goTypeMeta(env: Pick<Envelope, 'apiVersion' | 'kind'>): string {
  return `runtime.TypeMeta{APIVersion:"${env.apiVersion}", Kind:"${env.kind}"}`;
}

class MessageDecoder {
  private readonly byNumber = new Map<string, Map<number, TableField>>();
  constructor(private readonly table: FieldTable) {}

  private fieldsOf(type: string): Map<number, TableField> {
    let m = this.byNumber.get(type);
    if (!m) {
      const fields = this.table.messages[type];
      if (!fields) throw new WireError(`no protobuf message ${type} in the field table`);
      this.byNumber.set(type, (m = new Map(fields.map((f) => [f.number, f]))));
    }
    return m;
  }

  /** A message's JSON value (an object, or a custom type's own form). */
  message(type: string, bytes: Uint8Array): unknown {
    const wire = ProtoReader.fields(bytes);
    const custom = CUSTOM_JSON_MESSAGES[type];
    if (custom) return custom(wire, (b) => decodeProtobufObject(b, this.table));
    const fields = this.fieldsOf(type);
    const values = new Map<number, unknown>();
    for (const w of wire) {
      const field = fields.get(w.number);
      if (field) this.collect(field, w, values);
      // Unknown fields are skipped, as the generated Unmarshal does.
    }
    const out: Record<string, unknown> = {};
    for (const field of this.table.messages[type]!) {
      const value = values.has(field.number) ? values.get(field.number) : this.absent(field);
      if (field.inline) Object.assign(out, value);
      else if (value !== undefined && !(field.omitempty && !field.pointer && field.type !== 'message' && isEmpty(value))) out[field.json ?? field.name] = value;
    }
    return out;
  }

  /** What Go's zero value of an absent field marshals to (undefined: nothing). */
  private absent(field: TableField): unknown {
    if (field.pointer) return undefined;
    if (field.type === 'map' || field.repeated || field.type === 'bytes') return field.omitempty ? undefined : null;
    if (field.type === 'message') return this.message(field.message!, new Uint8Array());
    return field.omitempty ? undefined : zero(field.type);
  }

  private collect(field: TableField, w: WireField, values: Map<number, unknown>): void {
    if (field.map) {
      if (w.wireType !== 2) throw wrongWireType(field, w);
      const entry = ProtoReader.fields(w.value);
      const key = entry.filter((e) => e.number === 1).pop();
      const value = entry.filter((e) => e.number === 2).pop();
      const map = (values.get(field.number) as Record<string, unknown> | undefined) ?? {};
      const k = key ? this.scalar({ ...field, type: field.map.key }, key) : zero(field.map.key);
      map[String(k)] = value ? this.scalar({ ...field, type: field.map.value, message: field.map.message }, value) : this.zeroOf(field.map.value, field.map.message);
      values.set(field.number, map);
      return;
    }
    if (!field.repeated) {
      values.set(field.number, this.scalar(field, w));
      return;
    }
    const list = (values.get(field.number) as unknown[] | undefined) ?? [];
    // Packed and unpacked encodings are both accepted for numeric lists, as protobuf requires.
    if (w.wireType === 2 && isPackable(field.type)) list.push(...packed(field, w.value));
    else list.push(this.scalar(field, w));
    values.set(field.number, list);
  }

  private zeroOf(type: ScalarType, message: string | undefined): unknown {
    return type === 'message' ? this.message(message!, new Uint8Array()) : type === 'bytes' ? '' : zero(type);
  }

  /** One value of a field (a scalar, or a nested message). */
  private scalar(field: Pick<TableField, 'name' | 'type' | 'message'>, w: WireField): unknown {
    const type = field.type as ScalarType;
    if (type === 'message') {
      if (w.wireType !== 2) throw wrongWireType(field, w);
      return this.message(field.message!, w.value);
    }
    if (type === 'string' || type === 'bytes') {
      if (w.wireType !== 2) throw wrongWireType(field, w);
      return type === 'string' ? text(w.value) : Buffer.from(w.value).toString('base64');
    }
    const expected = wireTypeOf(type);
    if (w.wireType !== expected) throw wrongWireType(field, w);
    return numeric(type, w.value as bigint | Uint8Array);
  }
}

function wrongWireType(field: Pick<TableField, 'name'>, w: WireField): WireError {
  return new WireError(`proto: wrong wireType = ${w.wireType} for field ${field.name}`);
}

function isPackable(type: TableField['type']): boolean {
  return type !== 'string' && type !== 'bytes' && type !== 'message' && type !== 'map' && type !== 'group';
}

function wireTypeOf(type: ScalarType): 0 | 1 | 5 {
  if (type === 'double' || type === 'fixed64' || type === 'sfixed64') return 1;
  if (type === 'float' || type === 'fixed32' || type === 'sfixed32') return 5;
  return 0;
}

function packed(field: TableField, bytes: Uint8Array): unknown[] {
  const type = field.type as ScalarType;
  const width = { 0: 0, 1: 8, 5: 4 }[wireTypeOf(type)];
  if (width === 0) return packedVarints(bytes).map((v) => numeric(type, v));
  if (bytes.length % width !== 0) throw new WireError('unexpected EOF');
  const out: unknown[] = [];
  for (let i = 0; i < bytes.length; i += width) out.push(numeric(type, bytes.subarray(i, i + width)));
  return out;
}

function numeric(type: ScalarType, v: bigint | Uint8Array): unknown {
  if (v instanceof Uint8Array) {
    const view = new DataView(v.buffer, v.byteOffset, v.length);
    switch (type) {
      case 'double': return double(v);
      case 'float': return float(v);
      case 'fixed64': return Number(view.getBigUint64(0, true));
      case 'sfixed64': return Number(view.getBigInt64(0, true));
      case 'fixed32': return view.getUint32(0, true);
      default: return view.getInt32(0, true);
    }
  }
  switch (type) {
    case 'bool': return v !== 0n;
    case 'int32': case 'enum': return signed(v, 32);
    case 'int64': return signed(v, 64);
    case 'uint32': return unsigned(v, 32);
    case 'uint64': return unsigned(v, 64);
    // Kubernetes has no zigzag (sint) fields; decoded anyway for completeness.
    case 'sint32': case 'sint64': return Number((v >> 1n) ^ -(v & 1n));
    default: throw new WireError(`unsupported field type ${type}`);
  }
}

function zero(type: ScalarType): unknown {
  return type === 'string' ? '' : type === 'bool' ? false : 0;
}

/** encoding/json's "empty" for omitempty (structs never are): false, 0, "", empty lists and maps. */
function isEmpty(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

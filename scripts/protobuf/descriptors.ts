/**
 * The FileDescriptorProtos a Go protobuf binary carries: gogo-protobuf's generated.pb.go files
 * register each `generated.proto` as a gzipped, serialized FileDescriptorProto, and the linker
 * keeps those bytes verbatim, so they can be found by scanning for gzip headers.
 *
 * Field numbers of descriptor.proto itself (FileDescriptorProto.name = 1, package = 2,
 * message_type = 4; DescriptorProto.name = 1, field = 2, nested_type = 3, options = 7;
 * FieldDescriptorProto.name = 1, number = 3, label = 4, type = 5, type_name = 6, options = 8;
 * MessageOptions.map_entry = 7; FieldOptions.packed = 2; the Label and Type
 * enums) are from google/protobuf/descriptor.proto (github.com/protocolbuffers/protobuf,
 * src/google/protobuf/descriptor.proto).
 */
import { gunzipSync, constants } from 'node:zlib';
import { ProtoReader, lastBytes, lastString, lastVarint, type WireField } from '../../runtime/apiserver/http/protobuf/reader.ts';

/** FieldDescriptorProto.Type, by number (descriptor.proto). */
export const FIELD_TYPES = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string',
  10: 'group', 11: 'message', 12: 'bytes', 13: 'uint32', 14: 'enum', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
} as const;
export type FieldType = (typeof FIELD_TYPES)[keyof typeof FIELD_TYPES];

const LABEL_REPEATED = 3;

export interface FieldDescriptor {
  readonly name: string;
  readonly number: number;
  readonly type: FieldType;
  readonly repeated: boolean;
  /** FieldOptions.packed, when set explicitly (proto2 default: not packed). */
  readonly packed?: boolean;
  /** Fully qualified message name without the leading dot (`k8s.io.api.core.v1.PodSpec`). */
  readonly typeName?: string;
}

export interface MessageDescriptor {
  /** Fully qualified (`k8s.io.api.core.v1.Pod`, nested: `…ConfigMap.DataEntry`). */
  readonly fullName: string;
  readonly fields: FieldDescriptor[];
  readonly mapEntry: boolean;
}

export interface FileDescriptor {
  readonly name: string;
  readonly package: string;
  readonly messages: MessageDescriptor[];
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Every gzip stream in `binary` that inflates to a FileDescriptorProto of a `.proto` file. */
export function findFileDescriptors(binary: Buffer): FileDescriptor[] {
  const files: FileDescriptor[] = [];
  for (let i = binary.indexOf(GZIP_MAGIC); i !== -1; i = binary.indexOf(GZIP_MAGIC, i + 1)) {
    let inflated: Buffer;
    try {
      // Trailing bytes after the stream are the rest of the binary: flush what inflated.
      inflated = gunzipSync(binary.subarray(i, i + 4 * 1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    const file = tryFileDescriptor(inflated);
    if (file) files.push(file);
  }
  return files;
}

function tryFileDescriptor(buf: Uint8Array): FileDescriptor | undefined {
  let fields: WireField[];
  try {
    fields = ProtoReader.fields(buf);
  } catch {
    return undefined;
  }
  const name = lastString(fields, 1);
  if (!name?.endsWith('.proto')) return undefined;
  const pkg = lastString(fields, 2) ?? '';
  const messages: MessageDescriptor[] = [];
  for (const f of fields) if (f.number === 4 && f.wireType === 2) collectMessage(f.value, pkg, messages);
  return { name, package: pkg, messages };
}

/** A DescriptorProto and its nested types (map entries are nested messages), flattened. */
function collectMessage(buf: Uint8Array, scope: string, out: MessageDescriptor[]): void {
  const fields = ProtoReader.fields(buf);
  const fullName = `${scope}.${lastString(fields, 1)}`;
  const options = lastBytes(fields, 7);
  const mapEntry = options ? boolField(ProtoReader.fields(options), 7) === true : false;
  out.push({ fullName, mapEntry, fields: fields.filter((f) => f.number === 2 && f.wireType === 2).map((f) => fieldDescriptor(f.value as Uint8Array)) });
  for (const f of fields) if (f.number === 3 && f.wireType === 2) collectMessage(f.value, fullName, out);
}

function fieldDescriptor(buf: Uint8Array): FieldDescriptor {
  const fields = ProtoReader.fields(buf);
  const typeNumber = intField(fields, 5) ?? 0;
  const type = FIELD_TYPES[typeNumber as keyof typeof FIELD_TYPES];
  if (!type) throw new Error(`unknown field type ${typeNumber}`);
  const options = lastBytes(fields, 8);
  const packed = options ? boolField(ProtoReader.fields(options), 2) : undefined;
  const typeName = lastString(fields, 6)?.replace(/^\./, '');
  return {
    name: lastString(fields, 1) ?? '',
    number: intField(fields, 3) ?? 0,
    type,
    repeated: intField(fields, 4) === LABEL_REPEATED,
    ...(packed !== undefined ? { packed } : {}),
    ...(typeName ? { typeName } : {}),
  };
}

function intField(fields: WireField[], n: number): number | undefined {
  const v = lastVarint(fields, n);
  return v === undefined ? undefined : Number(v);
}

function boolField(fields: WireField[], n: number): boolean | undefined {
  const v = lastVarint(fields, n);
  return v === undefined ? undefined : v !== 0n;
}

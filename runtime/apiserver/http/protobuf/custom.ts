/**
 * Messages whose JSON form is not their fields but their Go type's own MarshalJSON
 * (apimachinery: meta/v1 time.go, micro_time.go, fields.go; api/resource quantity.go;
 * util/intstr intstr.go; runtime/types.go and extension.go). Each decoder gets the message's
 * wire fields (none for an absent non-pointer field: the Go zero value).
 */
import { WireError, lastBytes, lastString, lastVarint, signed, text, type WireField } from './reader.ts';

export type CustomDecoder = (fields: readonly WireField[], envelope: (bytes: Uint8Array) => unknown) => unknown;

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export const CUSTOM_JSON_MESSAGES: Readonly<Record<string, CustomDecoder>> = {
  // An empty message is the zero time, which Go marshals as null; otherwise RFC 3339 in UTC.
  [`${META}.Time`]: (f) => (f.length === 0 ? null : formatTime(f, false)),
  [`${META}.MicroTime`]: (f) => (f.length === 0 ? null : formatTime(f, true)),
  // The canonical string the client's Quantity marshalled; the zero Quantity is "0".
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (f) => lastString(f, 1) ?? '0',
  // type 1 is String, anything else Int.
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (f) => (lastVarint(f, 1) === 1n ? (lastString(f, 3) ?? '') : signed(lastVarint(f, 2) ?? 0n, 32)),
  // Raw JSON (managedFields' fieldsV1); absent is null.
  [`${META}.FieldsV1`]: (f) => rawJson(lastBytes(f, 1)),
  // An embedded object: JSON, or a protobuf envelope of its own.
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (f, envelope) => {
    const raw = lastBytes(f, 1);
    return raw && isEnvelope(raw) ? envelope(raw) : rawJson(raw);
  },
};

/** The `k8s\0` magic every protobuf-encoded object starts with (apimachinery protobuf.go protoEncodingPrefix). */
export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export function isEnvelope(b: Uint8Array): boolean {
  return b.length >= 4 && PROTOBUF_MAGIC.every((m, i) => b[i] === m);
}

function formatTime(f: readonly WireField[], micro: boolean): string {
  const seconds = Number(BigInt.asIntN(64, lastVarint(f, 1) ?? 0n));
  const nanos = signed(lastVarint(f, 2) ?? 0n, 32);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function rawJson(raw: Uint8Array | undefined): unknown {
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(text(raw));
  } catch {
    throw new WireError('embedded object is neither JSON nor a protobuf envelope');
  }
}

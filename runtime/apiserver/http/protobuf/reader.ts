/**
 * A protobuf wire-format reader: the encoding rules (varints, the tag as fieldNumber << 3 | wireType,
 * the four wire types Kubernetes' messages use) are from protobuf's "Encoding" documentation
 * (protobuf.dev/programming-guides/encoding). Kubernetes never uses zigzag (sint) fields.
 *
 * Every malformed input throws a WireError (never a RangeError from a Buffer read).
 */

export const WireType = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

export class WireError extends Error {
  override readonly name = 'WireError';
}

/** One field as it appears on the wire: its number, wire type and raw value. */
export type WireField =
  | { readonly number: number; readonly wireType: 0; readonly value: bigint }
  | { readonly number: number; readonly wireType: 1 | 5; readonly value: Uint8Array }
  | { readonly number: number; readonly wireType: 2; readonly value: Uint8Array };

export class ProtoReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new WireError('unexpected EOF');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (result >= 1n << 64n) throw new WireError('integer overflow');
        return result;
      }
    }
    throw new WireError('integer overflow');
  }

  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) throw new WireError('unexpected EOF');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next field, or a WireError for a tag or value that does not parse. */
  field(): WireField {
    const tag = this.varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (number <= 0 || number >= 2 ** 29) throw new WireError(`illegal tag ${number} (wire type ${wireType})`);
    switch (wireType) {
      case WireType.varint:
        return { number, wireType, value: this.varint() };
      case WireType.fixed64:
        return { number, wireType, value: this.bytes(8) };
      case WireType.fixed32:
        return { number, wireType, value: this.bytes(4) };
      case WireType.bytes: {
        const len = this.varint();
        if (len > BigInt(this.buf.length)) throw new WireError('unexpected EOF');
        return { number, wireType, value: this.bytes(Number(len)) };
      }
      default:
        // Groups (3, 4) are deprecated and absent from every Kubernetes message.
        throw new WireError(`illegal wireType ${wireType}`);
    }
  }

  /** All fields of a message, in wire order. */
  static fields(buf: Uint8Array): WireField[] {
    const r = new ProtoReader(buf);
    const out: WireField[] = [];
    while (!r.done) out.push(r.field());
    return out;
  }
}

/**
 * A varint as a signed integer (int64 and int32 fields both carry negatives as ten-byte two's
 * complement varints), as a JS number: beyond 2^53 it loses precision, as JSON numbers in
 * JavaScript do.
 */
export function signed(v: bigint, bits: 32 | 64): number {
  return Number(BigInt.asIntN(bits, v));
}

export function unsigned(v: bigint, bits: 32 | 64): number {
  return Number(BigInt.asUintN(bits, v));
}

/** A fixed64 as an IEEE 754 double (little-endian). */
export function double(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
}

/** A fixed32 as an IEEE 754 float (little-endian). */
export function float(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

/** The varints of a packed repeated scalar field. */
export function packedVarints(b: Uint8Array): bigint[] {
  const r = new ProtoReader(b);
  const out: bigint[] = [];
  while (!r.done) out.push(r.varint());
  return out;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A string field's bytes as text. proto2 does not require UTF-8 and Go's Unmarshal keeps any
 * bytes; encoding/json then writes invalid ones as U+FFFD, as this does.
 */
export function text(b: Uint8Array): string {
  return utf8.decode(b);
}

/** The last occurrence of field `n` (the last value of a non-repeated field wins), checked to be of `wireType`. */
function lastField(fields: readonly WireField[], n: number, wireType: number): WireField | undefined {
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i]!;
    if (f.number !== n) continue;
    if (f.wireType !== wireType) throw new WireError(`proto: wrong wireType = ${f.wireType} for field ${n}`);
    return f;
  }
  return undefined;
}

export function lastBytes(fields: readonly WireField[], n: number): Uint8Array | undefined {
  return lastField(fields, n, WireType.bytes)?.value as Uint8Array | undefined;
}

export function lastVarint(fields: readonly WireField[], n: number): bigint | undefined {
  return lastField(fields, n, WireType.varint)?.value as bigint | undefined;
}

export function lastString(fields: readonly WireField[], n: number): string | undefined {
  const b = lastBytes(fields, n);
  return b ? text(b) : undefined;
}

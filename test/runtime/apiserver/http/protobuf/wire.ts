// Building protobuf bytes by hand for test vectors (the encoding rules of protobuf.dev's
// "Encoding" page): a varint, a tag, a length-delimited field, a varint field, an envelope.
export function varint(v: bigint | number): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
  return out;
}

export const num = (field: number, value: bigint | number): number[] => [...varint(field << 3), ...varint(value)];

export function ld(field: number, ...content: Array<number[] | string>): number[] {
  const bytes = content.flatMap((c) => (typeof c === 'string' ? [...Buffer.from(c, 'utf8')] : c));
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding "", contentType ""}, as Go writes it. */
export function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...ld(1, ld(1, apiVersion), ld(2, kind)), ...ld(2, raw), ...ld(3), ...ld(4)]);
}

import { describe, expect, it } from 'vitest';
import { ProtoReader, WireError, double, float, packedVarints, signed, text, unsigned } from '../../../../../runtime/apiserver/http/protobuf/reader.ts';
import { varint } from './wire.ts';

const read = (...bytes: number[]) => new ProtoReader(Uint8Array.from(bytes));

describe('the protobuf wire reader', () => {
  it('reads varints (protobuf.dev: 150 is 96 01)', () => {
    expect(read(0x00).varint()).toBe(0n);
    expect(read(0x01).varint()).toBe(1n);
    expect(read(0x96, 0x01).varint()).toBe(150n);
    expect(read(...varint(2n ** 63n)).varint()).toBe(2n ** 63n);
  });

  it('reads negative int64 and int32 values from their ten-byte two\'s complement varints', () => {
    const minusOne = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(varint(-1)).toEqual(minusOne);
    expect(signed(read(...minusOne).varint(), 64)).toBe(-1);
    expect(signed(read(...varint(-300)).varint(), 32)).toBe(-300);
    expect(signed(read(...varint(-(2n ** 40n))).varint(), 64)).toBe(-(2 ** 40));
    expect(unsigned(read(...minusOne).varint(), 32)).toBe(2 ** 32 - 1);
  });

  it('refuses truncated and overlong varints', () => {
    expect(() => read(0x96).varint()).toThrow(new WireError('unexpected EOF'));
    expect(() => read(...Array(10).fill(0xff), 0x7f).varint()).toThrow(/integer overflow/);
    expect(() => read(...Array(9).fill(0xff), 0x02).varint()).toThrow(/integer overflow/);
  });

  it('reads fields: varint, length-delimited, fixed64, fixed32', () => {
    const buf = Uint8Array.from([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x19, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x25, 0, 0, 0xc0, 0x3f]);
    const [a, b, c, d] = ProtoReader.fields(buf);
    expect(a).toEqual({ number: 1, wireType: 0, value: 150n });
    expect(b).toMatchObject({ number: 2, wireType: 2 });
    expect(text(b!.value as Uint8Array)).toBe('hi');
    expect(double(c!.value as Uint8Array)).toBe(1.5);
    expect(float(d!.value as Uint8Array)).toBe(1.5);
  });

  it('refuses lengths past the end, groups and field number 0', () => {
    expect(() => ProtoReader.fields(Uint8Array.from([0x12, 0x05, 0x68]))).toThrow('unexpected EOF');
    expect(() => ProtoReader.fields(Uint8Array.from([0x12, ...varint(2n ** 40n)]))).toThrow('unexpected EOF');
    expect(() => ProtoReader.fields(Uint8Array.from([0x0b]))).toThrow('illegal wireType 3');
    expect(() => ProtoReader.fields(Uint8Array.from([0x00, 0x00]))).toThrow('illegal tag 0 (wire type 0)');
  });

  it('reads packed varints (protobuf.dev: 03 8e 02 9e a7 05 is 3, 270, 86942)', () => {
    expect(packedVarints(Uint8Array.from([0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]))).toEqual([3n, 270n, 86942n]);
  });

  it('reads text as Go\'s encoding/json writes it: invalid UTF-8 becomes U+FFFD', () => {
    expect(text(Uint8Array.from([0x68, 0xc3, 0xa9, 0xff]))).toBe('h\u00e9\ufffd');
  });
});

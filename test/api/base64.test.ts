import { describe, expect, it } from 'vitest';
import { base64DecodedLength, base64Error } from '../../lib/api/base64.ts';

describe('base64 as Go decodes []byte fields', () => {
  it('accepts padded standard base64, with newlines anywhere', () => {
    for (const s of ['', 'YQ==', 'YWI=', 'YWJj', 'YW\nJj', 'YWJj\r\n']) expect(base64Error(s)).toBeUndefined();
    expect(base64DecodedLength('YQ==')).toBe(1);
    expect(base64DecodedLength('YW\nJj')).toBe(3);
  });

  it('reports the offset Go reports', () => {
    const cases: Array<[string, number]> = [
      ['not base64', 3], // the space
      ['YQ', 0], // an unpadded final quantum: its first byte
      ['YQ=', 3], // `=` where `==` is due: the end
      ['Y===', 1], // padding after one character
      ['YQ==YQ==', 4], // anything after the padding
      ['aGVsbG8gd29ybGQ', 12],
      ['YW_j', 2], // the URL alphabet is not the standard one
    ];
    for (const [s, at] of cases) expect(base64Error(s), s).toBe(`illegal base64 data at input byte ${at}`);
  });
});

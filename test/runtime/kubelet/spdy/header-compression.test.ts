import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from '../../../../runtime/kubelet/spdy/dictionary.ts';
import { encodeHeaderBlock } from '../../../../runtime/kubelet/spdy/frames.ts';
import { HeaderCompressor, HeaderDecompressor } from '../../../../runtime/kubelet/spdy/header-compression.ts';

/** zlib's Adler-32, which a zlib stream with a preset dictionary carries in its header (RFC 1950 §2.2). */
function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

describe('SPDY/3 header compression', () => {
  it('uses the SPDY/3 dictionary (1423 bytes, from `options` to `enq=0.`) and names it in the zlib header', async () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY3_DICTIONARY.subarray(-6).toString('latin1')).toBe('enq=0.');
    const c = new HeaderCompressor();
    try {
      const first = await c.compress(encodeHeaderBlock(new Map([['streamtype', ['error']]])));
      // CMF/FLG with FDICT set, then DICTID.
      expect(first[1]! & 0x20).toBe(0x20);
      expect(first.readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
      expect(inflateSync(first, { dictionary: SPDY3_DICTIONARY, finishFlush: 2 })).toEqual(encodeHeaderBlock(new Map([['streamtype', ['error']]])));
    } finally {
      c.close();
    }
  });

  it('carries one context across blocks, each decodable once it arrives', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    try {
      const blocks = [1, 2, 3].map((i) => encodeHeaderBlock(new Map([['streamtype', [i % 2 ? 'error' : 'data']], ['port', ['8080']], ['requestid', [String(i)]]])));
      const compressed: Buffer[] = [];
      for (const b of blocks) compressed.push(await c.compress(b));
      // Later blocks reuse the window: the repeated names cost less the second time.
      expect(compressed[2]!.length).toBeLessThan(compressed[0]!.length);
      for (let i = 0; i < blocks.length; i++) expect(await d.decompress(compressed[i]!)).toEqual(blocks[i]);
    } finally {
      c.close();
      d.close();
    }
  });
});

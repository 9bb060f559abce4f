import { describe, expect, it } from 'vitest';
import { decodeHeaderBlock, encodeFrame, encodeHeaderBlock, FrameReader, parseFrame, SpdyProtocolError, type Frame } from '../../../../runtime/kubelet/spdy/frames.ts';

describe('SPDY/3 frames', () => {
  it('encodes control and data frames with the SPDY/3 header layout', () => {
    expect(encodeFrame({ type: 'ping', id: 1 }).toString('hex')).toBe('8003000600000004' + '00000001');
    expect(encodeFrame({ type: 'rst_stream', streamId: 5, status: 5 }).toString('hex')).toBe('8003000300000008' + '00000005' + '00000005');
    expect(encodeFrame({ type: 'data', streamId: 3, fin: true, data: Buffer.from('hi') }).toString('hex')).toBe('0000000301000002' + '6869');
    expect(encodeFrame({ type: 'syn_reply', streamId: 1, fin: false, headerBlock: Buffer.from([0xaa]) }).toString('hex')).toBe('8003000200000005' + '00000001' + 'aa');
  });

  const all: Frame[] = [
    { type: 'data', streamId: 7, fin: false, data: Buffer.from('payload') },
    { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 2, fin: true, unidirectional: false, headerBlock: Buffer.from([1, 2, 3]) },
    { type: 'syn_reply', streamId: 1, fin: true, headerBlock: Buffer.from([4]) },
    { type: 'headers', streamId: 3, fin: false, headerBlock: Buffer.from([5, 6]) },
    { type: 'rst_stream', streamId: 9, status: 3 },
    { type: 'settings', entries: [{ flags: 1, id: 7, value: 65536 }, { flags: 0, id: 4, value: 100 }] },
    { type: 'ping', id: 0xfffffffe },
    { type: 'goaway', lastGoodStreamId: 11, status: 0 },
    { type: 'window_update', streamId: 0, delta: 1 << 20 },
  ];

  it.each(all.map((f) => [f.type, f]))('round-trips %s', (_t, f) => {
    expect(parseFrame(encodeFrame(f))).toEqual(f);
  });

  it('reads frames split and joined arbitrarily', () => {
    const bytes = Buffer.concat(all.map(encodeFrame));
    const reader = new FrameReader();
    const got: Frame[] = [];
    for (let at = 0; at < bytes.length; at += 5) got.push(...reader.push(bytes.subarray(at, at + 5)));
    expect(got).toEqual(all);
  });

  it('ignores control types SPDY/3 does not define and refuses other versions', () => {
    const unknown = Buffer.from('8003000a00000000', 'hex');
    expect(parseFrame(unknown)).toEqual({ type: 'unknown', controlType: 10 });
    expect(() => parseFrame(Buffer.from('8002000600000004' + '00000001', 'hex'))).toThrow(SpdyProtocolError);
    expect(() => parseFrame(Buffer.from('8003000600000002' + '0000', 'hex'))).toThrow(SpdyProtocolError);
  });
});

describe('SPDY/3 name/value blocks', () => {
  it('lays out the count, then length-prefixed names and NUL-joined values', () => {
    const block = encodeHeaderBlock(new Map([['Port', ['8080']], ['x', ['a', 'b']]]));
    expect(block.toString('hex')).toBe('00000002' + '00000004' + Buffer.from('port').toString('hex') + '00000004' + Buffer.from('8080').toString('hex') + '00000001' + '78' + '00000003' + '610062');
    expect(decodeHeaderBlock(block)).toEqual(new Map([['port', ['8080']], ['x', ['a', 'b']]]));
  });

  it('refuses a truncated block', () => {
    const block = encodeHeaderBlock(new Map([['streamtype', ['data']]]));
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).toThrow('truncated header block');
  });
});

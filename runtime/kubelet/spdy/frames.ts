/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 §2.2, §2.6; 3.1 adds the session-level
 * WINDOW_UPDATE): an 8-byte header, then the payload. A control frame's header is
 * `1 | version(15) | type(16) | flags(8) | length(24)`; a data frame's is
 * `0 | stream id(31) | flags(8) | length(24)`. Header blocks travel compressed
 * (./header-compression.ts); here they are opaque bytes.
 */

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
/** Longest payload a frame can carry (24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** RST_STREAM status codes (§2.6.3). */
export const RstStatus = { PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, CANCEL: 5, INTERNAL_ERROR: 6, STREAM_IN_USE: 8, STREAM_ALREADY_CLOSED: 9 } as const;

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  /** A control frame of a type SPDY/3 does not define: receivers ignore it (§2.2.1). */
  | { type: 'unknown'; controlType: number };

export class SpdyProtocolError extends Error {}

/** Splits a byte stream into frames; keeps the incomplete tail for the next push. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + length) break;
      frames.push(parseFrame(this.buf.subarray(0, 8 + length)));
      this.buf = this.buf.subarray(8 + length);
    }
    return frames;
  }
}

/** One whole frame (header and payload). */
export function parseFrame(b: Buffer): Frame {
  const flags = b[4]!;
  const p = b.subarray(8);
  if ((b[0]! & 0x80) === 0) return { type: 'data', streamId: b.readUInt32BE(0) & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: p };
  const version = b.readUInt16BE(0) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const type = b.readUInt16BE(2);
  const need = (n: number) => {
    if (p.length < n) throw new SpdyProtocolError(`control frame type ${type} too short: ${p.length} bytes`);
  };
  const id31 = (at: number) => p.readUInt32BE(at) & 0x7fffffff;
  switch (type) {
    case FrameType.SYN_STREAM:
      need(10);
      return { type: 'syn_stream', streamId: id31(0), associatedId: id31(4), priority: p[8]! >> 5, fin: (flags & FLAG_FIN) !== 0, unidirectional: (flags & 0x02) !== 0, headerBlock: p.subarray(10) };
    case FrameType.SYN_REPLY:
      need(4);
      return { type: 'syn_reply', streamId: id31(0), fin: (flags & FLAG_FIN) !== 0, headerBlock: p.subarray(4) };
    case FrameType.HEADERS:
      need(4);
      return { type: 'headers', streamId: id31(0), fin: (flags & FLAG_FIN) !== 0, headerBlock: p.subarray(4) };
    case FrameType.RST_STREAM:
      need(8);
      return { type: 'rst_stream', streamId: id31(0), status: p.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(4);
      const n = p.readUInt32BE(0);
      need(4 + 8 * n);
      const entries = Array.from({ length: n }, (_, i) => ({ flags: p[4 + 8 * i]!, id: p.readUIntBE(5 + 8 * i, 3), value: p.readUInt32BE(8 + 8 * i) }));
      return { type: 'settings', entries };
    }
    case FrameType.PING:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(8);
      return { type: 'goaway', lastGoodStreamId: id31(0), status: p.readUInt32BE(4) };
    case FrameType.WINDOW_UPDATE:
      need(8);
      return { type: 'window_update', streamId: id31(0), delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', controlType: type };
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`frame payload of ${payload.length} bytes is too large`);
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  h.writeUInt16BE(type, 2);
  h[4] = flags;
  h.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([h, payload]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
}

/** A frame as bytes; header blocks must already be compressed. */
export function encodeFrame(f: Frame): Buffer {
  switch (f.type) {
    case 'data': {
      if (f.data.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`frame payload of ${f.data.length} bytes is too large`);
      const h = Buffer.alloc(8);
      h.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      h[4] = f.fin ? FLAG_FIN : 0;
      h.writeUIntBE(f.data.length, 5, 3);
      return Buffer.concat([h, f.data]);
    }
    case 'syn_stream': {
      const head = Buffer.concat([u32s(f.streamId, f.associatedId), Buffer.from([(f.priority & 7) << 5, 0])]);
      return control(FrameType.SYN_STREAM, (f.fin ? FLAG_FIN : 0) | (f.unidirectional ? 0x02 : 0), Buffer.concat([head, f.headerBlock]));
    }
    case 'syn_reply':
      return control(FrameType.SYN_REPLY, f.fin ? FLAG_FIN : 0, Buffer.concat([u32s(f.streamId), f.headerBlock]));
    case 'headers':
      return control(FrameType.HEADERS, f.fin ? FLAG_FIN : 0, Buffer.concat([u32s(f.streamId), f.headerBlock]));
    case 'rst_stream':
      return control(FrameType.RST_STREAM, 0, u32s(f.streamId, f.status));
    case 'settings': {
      const body = Buffer.alloc(4 + 8 * f.entries.length);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        body[4 + 8 * i] = e.flags;
        body.writeUIntBE(e.id, 5 + 8 * i, 3);
        body.writeUInt32BE(e.value >>> 0, 8 + 8 * i);
      });
      return control(FrameType.SETTINGS, 0, body);
    }
    case 'ping':
      return control(FrameType.PING, 0, u32s(f.id));
    case 'goaway':
      return control(FrameType.GOAWAY, 0, u32s(f.lastGoodStreamId, f.status));
    case 'window_update':
      return control(FrameType.WINDOW_UPDATE, 0, u32s(f.streamId, f.delta));
    case 'unknown':
      throw new SpdyProtocolError(`cannot encode control frame type ${f.controlType}`);
  }
}

/** A name/value block before compression (§2.6.10): count, then length-prefixed names and values; repeated values joined by NUL. */
export function encodeHeaderBlock(headers: ReadonlyMap<string, string[]>): Buffer {
  const parts: Buffer[] = [u32s(headers.size)];
  for (const [name, values] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32s(n.length), n, u32s(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(b: Buffer): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let at = 0;
  const take = (n: number): Buffer => {
    if (at + n > b.length) throw new SpdyProtocolError('truncated header block');
    const s = b.subarray(at, at + n);
    at += n;
    return s;
  };
  const count = take(4).readUInt32BE(0);
  for (let i = 0; i < count; i++) {
    const name = take(take(4).readUInt32BE(0)).toString('utf8').toLowerCase();
    const values = take(take(4).readUInt32BE(0)).toString('utf8').split('\0');
    out.set(name, [...(out.get(name) ?? []), ...values]);
  }
  return out;
}

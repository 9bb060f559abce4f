/**
 * Reads one HTTP/1.x response off a connection, as much of it as an httpGet probe or hook needs:
 * the status, the first Location, and up to `maxBody` bytes of the body, framed as Go's
 * net/http frames it (a 1xx other than 101 is skipped and the next response read; no body for
 * 1xx, 204 and 304; `Transfer-Encoding: chunked`, else `Content-Length`, else up to the end of
 * the connection). Lines may end in CRLF or a bare LF, as Go's textproto accepts. Bytes are fed
 * as they arrive, split anywhere.
 */

export type ReaderState =
  | { kind: 'more' }
  /** The response is read (or enough of it): the connection can be closed. */
  | { kind: 'done'; status: number; location?: string; body: Buffer }
  | { kind: 'malformed'; error: string };

/** Go: net/http transport's max1xxResponses. */
const MAX_1XX = 5;
/** Go's http.DefaultMaxHeaderBytes (1 MiB) plus its 4 KiB slack: more is not a probe's server. */
const MAX_HEADER_BYTES = (1 << 20) + 4096;

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'eof' };

export class HttpResponseReader {
  private head: Buffer = Buffer.alloc(0);
  private inBody = false;
  private status = 0;
  private location: string | undefined;
  private framing: Framing = { kind: 'none' };
  private body: Buffer[] = [];
  private bodySize = 0;
  private informational = 0;
  /** Chunked framing: bytes not yet parsed (a size line split across reads), and data left in the current chunk. */
  private chunkPending: Buffer = Buffer.alloc(0);
  private chunkLeft = 0;
  /** Chunked framing: after a chunk's data, its CRLF is still to be skipped. */
  private chunkNeedsCrlf = false;

  constructor(private readonly maxBody: number) {}

  /** Feeds bytes read from the connection (they are copied where kept). */
  push(bytes: Buffer): ReaderState {
    let data = bytes;
    for (;;) {
      if (!this.inBody) {
        const r = this.readHead(data);
        if (r.kind !== 'rest') return r;
        data = r.rest;
        if (!this.inBody) continue; // a 1xx was skipped: the next response follows in `rest`
        if (this.framing.kind === 'none') return this.done();
      }
      return this.readBody(data);
    }
  }

  /** The connection ended (the peer closed it). */
  end(): ReaderState {
    if (!this.inBody) return { kind: 'malformed', error: 'EOF' };
    // A body cut short is what was read of it: the status decides the probe.
    return this.done();
  }

  private done(): ReaderState {
    const body = this.body.length === 1 ? this.body[0]! : Buffer.concat(this.body);
    return { kind: 'done', status: this.status, ...(this.location !== undefined ? { location: this.location } : {}), body: body.subarray(0, this.maxBody) };
  }

  private readHead(data: Buffer): ReaderState | { kind: 'rest'; rest: Buffer } {
    const from = Math.max(0, this.head.length - 3);
    this.head = this.head.length === 0 ? Buffer.from(data) : Buffer.concat([this.head, data]);
    const end = headEnd(this.head, from);
    if (end === undefined) {
      if (this.head.length > MAX_HEADER_BYTES) return { kind: 'malformed', error: 'net/http: HTTP/1.x transport connection broken: header too long' };
      return { kind: 'more' };
    }
    const text = this.head.subarray(0, end.headerEnd).toString('latin1');
    const rest = this.head.subarray(end.bodyStart);
    this.head = Buffer.alloc(0);
    const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (!m) return { kind: 'malformed', error: `net/http: HTTP/1.x transport connection broken: malformed HTTP response ${JSON.stringify(lines[0] ?? '')}` };
    const status = Number(m[1]);
    if (status >= 100 && status <= 199 && status !== 101) {
      if (++this.informational > MAX_1XX) return { kind: 'malformed', error: 'net/http: HTTP/1.x transport connection broken: too many 1xx informational responses' };
      return { kind: 'rest', rest };
    }
    this.status = status;
    let length: number | undefined;
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'location') this.location ??= value;
      else if (name === 'content-length' && /^\d+$/.test(value)) length ??= Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().split(',').at(-1)!.trim() === 'chunked';
    }
    this.framing =
      status < 200 || status === 204 || status === 304
        ? { kind: 'none' }
        : chunked
          ? { kind: 'chunked' }
          : length !== undefined
            ? length === 0
              ? { kind: 'none' }
              : { kind: 'length', left: length }
            : { kind: 'eof' };
    this.inBody = true;
    return { kind: 'rest', rest };
  }

  private readBody(data: Buffer): ReaderState {
    const f = this.framing;
    if (f.kind === 'length') {
      const take = data.subarray(0, f.left);
      f.left -= take.length;
      this.keep(take);
      return f.left === 0 || this.bodySize >= this.maxBody ? this.done() : { kind: 'more' };
    }
    if (f.kind === 'eof') {
      this.keep(data);
      return this.bodySize >= this.maxBody ? this.done() : { kind: 'more' };
    }
    return this.readChunks(data);
  }

  private readChunks(data: Buffer): ReaderState {
    let buf = this.chunkPending.length ? Buffer.concat([this.chunkPending, data]) : data;
    this.chunkPending = Buffer.alloc(0);
    for (;;) {
      if (this.chunkLeft > 0) {
        const take = buf.subarray(0, this.chunkLeft);
        this.chunkLeft -= take.length;
        this.keep(take);
        buf = buf.subarray(take.length);
        if (this.bodySize >= this.maxBody) return this.done();
        if (this.chunkLeft > 0) return { kind: 'more' };
        this.chunkNeedsCrlf = true;
      }
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        this.chunkPending = Buffer.from(buf);
        return { kind: 'more' };
      }
      const line = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      buf = buf.subarray(nl + 1);
      if (this.chunkNeedsCrlf) {
        this.chunkNeedsCrlf = false;
        if (line !== '') return this.done(); // a broken frame ends the body where it broke
        continue;
      }
      const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) return this.done();
      if (size === 0) return this.done(); // trailers, if any, are not needed
      this.chunkLeft = size;
    }
  }

  private keep(b: Buffer): void {
    if (b.length === 0 || this.bodySize >= this.maxBody) return;
    this.body.push(Buffer.from(b));
    this.bodySize += b.length;
  }
}

/** Where the header block ends: CRLFCRLF or LFLF (or the mixes Go accepts), searched from `from`. */
function headEnd(buf: Buffer, from: number): { headerEnd: number; bodyStart: number } | undefined {
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
    // The line that ends at i is empty: the previous byte is LF, or CR preceded by LF.
    if (i >= 1 && buf[i - 1] === 0x0a) return { headerEnd: i - 1, bodyStart: i + 1 };
    if (i >= 2 && buf[i - 1] === 0x0d && buf[i - 2] === 0x0a) return { headerEnd: i - 2, bodyStart: i + 1 };
  }
  return undefined;
}

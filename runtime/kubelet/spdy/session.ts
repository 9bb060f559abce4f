/**
 * The server end of a SPDY/3.1 session, as Go's moby/spdystream peers expect it (kubectl's
 * port-forward, directly over an upgraded HTTP connection or tunnelled in WebSocket messages):
 * the client opens streams (SYN_STREAM, odd ids), the server accepts each with a SYN_REPLY, both
 * send DATA and half-close with FIN, PINGs are echoed. spdystream does not do flow control on
 * what it sends, nor does this end: WINDOW_UPDATE frames are accepted and ignored, and none are sent.
 *
 * Frames are handled in arrival order and sent in call order: header blocks share one zlib
 * context per direction, so their order is part of the protocol.
 */
import { Duplex } from 'node:stream';
import { decodeHeaderBlock, encodeFrame, encodeHeaderBlock, FrameReader, RstStatus, SpdyProtocolError, type Frame } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.ts';

/** Where the session's bytes go (a socket, or a WebSocket sending each write as a binary message). */
export interface SpdyTransport {
  write(bytes: Buffer): void;
  /** Ends the connection (after a GOAWAY, or a protocol error). */
  close(): void;
}

/** Data frames this end sends are cut to this size (spdystream reads any size up to 2^24). */
const DATA_CHUNK = 32 * 1024;
/** GOAWAY status (§2.6.6). */
const GOAWAY_PROTOCOL_ERROR = 1;

export class SpdyStream extends Duplex {
  private remoteFin = false;
  private localFin = false;

  constructor(
    readonly id: number,
    readonly headers: ReadonlyMap<string, string[]>,
    private readonly session: SpdyServerSession,
  ) {
    super({ allowHalfOpen: true });
  }

  /** The first value of a request header (names are lower case in SPDY). */
  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  /** Accepts the stream (an empty SYN_REPLY): spdystream's CreateStream waits for it. */
  reply(): Promise<void> {
    return this.session.send(async (c) => ({ type: 'syn_reply', streamId: this.id, fin: false, headerBlock: await c.compress(encodeHeaderBlock(new Map())) }));
  }

  /** Ends the stream both ways at once (RST_STREAM). */
  reset(status: number = RstStatus.CANCEL): void {
    if (this.localFin && this.remoteFin) return;
    this.localFin = this.remoteFin = true;
    void this.session.send(() => ({ type: 'rst_stream', streamId: this.id, status })).catch(() => {});
    this.session.forget(this.id);
    this.destroy();
  }

  /** @internal a DATA frame from the peer. */
  received(data: Buffer, fin: boolean): void {
    if (this.remoteFin) return;
    if (data.length) this.push(data);
    if (fin) this.remoteEnded();
  }

  /** @internal the peer half-closed (FIN), or the session ended. */
  remoteEnded(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    this.push(null);
    if (this.localFin) this.session.forget(this.id);
  }

  /** @internal the peer reset the stream. */
  wasReset(): void {
    this.localFin = this.remoteFin = true;
    this.session.forget(this.id);
    this.destroy();
  }

  override _read(): void {
    // Data is pushed as frames arrive; spdystream does no flow control to resume.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.localFin) return cb(new Error('write on a closed stream'));
    const sends: Promise<void>[] = [];
    for (let at = 0; at < chunk.length; at += DATA_CHUNK) {
      const data = chunk.subarray(at, at + DATA_CHUNK);
      sends.push(this.session.send(() => ({ type: 'data', streamId: this.id, fin: false, data })));
    }
    Promise.all(sends).then(() => cb(), cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.localFin) return cb();
    this.localFin = true;
    this.session
      .send(() => ({ type: 'data', streamId: this.id, fin: true, data: Buffer.alloc(0) }))
      .then(() => {
        if (this.remoteFin) this.session.forget(this.id);
        cb();
      }, cb);
  }
}

export class SpdyServerSession {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (stream: SpdyStream) => void,
  ) {}

  /** Bytes from the peer. */
  receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch {
      return this.fail();
    }
    for (const f of frames) this.inbound = this.inbound.then(() => this.handle(f)).catch(() => this.fail());
  }

  /** The connection is gone: every stream ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
  }

  /** @internal queues a frame; `build` runs in send order (it may compress a header block). */
  send(build: (c: HeaderCompressor) => Frame | Promise<Frame>): Promise<void> {
    const sent = this.outbound.then(async () => {
      if (this.closed) throw new Error('the SPDY session is closed');
      this.transport.write(encodeFrame(await build(this.compressor)));
    });
    this.outbound = sent.catch(() => {});
    return sent;
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private async handle(f: Frame): Promise<void> {
    if (this.closed) return;
    switch (f.type) {
      case 'syn_stream': {
        // Always decompress: the zlib context must see every block, even of a refused stream.
        const headers = decodeHeaderBlock(await this.decompressor.decompress(f.headerBlock));
        if (f.streamId % 2 === 0 || f.streamId <= this.lastStreamId) throw new SpdyProtocolError(`invalid stream id ${f.streamId}`);
        this.lastStreamId = f.streamId;
        const stream = new SpdyStream(f.streamId, headers, this);
        this.streams.set(f.streamId, stream);
        if (f.fin) stream.remoteEnded();
        this.onStream(stream);
        return;
      }
      case 'headers':
      case 'syn_reply':
        await this.decompressor.decompress(f.headerBlock);
        if (f.fin) this.streams.get(f.streamId)?.remoteEnded();
        return;
      case 'data':
        return this.streams.get(f.streamId)?.received(f.data, f.fin);
      case 'rst_stream':
        return this.streams.get(f.streamId)?.wasReset();
      case 'ping':
        // Only the peer's own (odd) pings are answered; an even id would be the echo of ours.
        if (f.id % 2 === 1) await this.send(() => f);
        return;
      case 'goaway':
        this.transport.close();
        return this.close();
      case 'settings':
      case 'window_update':
      case 'unknown':
        return;
    }
  }

  /** A frame the session cannot take (bad framing, header block, stream id): spdystream's peers end the connection. */
  private fail(): void {
    if (this.closed) return;
    void this.send(() => ({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status: GOAWAY_PROTOCOL_ERROR }))
      .catch(() => {})
      .finally(() => {
        this.transport.close();
        this.close();
      });
  }
}

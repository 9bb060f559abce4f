import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, encodeHeaderBlock, FrameReader, RstStatus, type Frame } from '../../../../runtime/kubelet/spdy/frames.ts';
import { HeaderCompressor } from '../../../../runtime/kubelet/spdy/header-compression.ts';
import { SpdyServerSession, type SpdyStream } from '../../../../runtime/kubelet/spdy/session.ts';
import { eventually } from '../../harness.ts';

/** The client end, as spdystream would drive it: frames in, frames out. */
class Peer {
  readonly sent: Frame[] = [];
  readonly streams: SpdyStream[] = [];
  closed = false;
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  readonly session = new SpdyServerSession(
    {
      write: (b) => this.sent.push(...this.reader.push(b)),
      close: () => (this.closed = true),
    },
    (s) => this.streams.push(s),
  );

  async open(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    const headerBlock = await this.compressor.compress(encodeHeaderBlock(new Map(Object.entries(headers).map(([k, v]) => [k, [v]]))));
    this.session.receive(encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, fin, unidirectional: false, headerBlock }));
  }

  send(f: Frame): void {
    this.session.receive(encodeFrame(f));
  }

  end(): void {
    this.session.close();
    this.compressor.close();
  }
}

let peer: Peer;
afterEach(() => peer?.end());

describe('the server end of a SPDY/3.1 session', () => {
  it('hands over client streams with their headers, replies, and carries data both ways with half-closes', async () => {
    peer = new Peer();
    await peer.open(1, { streamType: 'data', port: '8080', requestID: '0' });
    const stream = await eventually(() => peer.streams[0], { what: 'the stream' });
    expect([stream.id, stream.header('streamType'), stream.header('port'), stream.header('requestID')]).toEqual([1, 'data', '8080', '0']);
    await stream.reply();
    expect(peer.sent[0]).toMatchObject({ type: 'syn_reply', streamId: 1, fin: false });

    const got: Buffer[] = [];
    stream.on('data', (c: Buffer) => got.push(c));
    const ended = new Promise((r) => stream.once('end', r));
    peer.send({ type: 'data', streamId: 1, fin: false, data: Buffer.from('hello ') });
    peer.send({ type: 'data', streamId: 1, fin: true, data: Buffer.from('pod') });
    await ended;
    expect(Buffer.concat(got).toString()).toBe('hello pod');

    stream.end(Buffer.alloc(70_000, 1));
    await eventually(() => peer.sent.some((f) => f.type === 'data' && f.fin), { what: 'FIN from the server' });
    const data = peer.sent.filter((f): f is Extract<Frame, { type: 'data' }> => f.type === 'data');
    // Cut into frames no bigger than 32 KiB, the last one empty with FIN.
    expect(data.map((f) => f.data.length)).toEqual([32768, 32768, 4464, 0]);
    expect(data.map((f) => f.streamId)).toEqual([1, 1, 1, 1]);
  });

  it('echoes the client\'s pings and ignores flow-control and settings frames', async () => {
    peer = new Peer();
    peer.send({ type: 'settings', entries: [{ flags: 0, id: 7, value: 65536 }] });
    peer.send({ type: 'window_update', streamId: 0, delta: 1000 });
    peer.send({ type: 'ping', id: 1 });
    peer.send({ type: 'ping', id: 2 });
    await eventually(() => peer.sent.length === 1, { what: 'the ping echoed' });
    expect(peer.sent).toEqual([{ type: 'ping', id: 1 }]);
  });

  it('ends a stream the client resets, and resets with the status it is given', async () => {
    peer = new Peer();
    await peer.open(1, { streamType: 'error' });
    await peer.open(3, { streamType: 'data' });
    const [a, b] = await eventually(() => (peer.streams.length === 2 ? peer.streams : undefined), { what: 'two streams' });
    const closed = new Promise((r) => a!.once('close', r));
    peer.send({ type: 'rst_stream', streamId: 1, status: RstStatus.CANCEL });
    await closed;
    b!.reset(RstStatus.PROTOCOL_ERROR);
    await eventually(() => peer.sent.find((f) => f.type === 'rst_stream'), { what: 'the reset' });
    expect(peer.sent).toContainEqual({ type: 'rst_stream', streamId: 3, status: RstStatus.PROTOCOL_ERROR });
  });

  it('answers a protocol error with GOAWAY and closes the connection', async () => {
    peer = new Peer();
    await peer.open(2, { streamType: 'data' });
    await eventually(() => peer.closed, { what: 'the connection closed' });
    expect(peer.sent).toEqual([{ type: 'goaway', lastGoodStreamId: 0, status: 1 }]);
    expect(peer.streams).toEqual([]);
  });

  it('closes every stream when the connection goes', async () => {
    peer = new Peer();
    await peer.open(1, { streamType: 'data' });
    const s = await eventually(() => peer.streams[0], { what: 'the stream' });
    const closed = new Promise((r) => s.once('close', r));
    peer.session.close();
    await closed;
    expect(s.destroyed).toBe(true);
  });
});

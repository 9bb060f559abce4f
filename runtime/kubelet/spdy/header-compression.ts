/**
 * SPDY/3 header-block compression (§2.6.10.1): one zlib stream per direction for the whole
 * session, preset with the SPDY/3 dictionary, each block ended with a sync flush so the peer can
 * decode it on its own. The context carries over between blocks, so blocks must be compressed
 * and decompressed in the order they are sent — callers serialise them.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.ts';

/** Writes `input`, sync-flushes, and takes everything the stream produced for it. */
function run(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('error', onError);
      // The stream is never set flowing: its output waits in the readable buffer.
      const chunks: Buffer[] = [];
      for (let c = z.read() as Buffer | null; c; c = z.read() as Buffer | null) chunks.push(c);
      resolve(Buffer.concat(chunks));
    });
  });
}

export class HeaderCompressor {
  private readonly z = createDeflate({ dictionary: SPDY3_DICTIONARY });

  compress(block: Buffer): Promise<Buffer> {
    return run(this.z, block);
  }

  close(): void {
    this.z.destroy();
  }
}

export class HeaderDecompressor {
  private readonly z = createInflate({ dictionary: SPDY3_DICTIONARY });

  decompress(compressed: Buffer): Promise<Buffer> {
    return run(this.z, compressed);
  }

  close(): void {
    this.z.destroy();
  }
}

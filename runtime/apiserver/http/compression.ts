/**
 * Response compression as the API server's response writers do it (apiserver
 * endpoints/handlers/responsewriters/writers.go, APIResponseCompression, on by default): a body
 * larger than 128 KiB is gzipped (level 1: least CPU for nearly the best ratio) when the client's
 * Accept-Encoding names gzip. Streams (watches, followed logs) are never compressed.
 */
import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';

/** defaultGzipThresholdBytes: smaller bodies are sent as they are. */
export const GZIP_THRESHOLD_BYTES = 128 * 1024;

/** negotiateContentEncoding: does Accept-Encoding list gzip (`gzip`, `gzip;q=…`, among others)? */
export function acceptsGzip(req: IncomingMessage | undefined): boolean {
  const header = req?.headers['accept-encoding'];
  if (!header) return false;
  return header.split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'gzip');
}

/** The gzipped body, or undefined when it stays as it is (small, or not asked for). */
export function gzipIfLarge(req: IncomingMessage | undefined, body: string): Buffer | undefined {
  if (Buffer.byteLength(body) <= GZIP_THRESHOLD_BYTES || !acceptsGzip(req)) return undefined;
  return gzipSync(body, { level: 1 });
}

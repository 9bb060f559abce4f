/**
 * A grpc probe: grpc.health.v1.Health/Check over HTTP/2 without TLS (k/k pkg/probe/grpc/grpc.go,
 * whose result texts these are). The framing is small enough to write by hand: a 5-byte
 * length prefix around protobuf `HealthCheckRequest{string service = 1}` and
 * `HealthCheckResponse{ServingStatus status = 1}`; the call's status comes in `grpc-status`.
 * Like grpc-go with WithBlock, a refused connection is retried until the deadline.
 */
import { formatGoDuration } from '../../../../lib/api/time.ts';
import http2 from 'node:http2';
import { goQuote, joinHostPort } from './go-net-errors.ts';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
/** google.golang.org/grpc/codes names, as status errors print them. */
const CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];
const UNIMPLEMENTED = 12;
const DEADLINE_EXCEEDED = 4;
const RECONNECT_MS = 100;

export type GrpcOutcome = { ok: boolean; output: string };

export async function grpcHealthCheck(host: string, port: number, service: string, timeoutMs: number, userAgent: string, signal?: AbortSignal): Promise<GrpcOutcome> {
  const addr = joinHostPort(host, port);
  const within = formatGoDuration(Math.round(timeoutMs));
  const deadline = Date.now() + timeoutMs;
  let session: http2.ClientHttp2Session | undefined;
  while (!session) {
    session = await connect(addr, deadline - Date.now(), signal);
    if (session) break;
    if (signal?.aborted) return { ok: false, output: `error: failed to connect service at ${goQuote(addr)}: context canceled` };
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, output: `timeout: failed to connect service ${goQuote(addr)} within ${within}: context deadline exceeded` };
    await new Promise((r) => setTimeout(r, Math.min(RECONNECT_MS, left)));
  }
  try {
    const reply = await check(session, service, deadline - Date.now(), userAgent, signal);
    if (reply === 'timeout') return { ok: false, output: `timeout: health rpc did not complete within ${within}` };
    if (reply.code === UNIMPLEMENTED) {
      return { ok: false, output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${reply.message}` };
    }
    if (reply.code === DEADLINE_EXCEEDED) return { ok: false, output: `timeout: health rpc did not complete within ${within}` };
    if (reply.code !== 0) {
      return { ok: false, output: `error: health rpc probe failed: rpc error: code = ${CODE_NAMES[reply.code] ?? `Code(${reply.code})`} desc = ${reply.message}` };
    }
    const status = SERVING_STATUS[reply.status] ?? String(reply.status);
    if (status !== 'SERVING') return { ok: false, output: `service unhealthy (responded with ${goQuote(status)})` };
    return { ok: true, output: 'service healthy' };
  } finally {
    session.destroy();
  }
}

function connect(addr: string, timeoutMs: number, signal?: AbortSignal): Promise<http2.ClientHttp2Session | undefined> {
  return new Promise((resolve) => {
    const s = http2.connect(`http://${addr}`);
    const timer = setTimeout(() => settle(undefined), Math.max(0, timeoutMs));
    const settle = (v: http2.ClientHttp2Session | undefined): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!v) s.destroy();
      resolve(v);
    };
    const onAbort = (): void => settle(undefined);
    signal?.addEventListener('abort', onAbort);
    s.once('connect', () => settle(s));
    s.once('error', () => settle(undefined));
  });
}

type CheckReply = { code: number; message: string; status: number };

function check(session: http2.ClientHttp2Session, service: string, timeoutMs: number, userAgent: string, signal?: AbortSignal): Promise<CheckReply | 'timeout'> {
  return new Promise((resolve) => {
    const req = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': userAgent,
      'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
    });
    const chunks: Buffer[] = [];
    let code: number | undefined;
    let message = '';
    const fromHeaders = (h: http2.IncomingHttpHeaders): void => {
      if (h['grpc-status'] !== undefined) code = Number(h['grpc-status']);
      if (typeof h['grpc-message'] === 'string') message = decodeURIComponent(h['grpc-message']);
    };
    const timer = setTimeout(() => done('timeout'), Math.max(0, timeoutMs));
    const onAbort = (): void => done({ code: 1, message: 'context canceled', status: 0 });
    signal?.addEventListener('abort', onAbort);
    const done = (r: CheckReply | 'timeout'): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.close();
      resolve(r);
    };
    req.on('response', (h) => {
      fromHeaders(h);
      const httpStatus = Number(h[':status']);
      if (httpStatus !== 200 && code === undefined) {
        // grpc-go's wording for a non-gRPC answer.
        code = 13;
        message = `unexpected HTTP status code received from server: ${httpStatus}`;
      }
    });
    req.on('trailers', fromHeaders);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done({ code: code ?? 2, message, status: servingStatus(Buffer.concat(chunks)) }));
    req.on('error', (e) => done({ code: 14, message: e.message, status: 0 }));
    req.end(frame(service));
  });
}

/** One length-prefixed message: HealthCheckRequest{service}. */
export function frame(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  const body = s.length ? Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]) : Buffer.alloc(0);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Field 1 (varint) of the first message; absent means UNKNOWN (0). */
export function servingStatus(data: Buffer): number {
  if (data.length < 5) return 0;
  const msg = data.subarray(5, 5 + data.readUInt32BE(1));
  let at = 0;
  const readVarint = (): number => {
    let v = 0;
    for (let shift = 0; at < msg.length; shift += 7) {
      const b = msg[at++]!;
      v |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  };
  while (at < msg.length) {
    const tag = readVarint();
    if ((tag & 7) === 0) {
      const v = readVarint();
      if (tag >> 3 === 1) return v;
    } else if ((tag & 7) === 2) at += readVarint();
    else return 0;
  }
  return 0;
}

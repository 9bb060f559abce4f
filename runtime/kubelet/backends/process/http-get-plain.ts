/**
 * One plain-HTTP GET of a probe or hook on a bare socket: the request written in one piece,
 * the response read by HttpResponseReader, the connection closed as soon as enough is read.
 * Node's http client costs more than the probe's own connection (ClientRequest, the agent,
 * llhttp, IncomingMessage's stream): at 100 probes a second it was most of the kubelet's CPU.
 * The request is what Go's client sends with keep-alives off (k/k pkg/probe/http): Host (the
 * user's, else host:port), the headers, `Connection: close`. Errors are worded as Go's.
 */
import { connect } from 'node:net';
import { dialError, transportError, urlError } from './go-net-errors.ts';
import { HttpResponseReader } from './http-response-reader.ts';
import { onAbort } from './abort-hooks.ts';

export type OnceOutcome = { ok: true; status: number; body: string; location?: string } | { ok: false; error: string };

export interface OnceRequest {
  /** Where to connect. */
  host: string;
  port: number;
  /** The request target: path and query. */
  target: string;
  /** The Host header: the user's Host header, else the URL's host:port as Go writes it. */
  authority: string;
  headers: Record<string, string[]>;
  /** The URL as Go prints it in errors. */
  shown: string;
  timeoutMs: number;
  maxBody: number;
  signal?: AbortSignal | undefined;
}

/** One read buffer for every probe connection: each read is consumed before the next one starts. */
const READ_BUFFER = Buffer.allocUnsafe(16 * 1024);

/** httpguts.ValidHeaderFieldName / ValidHeaderFieldValue. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

export function requestBytes(r: Pick<OnceRequest, 'target' | 'authority' | 'headers'>): Buffer | { invalid: string } {
  let head = `GET ${r.target} HTTP/1.1\r\nHost: ${r.authority}\r\n`;
  for (const [name, values] of Object.entries(r.headers)) {
    if (name === 'Host') continue;
    if (!TOKEN.test(name)) return { invalid: `net/http: invalid header field name ${JSON.stringify(name)}` };
    for (const v of values) {
      if (BAD_VALUE.test(v)) return { invalid: `net/http: invalid header field value for ${JSON.stringify(name)}` };
      head += `${name}: ${v}\r\n`;
    }
  }
  return Buffer.from(`${head}Connection: close\r\n\r\n`, 'utf8');
}

/**
 * The request bytes of a frozen headers object, for its last target and authority: a probe's
 * headers are frozen and live as long as the probe (probe-get-cache.ts), so its request is built
 * once, not at every tick. A headers object that may still change is never cached.
 */
const requests = new WeakMap<Record<string, string[]>, { target: string; authority: string; bytes: ReturnType<typeof requestBytes> }>();

export function cachedRequestBytes(r: Pick<OnceRequest, 'target' | 'authority' | 'headers'>): ReturnType<typeof requestBytes> {
  if (!Object.isFrozen(r.headers)) return requestBytes(r);
  const hit = requests.get(r.headers);
  if (hit && hit.target === r.target && hit.authority === r.authority) return hit.bytes;
  const bytes = requestBytes(r);
  requests.set(r.headers, { target: r.target, authority: r.authority, bytes });
  return bytes;
}

export function getOncePlain(r: OnceRequest): Promise<OnceOutcome> {
  return new Promise((resolve) => {
    const request = cachedRequestBytes(r);
    if (!Buffer.isBuffer(request)) return resolve({ ok: false, error: urlError(r.shown, request.invalid) });
    if (r.signal?.aborted) return resolve({ ok: false, error: urlError(r.shown, 'context canceled') });
    const reader = new HttpResponseReader(r.maxBody);
    let connected = false;
    let done = false;
    const finish = (o: OnceOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      forgetAbort();
      socket.destroy();
      resolve(o);
    };
    const settle = (state: ReturnType<HttpResponseReader['push']>): void => {
      if (state.kind === 'more') return;
      if (state.kind === 'malformed') return finish({ ok: false, error: urlError(r.shown, state.error) });
      finish({ ok: true, status: state.status, body: state.body.toString('utf8'), ...(state.location !== undefined ? { location: state.location } : {}) });
    };
    const socket = connect({
      host: r.host,
      port: r.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array) => {
          if (!done) settle(reader.push(Buffer.from(buf.buffer, buf.byteOffset, n)));
          return !done;
        },
      },
    });
    const timer = setTimeout(() => {
      const why = connected
        ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
        : `${dialError(r.host, r.port, 'timeout')} (Client.Timeout exceeded while awaiting headers)`;
      finish({ ok: false, error: urlError(r.shown, why) });
    }, Math.max(0, r.timeoutMs));
    const forgetAbort = onAbort(r.signal, () => finish({ ok: false, error: urlError(r.shown, 'context canceled') }));
    socket.once('connect', () => {
      connected = true;
      socket.write(request);
    });
    socket.once('end', () => settle(reader.end()));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (!connected) return finish({ ok: false, error: urlError(r.shown, dialError(r.host, r.port, err)) });
      // A reset after a whole response was read is the server closing early: the response stands.
      const state = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? reader.end() : undefined;
      if (state?.kind === 'done') return settle(state);
      finish({ ok: false, error: urlError(r.shown, err.code === 'EPIPE' ? 'EOF' : transportError(err)) });
    });
  });
}

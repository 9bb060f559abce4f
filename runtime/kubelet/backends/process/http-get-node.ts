/**
 * One GET of a probe or hook through Node's http/https client: the HTTPS path (TLS without
 * verification, as the kubelet's probes), and the plain-HTTP reference that http-get-plain.ts is
 * tested against. Errors are worded as Go's.
 */
import http from 'node:http';
import https from 'node:https';
import { dialError, transportError, urlError } from './go-net-errors.ts';
import type { OnceOutcome, OnceRequest } from './http-get-plain.ts';

export function getOnceNode(r: Omit<OnceRequest, 'authority'>, scheme: 'http' | 'https'): Promise<OnceOutcome> {
  const { host, port, shown, headers, timeoutMs, signal, maxBody } = r;
  return new Promise((resolve) => {
    let connected = false;
    let done = false;
    const finish = (o: OnceOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(o);
    };
    const hostHeader = headers.Host?.[0];
    const mod = scheme === 'https' ? https : http;
    const req = mod.request({
      method: 'GET',
      host,
      port,
      path: r.target,
      headers: { ...headers, ...(hostHeader !== undefined ? { Host: hostHeader } : {}) },
      agent: false,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      const why = connected
        ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
        : `${dialError(host, port, 'timeout')} (Client.Timeout exceeded while awaiting headers)`;
      finish({ ok: false, error: urlError(shown, why) });
    }, Math.max(0, timeoutMs));
    const onAbort = (): void => finish({ ok: false, error: urlError(shown, 'context canceled') });
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) return onAbort();
    req.on('socket', (s) => s.once('connect', () => (connected = true)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish({ ok: false, error: urlError(shown, connected ? transportError(err) : connectFailure(host, port, err)) });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const reply = (): void => {
        const body = Buffer.concat(chunks).subarray(0, maxBody).toString('utf8');
        const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
        finish({ ok: true, status: res.statusCode ?? 0, body, ...(location !== undefined ? { location } : {}) });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        // The kubelet stops reading at the limit; success is decided by the status alone.
        if (size >= maxBody) reply();
      });
      res.on('end', reply);
      res.on('error', reply);
    });
    req.end();
  });
}

/** Before the connection: a dial error, or (TLS to plain HTTP) the transport's wording. */
function connectFailure(host: string, port: number, err: NodeJS.ErrnoException): string {
  return err.syscall === 'connect' || err.syscall === 'getaddrinfo' || err.code === 'ETIMEDOUT' ? dialError(host, port, err) : transportError(err);
}

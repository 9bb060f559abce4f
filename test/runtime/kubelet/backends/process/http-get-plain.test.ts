/**
 * The bare-socket HTTP GET of probes and hooks, against Node's own HTTP client on the same real
 * local servers (a differential test): odd but valid responses — chunked bodies with extensions
 * and trailers, no Content-Length, 1xx before the response, bodies past the 10 KiB limit,
 * responses dribbled a few bytes per write — must read the same. Then what only the new client
 * decides: the request bytes, malformed responses, and the reader fed every split of a response.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getOnceNode } from '../../../../../runtime/kubelet/backends/process/http-get-node.ts';
import { getOncePlain, requestBytes, type OnceRequest } from '../../../../../runtime/kubelet/backends/process/http-get-plain.ts';
import { HttpResponseReader } from '../../../../../runtime/kubelet/backends/process/http-response-reader.ts';

const MAX = 10 * 1024;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/**
 * A server that answers every connection with `response`, written `step` bytes at a time (each
 * write on its own turn of the loop, so the client reads it in pieces), then closes. The
 * request it received is kept.
 */
async function scriptedServer(response: Buffer, step = response.length, close = true): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    let got = '';
    s.on('data', async (d: Buffer) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      requests.push(got);
      for (let i = 0; i < response.length && !s.destroyed; i += step) {
        s.write(response.subarray(i, i + step));
        await new Promise((r) => setImmediate(r));
      }
      if (close) s.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, requests };
}

function request(port: number): OnceRequest {
  return {
    host: '127.0.0.1',
    port,
    target: '/healthz?x=1',
    authority: `127.0.0.1:${port}`,
    headers: { 'User-Agent': ['kube-probe/1.32'], Accept: ['*/*'] },
    shown: `http://127.0.0.1:${port}/healthz?x=1`,
    // Generous: a body dribbled a byte per turn of the server's loop takes seconds on a loaded
    // machine, and Node's client must not time out where the bare one does not.
    timeoutMs: 15_000,
    maxBody: MAX,
  };
}

const crlf = (lines: string[], body: Buffer | string = ''): Buffer => Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
const chunked = (parts: string[], ext = '', trailer = ''): string => `${parts.map((p) => `${Buffer.byteLength(p).toString(16)}${ext}\r\n${p}\r\n`).join('')}0\r\n${trailer}\r\n`;
const big = 'abcdefghij'.repeat(1500); // 15,000 bytes: past the 10 KiB limit

const RESPONSES: Record<string, Buffer> = {
  'Content-Length': crlf(['HTTP/1.1 200 OK', 'Content-Length: 7', 'Content-Type: text/plain'], 'ok body'),
  'chunked, with extensions and trailers': crlf(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'], chunked(['hel', 'lo ', 'wörld'], ';name=value', 'X-Trailer: t\r\n')),
  'no Content-Length: the body ends with the connection': crlf(['HTTP/1.1 200 OK', 'Connection: close'], 'until the end'),
  'HTTP/1.0, no reason phrase': crlf(['HTTP/1.0 200', 'Content-Length: 2'], 'ok'),
  '100 Continue, then the response': Buffer.concat([crlf(['HTTP/1.1 100 Continue']), crlf(['HTTP/1.1 200 OK', 'Content-Length: 5'], 'after')]),
  '103 Early Hints with a Location, then a redirect': Buffer.concat([crlf(['HTTP/1.1 103 Early Hints', 'Link: </s.css>', 'Location: /hint']), crlf(['HTTP/1.1 302 Found', 'location: /new', 'Content-Length: 5'], 'moved')]),
  'header names in any case, two Locations': crlf(['HTTP/1.1 301 Moved', 'LOCATION:   /first  ', 'Location: /second', 'content-length: 0']),
  '204 No Content': crlf(['HTTP/1.1 204 No Content']),
  '304 Not Modified with a Content-Length': crlf(['HTTP/1.1 304 Not Modified', 'Content-Length: 10']),
  '500 with a body': crlf(['HTTP/1.1 500 Internal Server Error', 'Content-Length: 6'], 'secret'),
  'a body past 10 KiB, Content-Length': crlf(['HTTP/1.1 200 OK', `Content-Length: ${big.length}`], big),
  'a body past 10 KiB, chunked': crlf(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'], chunked([big.slice(0, 9000), big.slice(9000)])),
  'a body past 10 KiB, no Content-Length': crlf(['HTTP/1.1 200 OK'], big),
  'bytes that are not UTF-8': crlf(['HTTP/1.1 200 OK', 'Content-Length: 3'], Buffer.from([0x61, 0xff, 0x62])),
  'Content-Length 0': crlf(['HTTP/1.1 200 OK', 'Content-Length: 0']),
  'a body cut short by the server': crlf(['HTTP/1.1 200 OK', 'Content-Length: 100'], 'only this'),
};

describe('getOncePlain against Node’s HTTP client', () => {
  for (const [name, response] of Object.entries(RESPONSES)) {
    for (const step of [response.length, 7, 1]) {
      it(`${name} (${step === response.length ? 'one write' : `${step} bytes per write`})`, async () => {
        const { port } = await scriptedServer(response, step);
        const mine = await getOncePlain(request(port));
        const node = await getOnceNode(request(port), 'http');
        expect(mine).toEqual(node);
        expect(mine.ok).toBe(true);
      });
    }
  }

  it('reads a complete response without waiting for the server to close', async () => {
    const { port } = await scriptedServer(crlf(['HTTP/1.1 200 OK', 'Content-Length: 2'], 'ok'), undefined, false);
    expect(await getOncePlain(request(port))).toEqual({ ok: true, status: 200, body: 'ok' });
  });

  it('words a connection closed before any response as Go does, as Node’s client path did', async () => {
    const { port } = await scriptedServer(Buffer.alloc(0));
    const mine = await getOncePlain(request(port));
    expect(mine).toEqual({ ok: false, error: `Get "http://127.0.0.1:${port}/healthz?x=1": EOF` });
    expect(mine).toEqual(await getOnceNode(request(port), 'http'));
  });

  it('fails on a response that is not HTTP, with Go’s wording', async () => {
    const { port } = await scriptedServer(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    expect(await getOncePlain(request(port))).toEqual({
      ok: false,
      error: `Get "http://127.0.0.1:${port}/healthz?x=1": net/http: HTTP/1.x transport connection broken: malformed HTTP response "SSH-2.0-OpenSSH_9.6"`,
    });
  });

  it('sends what Go sends with keep-alives off, and the user’s Host', async () => {
    const { port, requests } = await scriptedServer(crlf(['HTTP/1.1 200 OK', 'Content-Length: 0']));
    await getOncePlain({ ...request(port), headers: { 'X-Custom': ['a', 'b'], Host: ['shop.example'], 'User-Agent': ['kube-probe/1.32'] }, authority: 'shop.example' });
    expect(requests).toEqual(['GET /healthz?x=1 HTTP/1.1\r\nHost: shop.example\r\nX-Custom: a\r\nX-Custom: b\r\nUser-Agent: kube-probe/1.32\r\nConnection: close\r\n\r\n']);
  });

  it('refuses a header value that would split the request, as Go does', () => {
    expect(requestBytes({ target: '/', authority: 'h:1', headers: { 'X-Evil': ['a\r\nInjected: yes'] } })).toEqual({ invalid: 'net/http: invalid header field value for "X-Evil"' });
    expect(requestBytes({ target: '/', authority: 'h:1', headers: { 'Bad Name': ['x'] } })).toEqual({ invalid: 'net/http: invalid header field name "Bad Name"' });
  });
});

describe('HttpResponseReader', () => {
  it('reads the same response however its bytes are split', () => {
    const response = Buffer.concat([crlf(['HTTP/1.1 100 Continue']), crlf(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked', 'Location: /x'], chunked(['one ', 'two'], ';e=1', 'T: 1\r\n'))]);
    for (let a = 0; a <= response.length; a++) {
      for (const b of [a, Math.min(response.length, a + 1), Math.min(response.length, a + 5)]) {
        const reader = new HttpResponseReader(MAX);
        const states = [response.subarray(0, a), response.subarray(a, b), response.subarray(b)].map((p) => reader.push(p));
        const done = states.find((s) => s.kind !== 'more');
        expect(done && done.kind === 'done' ? { status: done.status, location: done.location, body: done.body.toString() } : done).toEqual({ status: 200, location: '/x', body: 'one two' });
      }
    }
  });

  it('accepts lines ended by a bare LF, as Go’s textproto does', () => {
    const r = new HttpResponseReader(MAX).push(Buffer.from('HTTP/1.1 200 OK\nContent-Length: 3\n\nabc'));
    expect(r.kind === 'done' && [r.status, r.body.toString()]).toEqual([200, 'abc']);
  });

  it('stops at too many 1xx responses, as Go does', () => {
    const r = new HttpResponseReader(MAX).push(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'.repeat(6)));
    expect(r).toEqual({ kind: 'malformed', error: 'net/http: HTTP/1.x transport connection broken: too many 1xx informational responses' });
  });
});

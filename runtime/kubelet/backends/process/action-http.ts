/**
 * httpGet for probes and hooks (k/k pkg/probe/http/{request.go,http.go}): the URL is
 * scheme://host:port + path, where a path that is itself a URL keeps only its path and query
 * (formatURL); `User-Agent: kube-<purpose>/<major.minor>` and `Accept: *∕*` unless the user set
 * them; TLS without verification; keep-alives off; redirects followed only to the same host
 * name, at most 10 (RedirectChecker); the body read up to 10 KiB; one timeout for the whole
 * exchange (http.Client.Timeout). Plain HTTP goes over a bare socket (http-get-plain.ts), HTTPS
 * through Node's client (http-get-node.ts).
 */
import type { HTTPGetAction } from '../../../../lib/api/kinds/probe.ts';
import { joinHostPort, urlError } from './go-net-errors.ts';
import { getOncePlain, type OnceOutcome } from './http-get-plain.ts';
import { getOnceNode } from './http-get-node.ts';

/** pkg/probe/http maxRespBodyLength. */
export const MAX_BODY_BYTES = 10 * 1024;
const MAX_REDIRECTS = 10;
const FOLLOWED = new Set([301, 302, 303, 307, 308]);

export type HttpOutcome = { ok: true; status: number; body: string } | { ok: false; error: string };

/** formatURL: a path that parses as a full URL lends only its path and query. */
export function probeURL(action: HTTPGetAction, host: string, port: number): URL {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  let path = action.path ?? '/';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    const parsed = new URL(path);
    path = parsed.pathname + parsed.search;
  }
  if (!path.startsWith('/')) path = `/${path}`;
  return new URL(`${scheme}://${joinHostPort(host, port)}${path}`);
}

/** The request headers: the user's, then the defaults they did not set (newProbeRequest). */
export function probeHeaders(action: HTTPGetAction, userAgent: string): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const h of action.httpHeaders ?? []) (headers[canonicalKey(h.name)] ??= []).push(h.value);
  headers['User-Agent'] ??= [userAgent];
  if (!headers.Accept) headers.Accept = ['*/*'];
  else if (headers.Accept.every((v) => v === '')) delete headers.Accept;
  return headers;
}

/** textproto.CanonicalMIMEHeaderKey, so `accept` and `Accept` are one header as in Go. */
function canonicalKey(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** GETs `url`, following same-host redirects; bounded by `timeoutMs` in all. */
export async function httpGet(url: URL, headers: Record<string, string[]>, timeoutMs: number, signal?: AbortSignal): Promise<HttpOutcome> {
  const deadline = Date.now() + timeoutMs;
  const firstHost = url.hostname;
  let current = url;
  let explicitPort = true;
  for (let via = 0; ; via++) {
    const shown = goURLString(current, explicitPort);
    const res = await getOnce(current, shown, explicitPort, headers, deadline - Date.now(), signal);
    if (!res.ok || !FOLLOWED.has(res.status) || !res.location) return res;
    const next = new URL(res.location, current);
    // RedirectChecker: another host ends the chain with the redirect itself as the response.
    if (next.hostname !== firstHost) return res;
    // A relative Location keeps the host:port Go was given; an absolute one is shown as written.
    explicitPort &&= !ABSOLUTE.test(res.location);
    current = next;
    if (via + 1 >= MAX_REDIRECTS) return { ok: false, error: urlError(goURLString(current, explicitPort), 'stopped after 10 redirects') };
  }
}

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:)?\/\//i;

/** The host without an IPv6 literal's brackets. */
function bareHost(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '');
}

function portOf(u: URL): number {
  return Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
}

/**
 * The URL as Go's url.URL.String prints it: the kubelet sets Host to `host:port`, so a default
 * port stays visible (`http://10.244.0.5:80/`), where WHATWG's href would drop it.
 */
export function goURLString(u: URL, explicitPort: boolean): string {
  if (!explicitPort) return u.href;
  return `${u.protocol}//${joinHostPort(bareHost(u), portOf(u))}${u.pathname}${u.search}`;
}

/** One exchange: plain HTTP on a bare socket (http-get-plain.ts), HTTPS through Node's client. */
function getOnce(url: URL, shown: string, explicitPort: boolean, headers: Record<string, string[]>, timeoutMs: number, signal?: AbortSignal): Promise<OnceOutcome> {
  const host = bareHost(url);
  const port = portOf(url);
  const request = { host, port, target: url.pathname + url.search, headers, shown, timeoutMs, maxBody: MAX_BODY_BYTES, signal };
  if (url.protocol === 'https:') return getOnceNode(request, 'https');
  // Go writes the URL's host as given (`10.244.0.5:80`), or the user's Host header.
  const authority = headers.Host?.[0] ?? (explicitPort ? joinHostPort(host, port) : url.host);
  return getOncePlain({ ...request, authority });
}

/** The failure text of a response outside 200–399 (its body is never shown: issue 99425). */
export function statusFailure(status: number): string {
  return `HTTP probe failed with statuscode: ${status}`;
}

/**
 * `/openapi/v3` and its documents, with kube-apiserver's caching: a document is named by the
 * hash of its content (`?hash=`), answered with an ETag (304 to a matching If-None-Match), and
 * immutable under its hash; an old hash is redirected to the current one.
 *
 * `/openapi/v2` answers an empty Swagger 2.0 document: kubectl's client-side validation (used
 * for a kind no v3 document offers `fieldValidation` for, i.e. a kind the runtime does not serve)
 * then finds no schema for the kind and lets it through, so kubectl reports what a real cluster
 * reports next — no such resource type — instead of failing to download OpenAPI.
 */
import type { ServerResponse } from 'node:http';
import { openApiV3, openApiV3Root } from '../openapi/index.ts';
import { sendJson, sendRaw } from '../http/response.ts';
import { errors } from '../status.ts';

const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** gnostic openapi_v2.Document{swagger: "2.0"}: field 1, length-delimited. */
const EMPTY_V2_PROTOBUF = Buffer.from([0x0a, 0x03, ...Buffer.from('2.0')]);

/** Answers `/openapi/...`; false: not an OpenAPI path. */
export function serveOpenApi(res: ServerResponse, path: string): boolean {
  if (path === '/openapi/v3') sendJson(res, 200, openApiV3Root());
  else if (path.startsWith('/openapi/v3/')) serveDocument(res, path.slice('/openapi/v3/'.length));
  else if (path === '/openapi/v2') serveV2(res);
  else return false;
  return true;
}

function serveDocument(res: ServerResponse, gvPath: string): void {
  const doc = openApiV3(gvPath);
  if (!doc) throw errors.notFoundPath();
  const url = new URL(res.req.url ?? '/', 'https://localhost');
  const hash = url.searchParams.get('hash');
  if (hash !== null && hash !== doc.hash) {
    url.searchParams.set('hash', doc.hash);
    res.writeHead(301, { Location: `${url.pathname}${url.search}`, 'Cache-Control': 'no-cache, private' });
    res.end();
    return;
  }
  const etag = `"${doc.hash}"`;
  const caching: Record<string, string> = hash === null ? { 'Cache-Control': 'no-cache, private' } : { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 86_400_000).toUTCString() };
  if (res.req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag, ...caching });
    res.end();
    return;
  }
  sendRaw(res, 200, doc.body, 'application/json', { ETag: etag, Vary: 'Accept', ...caching });
}

function serveV2(res: ServerResponse): void {
  const accept = res.req.headers.accept ?? '';
  if (accept.includes('protobuf')) {
    res.writeHead(200, { 'Content-Type': V2_PROTOBUF, 'Content-Length': EMPTY_V2_PROTOBUF.length });
    res.end(EMPTY_V2_PROTOBUF);
  } else {
    sendJson(res, 200, { swagger: '2.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths: {}, definitions: {} });
  }
}

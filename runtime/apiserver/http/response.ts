/** Writing a response: JSON, text, a write's result (with Warning headers), a Status for an error. */
import type { ServerResponse } from 'node:http';
import type { WriteResult } from '../registry.ts';
import { gzipIfLarge } from './compression.ts';
import { ApiError, errors } from '../status.ts';
import type { Table } from '../tables.ts';

type ListResult = { resourceVersion: string; continue?: string; remainingItemCount?: number };

export function sendRaw(res: ServerResponse, code: number, body: string, type: string, headers: Record<string, string | string[]> = {}): void {
  // Logs are streamed upstream, never compressed; every serialized object may be.
  const gzipped = type.startsWith('text/plain') ? undefined : gzipIfLarge(res.req, body);
  if (gzipped) {
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': gzipped.length, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', ...headers });
    res.end(gzipped);
    return;
  }
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  sendRaw(res, code, JSON.stringify(body), type);
}

export function sendText(res: ServerResponse, code: number, body: string): void {
  sendRaw(res, code, body, 'text/plain; charset=utf-8');
}

export function sendWrite(res: ServerResponse, result: WriteResult, created: number): void {
  const headers: Record<string, string[]> = {};
  if (result.warnings.length > 0) headers.Warning = result.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  sendRaw(res, result.created ? created : 200, JSON.stringify(result.object), 'application/json', headers);
}

export function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : errors.internal((e as Error)?.message ?? String(e));
  if (!(e instanceof ApiError)) console.error('kite apiserver: internal error:', e);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

export function listMeta(result: ListResult): Record<string, unknown> {
  return {
    resourceVersion: result.resourceVersion,
    ...(result.continue ? { continue: result.continue, remainingItemCount: result.remainingItemCount } : {}),
  };
}

export function withListMeta(table: Table, result: ListResult): Record<string, unknown> {
  return { ...table, metadata: listMeta(result) };
}

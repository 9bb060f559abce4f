// Raw HTTPS requests to a started test runtime, with its token and CA: for tests of exactly
// what the API server answers (status, headers, body) to requests no client library would send.
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TestRuntime } from '../harness.ts';

export interface Answer {
  status: number;
  type: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Send = (method: string, path: string, body?: string, contentType?: string, extraHeaders?: Record<string, string>) => Promise<Answer>;

/** A sender for `rt`'s API server. */
export async function rawHttp(rt: TestRuntime): Promise<Send> {
  const token = (await readFile(join(rt.dir, 'token'), 'utf8')).trim();
  const ca = await readFile(join(rt.dir, 'ca.crt'), 'utf8');
  const url = new URL(rt.url);
  return (method, path, body, contentType = 'application/json', extraHeaders = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, ...extraHeaders };
      if (body !== undefined) Object.assign(headers, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      const req = request({ host: url.hostname, port: url.port, method, path, ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
}

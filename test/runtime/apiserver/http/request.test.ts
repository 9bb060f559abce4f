import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../../../runtime/apiserver/http/request.ts';

/** A loopback server that answers each request with what readPatch made of it. */
let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    readPatch(req).then(
      (p) => res.end(JSON.stringify({ ok: p })),
      (e: Error) => res.end(JSON.stringify({ error: e.message })),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function send(body: string): Promise<{ ok?: { type: string; patch: unknown }; error?: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body });
  return (await res.json()) as { ok?: { type: string; patch: unknown }; error?: string };
}

describe('readPatch of an apply body', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: 'y' } }, data: { n: '1', empty: '' } };

  it('a JSON object (as kubectl and kite send) and the same object in YAML give the same patch', async () => {
    const json = await send(JSON.stringify(obj));
    const yaml = await send('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    x: "y"\ndata:\n  n: "1"\n  empty: ""\n');
    expect(json).toEqual({ ok: { type: 'apply', patch: obj } });
    expect(yaml).toEqual(json);
  });

  it('a flow mapping that is not strict JSON is still read as YAML', async () => {
    expect(await send('{kind: ConfigMap, metadata: {name: a}}')).toEqual({ ok: { type: 'apply', patch: { kind: 'ConfigMap', metadata: { name: 'a' } } } });
  });

  it('a body that is neither is refused', async () => {
    expect((await send('{kind: [')).error).toMatch(/the patch body could not be decoded/);
  });
});

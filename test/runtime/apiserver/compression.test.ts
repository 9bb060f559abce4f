// Large responses gzipped when the client accepts it (as the API server's response writers do
// above 128 KiB), through raw requests and the real kubectl (Go's transport asks for gzip).
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GZIP_THRESHOLD_BYTES } from '../../../runtime/apiserver/http/compression.ts';
import { startTestRuntime, type TestRuntime } from '../harness.ts';
import { rawHttp, type Send } from './raw-http.ts';

let rt: TestRuntime;
let send: Send;
const PODS = 150;
const padding = 'x'.repeat(1200);

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 2 });
  send = await rawHttp(rt);
  for (let i = 0; i < PODS; i++) {
    await rt.runtime.client.create('pods', 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `many-${i}`, annotations: { padding } },
      spec: { containers: [{ name: 'c', image: 'x:1' }] },
    });
  }
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('response compression', () => {
  it('gzips a list above 128 KiB for a client sending Accept-Encoding: gzip, with Vary', async () => {
    const plain = await send('GET', '/api/v1/namespaces/default/pods');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(GZIP_THRESHOLD_BYTES);
    const zipped = await send('GET', '/api/v1/namespaces/default/pods', undefined, undefined, { 'Accept-Encoding': 'deflate, gzip;q=1.0' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.type).toBe('application/json');
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length / 4);
    const list = JSON.parse(gunzipSync(zipped.bytes).toString('utf8')) as { items: unknown[] };
    expect(list.items).toHaveLength(PODS);
  });

  it('leaves small bodies alone, and watch streams', async () => {
    const small = await send('GET', '/api/v1/namespaces/default/pods/many-0', undefined, undefined, { 'Accept-Encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body).metadata.name).toBe('many-0');
    const watch = await send('GET', '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1', undefined, undefined, { 'Accept-Encoding': 'gzip' });
    expect(watch.headers['content-encoding']).toBeUndefined();
    expect(watch.body.split('\n').filter(Boolean)).toHaveLength(PODS);
  });

  it('kubectl get pods -o json reads the gzipped list', async () => {
    // -v=8 logs the response headers (Go's transport strips Content-Encoding once it has unzipped).
    const r = await rt.kubectl(['get', 'pods', '-o', 'json', '-v=8']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Vary: Accept-Encoding/);
    const list = JSON.parse(r.stdout) as { items: Array<{ metadata: { name: string; annotations: Record<string, string> } }> };
    expect(list.items).toHaveLength(PODS);
    expect(list.items.every((p) => p.metadata.annotations.padding === padding)).toBe(true);
  });
});

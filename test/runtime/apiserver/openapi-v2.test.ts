// /openapi/v2: JSON for clients that take JSON, 406 for kubectl's protobuf-only Accept (which
// kubectl handles: apply falls back to its compiled-in types).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../harness.ts';
import { rawHttp, type Send } from './raw-http.ts';

let rt: TestRuntime;
let send: Send;

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1 });
  send = await rawHttp(rt);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('/openapi/v2', () => {
  it('answers a Swagger 2.0 document in JSON, each operation with its group-version-kind', async () => {
    const r = await send('GET', '/openapi/v2', undefined, undefined, { Accept: 'application/json' });
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json');
    const doc = JSON.parse(r.body) as { swagger: string; info: { version: string }; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(doc.swagger).toBe('2.0');
    expect(doc.info.version).toBe('v1.32.4');
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/replicasets/{name}']!.patch!['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'ReplicaSet' });
    expect((await rt.kubectl(['get', '--raw', '/openapi/v2'])).stdout).toBe(r.body);
  });

  it('refuses a protobuf-only Accept with 406, and kubectl apply of an existing object still works', async () => {
    const r = await send('GET', '/openapi/v2', undefined, undefined, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(r.status).toBe(406);
    const cm = (v: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v2' }, data: { k: v } });
    expect((await rt.kubectl(['apply', '-f', '-'], { input: cm('1') })).stdout).toBe('configmap/v2 created\n');
    const again = await rt.kubectl(['apply', '-f', '-'], { input: cm('2') });
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe('configmap/v2 configured\n');
  });
});

// kubectl's typed generators send Kubernetes protobuf; the API server decodes it into the same
// objects a JSON body makes, and answers in JSON. Through the real kubectl against the runtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRuntime } from '../harness.ts';
import { envelope, ld } from './http/protobuf/wire.ts';
import { startRawRuntime, type Send } from './raw-http.ts';

let rt: TestRuntime;
let send: Send;
beforeAll(async () => void ({ rt, send } = await startRawRuntime()), 60_000);
afterAll(() => rt?.close());

const getJson = async (...args: string[]) => {
  const r = await rt.kubectl(['get', ...args, '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
};

describe('protobuf request bodies (kubectl create)', () => {
  it('kubectl create namespace', async () => {
    const r = await rt.kubectl(['create', 'namespace', 'team-a']);
    expect(r).toMatchObject({ code: 0, stdout: 'namespace/team-a created\n' });
    const ns = await getJson('namespace', 'team-a');
    expect(ns).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });

  it('kubectl create configmap', async () => {
    const r = await rt.kubectl(['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=empty=']);
    expect(r).toMatchObject({ code: 0, stdout: 'configmap/c created\n' });
    const cm = await getJson('configmap', 'c');
    expect(cm.data).toEqual({ a: 'b', empty: '' });
    expect(cm.metadata.namespace).toBe('default');
    expect(cm.metadata).not.toHaveProperty('generateName');
  });

  it('kubectl create secret generic: bytes arrive as base64', async () => {
    const r = await rt.kubectl(['create', 'secret', 'generic', 's', '--from-literal=k=v', '--from-literal=bin=\u00e9\u0001']);
    expect(r).toMatchObject({ code: 0, stdout: 'secret/s created\n' });
    const s = await getJson('secret', 's');
    expect(s).toMatchObject({ type: 'Opaque', data: { k: Buffer.from('v').toString('base64'), bin: Buffer.from('\u00e9\u0001').toString('base64') } });
  });

  it('kubectl create service clusterip: targetPorts as numbers and names (IntOrString)', async () => {
    const r = await rt.kubectl(['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https']);
    expect(r).toMatchObject({ code: 0, stdout: 'service/svc created\n' });
    const svc = await getJson('service', 'svc');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ app: 'svc' });
    expect(svc.spec.ports).toEqual([
      { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
      { name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https' },
    ]);
    expect(svc.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('a protobuf PUT updates, and the answer is JSON', async () => {
    const before = await getJson('configmap', 'c');
    // ConfigMap: metadata 1 (name 1, namespace 3, resourceVersion 6), data 2 (map entries key 1, value 2).
    const meta = ld(1, ld(1, 'c'), ld(3, 'default'), ld(6, before.metadata.resourceVersion));
    const put = await send('PUT', '/api/v1/namespaces/default/configmaps/c', envelope('v1', 'ConfigMap', [...meta, ...ld(2, ld(1, 'a'), ld(2, 'changed'))]), 'application/vnd.kubernetes.protobuf');
    expect(put.status).toBe(200);
    expect(put.type).toBe('application/json');
    expect(JSON.parse(put.body).data).toEqual({ a: 'changed' });
    expect((await getJson('configmap', 'c')).data).toEqual({ a: 'changed' });
  });

  it('a typed delete (drain without eviction) sends protobuf DeleteOptions', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
    expect((await rt.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) })).code).toBe(0);
    const node = (await getJson('nodes')).items[0].metadata.name;
    await rt.kubectl(['patch', 'pod', 'lonely', '--type=merge', '-p', JSON.stringify({ spec: { nodeName: node } })]);
    const r = await rt.kubectl(['drain', node, '--force', '--disable-eviction', '--grace-period=0', '--timeout=20s'], { timeoutMs: 30_000 });
    expect(r.stderr).not.toMatch(/415|unknown format|cannot be handled/);
    expect(r.stdout).toContain('pod/lonely deleted');
  });

  it('an unparseable protobuf body is a 400 in the API server\'s words; other media types a 415', async () => {
    const garbage = await send('POST', '/api/v1/namespaces', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0xff]), 'application/vnd.kubernetes.protobuf');
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body).message).toBe('the object provided is unrecognized (must be of type Namespace): unexpected EOF (6b38730012ff)');
    const noMagic = await send('POST', '/api/v1/namespaces', '{"kind":"Namespace"}', 'application/vnd.kubernetes.protobuf');
    expect(JSON.parse(noMagic.body).message).toBe(
      'the object provided is unrecognized (must be of type Namespace): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"Namespace"})',
    );
    const cbor = await send('POST', '/api/v1/namespaces', 'x', 'application/cbor');
    expect(cbor.status).toBe(415);
    expect(cbor.type).toBe('application/json');
    expect(JSON.parse(cbor.body)).toMatchObject({
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf',
    });
  });
});

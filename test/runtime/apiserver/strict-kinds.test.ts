// Every served kind is validated strictly (issue 9, points 4 and 6), over real HTTPS against a
// started runtime: Secrets are stored as Kubernetes stores them; unknown fields are errors under
// fieldValidation=Strict and warnings under Warn; mistyped fields are 422s, never stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRuntime } from '../harness.ts';
import { startRawRuntime, type Send } from './raw-http.ts';

let rt: TestRuntime;
let send: Send;
beforeAll(async () => void ({ rt, send } = await startRawRuntime()), 60_000);
afterAll(() => rt?.close());

const NOW = '2026-01-02T03:04:05Z';
const NS = '/api/v1/namespaces/default';

/** One valid object per kind, and the collection it is created in. */
const KINDS: Record<string, { path: string; body: Record<string, unknown> }> = {
  ConfigMap: { path: `${NS}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } },
  Secret: { path: `${NS}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' } } },
  Node: { path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '2' } } } },
  Lease: {
    path: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 40, renewTime: '2026-01-02T03:04:05.000000Z' } },
  },
  Event: {
    path: `${NS}/events`,
    body: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'R', count: 1, firstTimestamp: NOW, lastTimestamp: NOW },
  },
  EndpointSlice: {
    path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    body: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'es' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] },
  },
};

const named = (body: Record<string, unknown>, name: string): Record<string, unknown> => ({ ...body, metadata: { ...(body.metadata as object), name } });

async function create(kind: string, body: Record<string, unknown>, query = '') {
  const answer = await send('POST', `${KINDS[kind]!.path}${query}`, JSON.stringify(body));
  return { ...answer, json: JSON.parse(answer.body) as Record<string, any> };
}

describe('Secrets are stored as Kubernetes stores them', () => {
  it('folds stringData into base64 data (stringData wins), drops it, and defaults type to Opaque', async () => {
    const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'folded' }, data: { a: 'b2xk', b: 'Yg==' }, stringData: { a: 'new', c: 'see' } };
    const { status, json } = await create('Secret', body);
    expect(status).toBe(201);
    expect(json.data).toEqual({ a: 'bmV3', b: 'Yg==', c: 'c2Vl' });
    expect(json.stringData).toBeUndefined();
    expect(json.type).toBe('Opaque');
    const read = JSON.parse((await send('GET', `${NS}/secrets/folded`)).body);
    expect(read.data).toEqual(json.data);
    expect(read.stringData).toBeUndefined();
  });

  it('refuses data that is not base64 with 422, in Go’s words, without echoing the value', async () => {
    const { status, json } = await create('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad64' }, data: { token: 'not base64' } });
    expect(status).toBe(422);
    expect(json.message).toBe('Secret "bad64" is invalid: data[token]: Invalid value: "<value redacted>": illegal base64 data at input byte 3');
    expect(json.message).not.toContain('not base64');
    expect(json.details.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'data[token]', message: 'Invalid value: "<value redacted>": illegal base64 data at input byte 3' }]);
    expect((await send('GET', `${NS}/secrets/bad64`)).status).toBe(404);
  });

  it('requires the keys of the well-known types, accepting them from stringData too', async () => {
    const tls = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, type: 'kubernetes.io/tls' };
    expect((await create('Secret', tls)).json.message).toBe('Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]');
    expect((await create('Secret', { ...tls, stringData: { 'tls.crt': 'C', 'tls.key': 'K' } })).status).toBe(201);
    const docker = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'docker' }, type: 'kubernetes.io/dockerconfigjson' };
    expect((await create('Secret', docker)).json.message).toBe('Secret "docker" is invalid: data[.dockerconfigjson]: Required value');
    expect((await create('Secret', { ...docker, stringData: { '.dockerconfigjson': 'nope' } })).status).toBe(422);
    expect((await create('Secret', { ...docker, stringData: { '.dockerconfigjson': '{"auths":{}}' } })).status).toBe(201);
  });

  it('refuses data keys that are not config-map keys and data over 1 MiB', async () => {
    const { json } = await create('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys' }, stringData: { 'a/b': 'x' } });
    expect(json.message).toContain('data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters');
    const big = await create('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big' }, stringData: { a: 'x'.repeat(1024 * 1024 + 1) } });
    expect(big.json.message).toBe('Secret "big" is invalid: data: Too long: must have at most 1048576 bytes');
  });
});

describe('every served kind is strict', () => {
  it.each(Object.keys(KINDS))('%s: valid objects are created', async (kind) => {
    const { status, body } = await create(kind, KINDS[kind]!.body);
    expect(status, body).toBe(201);
  });

  it.each(Object.keys(KINDS))('%s: an unknown field is a 400 under Strict, a warning under Warn', async (kind) => {
    const body: Record<string, unknown> = { ...named(KINDS[kind]!.body, `${kind.toLowerCase()}-unknown`), bogus: 1 };
    const strict = await create(kind, body, '?fieldValidation=Strict');
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(`${kind} in version "${String(body.apiVersion).split('/').pop()}" cannot be handled as a ${kind}: strict decoding error: unknown field "bogus"`);
    const warn = await create(kind, body, '?fieldValidation=Warn');
    expect(warn.status).toBe(201);
    expect(String(warn.headers.warning)).toContain('unknown field \\"bogus\\"');
    expect(warn.json.bogus).toBeUndefined();
  });

  const BAD: Array<[string, string, Record<string, unknown>, string]> = [
    ['a Node with capacity.cpu: lots', 'Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'lots' }, status: { capacity: { cpu: 'lots' } } }, `status.capacity[cpu]: Invalid value: "lots": quantities must match the regular expression`],
    ['a Node with a taint without effect', 'Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'taint' }, spec: { taints: [{ key: 'k' }] } }, 'spec.taints[0].effect: Required value'],
    ['a Lease with renewTime: yesterday', 'Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'y' }, spec: { renewTime: 'yesterday' } }, 'spec.renewTime: Invalid value: "yesterday": must be a time in RFC 3339 format'],
    ['a Lease with a negative duration', 'Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'neg' }, spec: { leaseDurationSeconds: -5 } }, 'spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0'],
    ['an Event with count: many', 'Event', { ...KINDS.Event!.body, metadata: { name: 'many' }, count: 'many' }, 'count: Invalid value: "many": must be of type integer'],
    ['an Event with lastTimestamp: soon', 'Event', { ...KINDS.Event!.body, metadata: { name: 'soon' }, lastTimestamp: 'soon' }, 'lastTimestamp: Invalid value: "soon"'],
    ['an Event about another namespace', 'Event', { ...KINDS.Event!.body, metadata: { name: 'other' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'kube-system' } }, 'involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace'],
    ['an EndpointSlice with a bad address', 'EndpointSlice', { ...KINDS.EndpointSlice!.body, metadata: { name: 'addr' }, endpoints: [{ addresses: ['nope'] }] }, 'endpoints[0].addresses[0]: Invalid value: "nope"'],
    ['an EndpointSlice with an unknown address type', 'EndpointSlice', { ...KINDS.EndpointSlice!.body, metadata: { name: 'type' }, addressType: 'IPv5' }, 'addressType: Unsupported value: "IPv5"'],
    ['a ConfigMap with a bad key', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'key' }, data: { 'a b': 'x' } }, 'data[a b]: Invalid value: "a b": a valid config key'],
    ['a ConfigMap with binaryData that is not base64', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bin' }, binaryData: { a: '!!' } }, 'binaryData[a]: Invalid value: "<value redacted>": illegal base64 data at input byte 0'],
    ['a ConfigMap key in both data and binaryData', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' }, data: { a: 'x' }, binaryData: { a: 'eA==' } }, 'binaryData[a]: Invalid value: "a": duplicate of key present in data'],
    ['a ConfigMap with immutable: "yes"', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'imm' }, immutable: 'yes' }, 'immutable: Invalid value: "yes": must be of type boolean'],
  ];
  it.each(BAD)('%s is a 422 and is not stored', async (_label, kind, body, message) => {
    const { status, json } = await create(kind, body);
    expect(status).toBe(422);
    expect(json.message).toContain(message);
    const name = (body.metadata as { name: string }).name;
    expect((await send('GET', `${KINDS[kind]!.path}/${name}`)).status).toBe(404);
  });

  it('a status write is checked too: a Node whose kubelet reports capacity.cpu: lots is refused', async () => {
    const node = JSON.parse((await send('GET', '/api/v1/nodes/n')).body);
    const answer = await send('PUT', '/api/v1/nodes/n/status', JSON.stringify({ ...node, status: { capacity: { cpu: 'lots' } } }));
    expect(answer.status).toBe(422);
    expect(JSON.parse((await send('GET', '/api/v1/nodes/n')).body).status.capacity.cpu).toBe('2');
  });

  it('kubectl describe still reads what was stored', async () => {
    const { code, stdout, stderr } = await rt.kubectl(['describe', 'lease', 'l', '-n', 'default']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Holder Identity:');
  });
});

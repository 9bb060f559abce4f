// SelfSubjectAccessReview and SelfSubjectRulesReview against the real runtime: through
// @kubernetes/client-node (JSON bodies), raw requests, and `kubectl auth can-i`.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../harness.ts';
import { rawHttp, type Send } from './raw-http.ts';

let rt: TestRuntime;
let authz: k8s.AuthorizationV1Api;
let send: Send;

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(rt.kubeconfig);
  authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  send = await rawHttp(rt);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

/** kubectl auth can-i encodes the review as protobuf: until those bodies are decoded (issue 10 point 2), the server answers 415 and the kubectl tests skip. */
const awaitsProtobuf = (r: { code: number; stderr: string }) => r.code !== 0 && /UnsupportedMediaType|unknown format/.test(r.stderr);

describe('authorization.k8s.io/v1 reviews', () => {
  it('are in discovery as Kubernetes lists them: cluster-scoped, create only', async () => {
    const groups = JSON.parse((await send('GET', '/apis')).body) as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(groups.groups.find((g) => g.name === 'authorization.k8s.io')?.preferredVersion.groupVersion).toBe('authorization.k8s.io/v1');
    const list = JSON.parse((await send('GET', '/apis/authorization.k8s.io/v1')).body) as { groupVersion: string; resources: unknown[] };
    expect(list.groupVersion).toBe('authorization.k8s.io/v1');
    expect(list.resources).toEqual([
      { name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] },
      { name: 'selfsubjectrulesreviews', singularName: 'selfsubjectrulesreview', namespaced: false, kind: 'SelfSubjectRulesReview', verbs: ['create'] },
    ]);
  });

  it('SelfSubjectAccessReview: the local user may do anything (201, status.allowed true, nothing stored)', async () => {
    const review = await authz.createSelfSubjectAccessReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'delete', resource: 'nodes' } } },
    });
    expect(review.status?.allowed).toBe(true);
    expect(review.spec.resourceAttributes).toEqual({ verb: 'delete', resource: 'nodes' });
    const raw = await send('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', JSON.stringify({ spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } }));
    expect(raw.status).toBe(201);
    expect(JSON.parse(raw.body)).toMatchObject({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', status: { allowed: true } });
    expect((await send('GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status).toBe(405);
  });

  it('SelfSubjectAccessReview without attributes is invalid, in Kubernetes\' words', async () => {
    const raw = await send('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', JSON.stringify({ spec: {} }));
    expect(raw.status).toBe(422);
    expect(JSON.parse(raw.body).message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const both = await send('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', JSON.stringify({ spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } } }));
    expect(JSON.parse(both.body).message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: cannot be specified in combination with resourceAttributes',
    );
  });

  it('SelfSubjectRulesReview lists every verb on everything, complete', async () => {
    const review = await authz.createSelfSubjectRulesReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } } });
    expect(review.status).toEqual({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
  });

  it('kubectl auth can-i create pods prints yes', async (ctx) => {
    const r = await rt.kubectl(['auth', 'can-i', 'create', 'pods']);
    if (awaitsProtobuf(r)) ctx.skip();
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('yes\n');
    expect(r.code).toBe(0);
  });

  it('kubectl auth can-i --list lists the * rules', async (ctx) => {
    const r = await rt.kubectl(['auth', 'can-i', '--list']);
    if (awaitsProtobuf(r)) ctx.skip();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n/);
    expect(r.stdout).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    expect(r.stdout).toMatch(/\s+\[\*\]\s+\[\]\s+\[\*\]/);
  });
});

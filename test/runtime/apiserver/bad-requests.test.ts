// Client mistakes are 4xx, never 500 (issue 9, point 7): a table of malformed requests sent over
// real HTTPS to a started runtime; every answer is a Status with a code below 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../harness.ts';
import { rawHttp, type Send } from './raw-http.ts';

let rt: TestRuntime;
let send: Send;

beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1 });
  send = await rawHttp(rt);
  await send('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }));
  await send('POST', '/apis/apps/v1/namespaces/default/replicasets', JSON.stringify(replicaSet('rs')));
}, 60_000);
afterAll(async () => {
  await rt?.close();
});

function replicaSet(name: string) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

const deep = (n: number, open = '{"a":', close = '}', leaf = '1') => open.repeat(n) + leaf + close.repeat(n);
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const CM = '/api/v1/namespaces/default/configmaps';
const RS = '/apis/apps/v1/namespaces/default/replicasets';

type Case = [label: string, method: string, path: string, body?: string, contentType?: string];

const DEPTH = 100_000;
const CASES: Case[] = [
  ['create: JSON nested 100,000 deep', 'POST', CM, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${deep(DEPTH)}}`],
  ['create: arrays nested 100,000 deep', 'POST', CM, deepArray(DEPTH)],
  ['update: JSON nested 100,000 deep', 'PUT', `${CM}/cm`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":${deep(DEPTH)}}`],
  ['merge patch nested 100,000 deep', 'PATCH', `${CM}/cm`, `{"data":${deep(DEPTH)}}`, 'application/merge-patch+json'],
  ['strategic patch nested 100,000 deep', 'PATCH', `${CM}/cm`, `{"data":${deep(DEPTH)}}`, 'application/strategic-merge-patch+json'],
  ['json patch nested 100,000 deep', 'PATCH', `${CM}/cm`, `[{"op":"add","path":"/x","value":${deep(DEPTH)}}]`, 'application/json-patch+json'],
  ['apply patch nested 100,000 deep (JSON)', 'PATCH', `${CM}/cm?fieldManager=t`, `{"apiVersion":"v1","kind":"ConfigMap","data":${deep(DEPTH)}}`, 'application/apply-patch+yaml'],
  ['apply patch nested 100,000 deep (YAML flow)', 'PATCH', `${CM}/cm?fieldManager=t`, `apiVersion: v1\nkind: ConfigMap\ndata: ${deep(DEPTH, '{a: ', '}')}\n`, 'application/apply-patch+yaml'],
  ['merge patch nested 999 levels (under the bound)', 'PATCH', `${CM}/cm`, `{"metadata":{"annotations":${deep(996)}}}`, 'application/merge-patch+json'],
  ['strategic patch nested 999 levels (under the bound)', 'PATCH', `${RS}/rs?fieldValidation=Strict`, `{"spec":{"template":${deep(996)}}}`, 'application/strategic-merge-patch+json'],
  // Strict: under Warn an apply drops the unknown field and succeeds (as SSA does), the point here is the depth.
  ['apply nested 999 levels (under the bound)', 'PATCH', `${RS}/rs?fieldManager=t&fieldValidation=Strict`, `{"apiVersion":"apps/v1","kind":"ReplicaSet","spec":{"template":${deep(996)}}}`, 'application/apply-patch+yaml'],
  ['create nested 999 levels (under the bound)', 'POST', CM, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep9k","annotations":${deep(996)}}}`],
  ['DELETE body nested 100,000 deep', 'DELETE', `${CM}/cm`, deep(DEPTH)],
  ['DELETE with a malformed body', 'DELETE', `${CM}/cm`, '{"gracePeriodSeconds":'],
  ['DELETE with a null body', 'DELETE', `${CM}/nope`, 'null'],
  ['DELETE with an array body', 'DELETE', `${CM}/cm`, '[1]'],
  ['DELETE with gracePeriodSeconds a string', 'DELETE', `${CM}/cm`, '{"gracePeriodSeconds":"soon"}'],
  ['DELETE collection with a string body', 'DELETE', `${CM}?labelSelector=none%3Dx`, '"x"'],
  ['scale PUT with a null body', 'PUT', `${RS}/rs/scale`, 'null'],
  ['scale PUT with a malformed body', 'PUT', `${RS}/rs/scale`, '{"spec":'],
  ['scale PUT with a string body', 'PUT', `${RS}/rs/scale`, '"3"'],
  ['scale PUT nested 100,000 deep', 'PUT', `${RS}/rs/scale`, `{"spec":${deep(DEPTH)}}`],
  ['scale PATCH with a null body', 'PATCH', `${RS}/rs/scale`, 'null', 'application/merge-patch+json'],
  ['status PUT with a null body', 'PUT', `${RS}/rs/status`, 'null'],
  ['binding with a null body', 'POST', '/api/v1/namespaces/default/pods/p/binding', 'null'],
  ['finalize with a null body', 'PUT', '/api/v1/namespaces/default/finalize', 'null'],
  ['%ZZ in a path', 'GET', '/api/v1/namespaces/%ZZ/configmaps'],
  ['%ZZ in a name', 'GET', `${CM}/%ZZ`],
  ['a lone % in a path', 'GET', `${CM}/a%`],
  ['limit=abc', 'GET', `${CM}?limit=abc`],
  ['limit=1.5', 'GET', `${CM}?limit=1.5`],
  ['resourceVersion=abc on a list', 'GET', `${CM}?resourceVersion=abc`],
  ['resourceVersion=abc on a watch', 'GET', `${CM}?watch=true&resourceVersion=abc`],
  ['resourceVersion=-1 on a watch', 'GET', `${CM}?watch=true&resourceVersion=-1`],
  ['timeoutSeconds=abc on a watch', 'GET', `${CM}?watch=true&timeoutSeconds=abc`],
  ['gracePeriodSeconds=abc', 'DELETE', `${CM}/cm?gracePeriodSeconds=abc`],
  ['tailLines=abc', 'GET', '/api/v1/namespaces/default/pods/p/log?tailLines=abc'],
  ['sinceSeconds=abc', 'GET', '/api/v1/namespaces/default/pods/p/log?sinceSeconds=abc'],
  ['a 1 MB name', 'POST', CM, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'A'.repeat(1024 * 1024) } })],
  ['a 1 MB label value', 'POST', CM, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', labels: { a: '-'.repeat(1024 * 1024) } } })],
  ['a body that is a number', 'POST', CM, '42'],
  ['a body that is null', 'POST', CM, 'null'],
  ['an empty body', 'POST', CM, ''],
  ['a patch body that is null', 'PATCH', `${CM}/cm`, 'null', 'application/strategic-merge-patch+json'],
  ['a json patch that is not a list', 'PATCH', `${CM}/cm`, '{"op":"add"}', 'application/json-patch+json'],
  ['a json patch with a null op', 'PATCH', `${CM}/cm`, '[null]', 'application/json-patch+json'],
  ['an apply patch that is not YAML', 'PATCH', `${CM}/cm?fieldManager=t`, '{: [', 'application/apply-patch+yaml'],
  ['a labelSelector that does not parse', 'GET', `${CM}?labelSelector=a%20in%20(`],
  ['a fieldSelector on an unknown field', 'GET', `${CM}?fieldSelector=spec.x%3Dy`],
  ['a continue token that is garbage', 'GET', `${CM}?limit=1&continue=%%%`],
];

describe('bad requests over HTTP', () => {
  it.each(CASES)('%s: 4xx with a Status body', async (_label, method, path, body, contentType) => {
    const answer = await send(method, path, body, contentType);
    expect(answer.status, answer.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.body.slice(0, 300)).toBeLessThan(500);
    expect(answer.type, `${answer.status} ${answer.body.slice(0, 300)}`).toMatch(/json/);
    const status = JSON.parse(answer.body) as { kind: string; code: number; message: string };
    expect(status).toMatchObject({ kind: 'Status', code: answer.status });
    // Oversized values are truncated in messages: no echo of a megabyte.
    expect(answer.body.length).toBeLessThan(64 * 1024);
  });

  it('query parameters that are not integers are refused in Kubernetes’ words', async () => {
    const message = async (path: string, method = 'GET') => (JSON.parse((await send(method, path)).body) as { message: string }).message;
    expect(await message(`${CM}?limit=abc`)).toBe('strconv.ParseInt: parsing "abc": invalid syntax');
    expect(await message(`${CM}/cm?gracePeriodSeconds=abc`, 'DELETE')).toBe('strconv.ParseInt: parsing "abc": invalid syntax');
    expect(await message(`${CM}?resourceVersion=abc`)).toBe('resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
  });

  it('the runtime is still serving afterwards', async () => {
    const answer = await send('GET', `${CM}/cm`);
    expect(answer.status).toBe(200);
  });
});

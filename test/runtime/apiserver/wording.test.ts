// Issue 10, point 9: the real kubectl 1.32 against the running runtime prints Kubernetes' own
// field.Error texts, character for character; the Status behind them is apierrors.NewInvalid's
// (`ReplicaSet.apps "x" is invalid: [e1, e2]`, a cause per error) and NewForbidden's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestRuntime } from '../harness.ts';
import { startRawRuntime, type Send } from './raw-http.ts';

let rt: TestRuntime;
let send: Send;
beforeAll(async () => void ({ rt, send } = await startRawRuntime()), 60_000);
afterAll(() => rt?.close());

const apply = (obj: unknown, ...flags: string[]) => rt.kubectl(['apply', '-f', '-', ...flags], { input: JSON.stringify(obj) });

const replicaSet = (name: string, selector: unknown, labels: Record<string, string> = { app: 'yy' }) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: { ...(selector === undefined ? {} : { selector }), template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
});

const MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"yy"}: `selector` does not match template `labels`';

describe('validation errors as Kubernetes words them', () => {
  it('a Service with port 0', async () => {
    const r = await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'zero' }, spec: { ports: [{ port: 0 }] } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Service "zero" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n');
  });

  it('a ReplicaSet whose selector does not match its template labels', async () => {
    const r = await apply(replicaSet('mismatch', { matchLabels: { app: 'xx' } }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`The ReplicaSet "mismatch" is invalid: ${MISMATCH}\n`);
  });

  it('a ReplicaSet without a selector gets both of Kubernetes\' errors at once', async () => {
    const r = await apply(replicaSet('nosel', undefined));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`The ReplicaSet "nosel" is invalid: \n* spec.selector: Required value\n* ${MISMATCH}\n`);
    // The Status itself: the group-qualified kind and the bracketed aggregate, a cause per error.
    const raw = await send('POST', '/apis/apps/v1/namespaces/default/replicasets', JSON.stringify(replicaSet('nosel', undefined)));
    expect(raw.status).toBe(422);
    const status = JSON.parse(raw.body);
    expect(status.message).toBe(`ReplicaSet.apps "nosel" is invalid: [spec.selector: Required value, ${MISMATCH}]`);
    expect(status.details).toEqual({
      name: 'nosel',
      group: 'apps',
      kind: 'ReplicaSet',
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
        { reason: 'FieldValueInvalid', message: MISMATCH.slice('spec.template.metadata.labels: '.length), field: 'spec.template.metadata.labels' },
      ],
    });
  });

  it('an empty selector prints the LabelSelector as its String() does', async () => {
    const r = await apply(replicaSet('empty', {}));
    expect(r.stderr).toBe(
      'The ReplicaSet "empty" is invalid: spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for deployment\n',
    );
  });

  it('a mistyped field is a field error too', async () => {
    const r = await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed' }, immutable: 'yes' });
    expect(r.stderr).toBe('The ConfigMap "typed" is invalid: immutable: Invalid value: "yes": must be of type boolean\n');
  });
});

describe('Forbidden answers name the resource', () => {
  it('a pod in a terminating namespace: pods "p" is forbidden: ...', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'closing', finalizers: ['example.com/hold'] } };
    expect((await apply(ns)).code).toBe(0);
    expect((await rt.kubectl(['delete', 'namespace', 'closing', '--wait=false'])).code).toBe(0);
    await eventually(async () => (await rt.kubectl(['get', 'namespace', 'closing', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).stdout !== '');
    const r = await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'closing' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "p" is forbidden: unable to create new content in namespace closing because it is being terminated\n',
    );
  });
});

describe('label selectors parse as Kubernetes parses them', () => {
  it('`app notin ()` is the empty-value set, as labels.Parse reads it: pods without app, or with a non-empty one', async () => {
    for (const [name, labels] of [['with-app', { app: 'web' }], ['without-app', {}]] as const) {
      const r = await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
      expect(r.code).toBe(0);
    }
    const r = await rt.kubectl(['get', 'pods', '-l', 'app notin ()', '-o', 'name']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['pod/with-app', 'pod/without-app']);
    const bad = await rt.kubectl(['get', 'pods', '-l', 'app notin (a b)']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app notin (a b)", field selector "": unable to parse requirement: found \'b\', expected: \',\' or \')\'\n',
    );
  });
});

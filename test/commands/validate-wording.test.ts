// `kite validate` speaks the API server's language (issue 10, point 9): the same mistakes as in
// test/runtime/apiserver/wording.test.ts, in a YAML file and in a program, give Kubernetes'
// field.Error texts after kite's own file, line and object naming.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKite, scratchDir, writeFiles } from '../support/kite.ts';

const MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"yy"}: `selector` does not match template `labels`';

const replicaSetYaml = (name: string, selector: string) => `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
spec:${selector}
  template:
    metadata:
      labels:
        app: yy
    spec:
      containers:
      - name: c
        image: x:1
`;

const YAML = [
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: zero\nspec:\n  ports:\n  - port: 0\n',
  replicaSetYaml('mismatch', '\n  selector:\n    matchLabels:\n      app: xx'),
  replicaSetYaml('nosel', ''),
].join('---\n');

const PROGRAM = `import { Stack, Namespace, ApiObject } from 'kite';
const stack = new Stack('shop');
const prod = new Namespace(stack, 'prod');
const template = { metadata: { labels: { app: 'yy' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
new ApiObject(prod, 'zero', { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 0 }] } });
new ApiObject(prod, 'mismatch', { apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { selector: { matchLabels: { app: 'xx' } }, template } });
new ApiObject(prod, 'nosel', { apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { template } });
export default stack;
`;

describe('kite validate words field errors as Kubernetes does', () => {
  it('in a YAML file', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, { 'bad.yaml': YAML });
    const file = join(dir, 'bad.yaml');
    const r = await runKite(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      `${file}:7:11: Service/zero: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`,
      `${file}:20:9: ReplicaSet/mismatch: ${MISMATCH}`,
      `${file}:31:3: ReplicaSet/nosel: spec.selector: Required value`,
      `${file}:34:9: ReplicaSet/nosel: ${MISMATCH}`,
      '4 errors',
      '',
    ]);
  });

  it('in a program', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, { 'stack.ts': PROGRAM });
    const r = await runKite(['validate', 'stack.ts'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toEqual([
      expect.stringMatching(/^stack\.ts:5:\d+: prod\/Service\/zero: spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive \(construct shop\/prod\/zero\)$/),
      `stack.ts:6:1: prod/ReplicaSet/mismatch: ${MISMATCH} (construct shop/prod/mismatch)`,
      'stack.ts:7:1: prod/ReplicaSet/nosel: spec.selector: Required value (construct shop/prod/nosel)',
      `stack.ts:7:1: prod/ReplicaSet/nosel: ${MISMATCH} (construct shop/prod/nosel)`,
      '4 errors',
    ]);
  });
});

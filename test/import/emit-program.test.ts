import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { validateManifest } from '../../lib/api/model.ts';
import { emitProgram } from '../../lib/import/emit-program.ts';
import { recognize } from '../../lib/import/recognize.ts';

const valid = (o: unknown): KubeObject => validateManifest(o).object!;

describe('emitProgram', () => {
  it('writes imports, label consts, the stack, scopes and constructs, formatted', () => {
    const labels = { app: 'web' };
    const plan = recognize('site', [
      valid({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } }),
      valid({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web-ns', labels: { team: 'a' } } }),
      valid({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'web-ns', labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }),
      valid({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'web-ns', labels }, spec: { selector: labels, ports: [{ port: 80 }] } }),
      valid({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'other' }, data: { 'a.conf': "it's" } }),
    ]);
    expect(emitProgram(plan, 'Imported from test.')).toBe(
      [
        '// Imported from test.',
        "import { ApiObject, Namespace, Pod, Service, Stack } from 'kite';",
        '',
        "const webLabels = { app: 'web' };",
        "const stack = new Stack('site');",
        "new Namespace(stack, 'empty');",
        "const other = Namespace.existing(stack, 'other');",
        "const webNs = new Namespace(stack, 'web-ns', { labels: { team: 'a' } });",
        "new ApiObject(other, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', data: { 'a.conf': 'it\\'s' } });",
        "const web = new Pod(webNs, 'web', {",
        '  metadata: { labels: webLabels },',
        "  spec: { containers: [{ name: 'c', image: 'nginx' }] },",
        '});',
        "new Service(webNs, 'web-service', {",
        "  metadata: { name: 'web', labels: webLabels },",
        '  ports: [{ port: 80 }],',
        '  selects: web,',
        '});',
        '',
        'export default stack;',
        '',
      ].join('\n'),
    );
  });
});

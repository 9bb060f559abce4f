import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../lib/api/validate.ts';
import { formatFieldError } from '../../lib/api/field-error.ts';

const pod = (volumes: unknown[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'v0', mountPath: '/v0' }] }], volumes },
});

describe('volume sources kite does not model in detail', () => {
  it('accepts every other Kubernetes volume source, so real manifests are not blocked', () => {
    for (const source of ['downwardAPI', 'projected', 'csi', 'ephemeral', 'gcePersistentDisk', 'awsElasticBlockStore', 'image']) {
      const r = validateManifest(pod([{ name: 'v0', [source]: { any: 'body' } }]));
      expect(r.diagnostics, source).toEqual([]);
      expect((r.object as unknown as { spec: { volumes: Record<string, unknown>[] } }).spec.volumes[0]![source]).toEqual({ any: 'body' });
    }
  });

  it('still requires exactly one source and refuses unknown ones', () => {
    const two = validateManifest(pod([{ name: 'v0', emptyDir: {}, projected: { sources: [] } }]));
    expect(two.diagnostics.map(formatFieldError)).toEqual(['spec.volumes[0].projected: Forbidden: may not specify more than 1 volume type']);
    const unknown = validateManifest(pod([{ name: 'v0', madeUp: {} }]));
    expect(unknown.diagnostics.map((d) => d.path)).toContain('spec.volumes[0].madeUp');
  });
});

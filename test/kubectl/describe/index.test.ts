import { describe, expect, it } from 'vitest';
import { DESCRIBERS, describerFor } from '../../../lib/kubectl/describe/index.ts';
import { podDescriber } from '../../../lib/kubectl/describe/pod.ts';
import { replicaSetDescriber } from '../../../lib/kubectl/describe/replicaset.ts';

describe('the describer registry', () => {
  it('has one describer per group and kind', () => {
    const keys = DESCRIBERS.flatMap((d) => d.groups.map((g) => `${g}/${d.kind}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds a kind in each of its groups, and the generic describer for the rest', () => {
    expect(describerFor({ group: '', kind: 'Pod' })).toBe(podDescriber);
    expect(describerFor({ group: 'extensions', kind: 'ReplicaSet' })).toBe(replicaSetDescriber);
    expect(describerFor({ group: 'apps', kind: 'ReplicaSet' })).toBe(replicaSetDescriber);
    expect(DESCRIBERS).not.toContain(describerFor({ group: 'example.com', kind: 'Pod' }));
    expect(DESCRIBERS).not.toContain(describerFor({ group: 'apps', kind: 'Deployment' }));
  });
});

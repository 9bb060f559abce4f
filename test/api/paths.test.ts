import { describe, expect, it } from 'vitest';
import { keyedPath } from '../../lib/api/paths.ts';

describe('keyedPath', () => {
  const rs = {
    kind: 'ReplicaSet',
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'web', ports: [{ name: 'http', containerPort: 80 }, { containerPort: 9090 }, { containerPort: 53, protocol: 'UDP' }], env: [{ name: 'A' }, { name: 'A' }], args: ['x'] },
            { image: 'no-name' },
          ],
          volumes: [{ name: 'data' }],
        },
      },
    },
  };
  it.each([
    ['spec.template.spec.containers[0].image', 'spec.template.spec.containers[web].image'],
    ['spec.template.spec.containers[0].ports[0].containerPort', 'spec.template.spec.containers[web].ports[http].containerPort'],
    ['spec.template.spec.containers[0].ports[1].name', 'spec.template.spec.containers[web].ports[9090].name'],
    ['spec.template.spec.containers[0].ports[2]', 'spec.template.spec.containers[web].ports[53/UDP]'],
    // duplicates are told by position, atomic lists and items without their key keep the index
    ['spec.template.spec.containers[0].env[1].name', 'spec.template.spec.containers[web].env[1].name'],
    ['spec.template.spec.containers[0].args[0]', 'spec.template.spec.containers[web].args[0]'],
    ['spec.template.spec.containers[1].image', 'spec.template.spec.containers[1].image'],
    ['spec.template.spec.volumes[0].nfs.path', 'spec.template.spec.volumes[data].nfs.path'],
    ['spec.template.spec.containers[7].image', 'spec.template.spec.containers[7].image'],
    ['metadata.labels.app.kubernetes.io/name', 'metadata.labels.app.kubernetes.io/name'],
    ['spec.replicas', 'spec.replicas'],
  ])('%s → %s', (path, want) => {
    expect(keyedPath('ReplicaSet', rs, path)).toBe(want);
  });

  it('uses the kind: spec.containers is a pod spec only in a Pod', () => {
    const pod = { spec: { containers: [{ name: 'a' }] } };
    expect(keyedPath('Pod', pod, 'spec.containers[0].image')).toBe('spec.containers[a].image');
    expect(keyedPath('ReplicaSet', pod, 'spec.containers[0].image')).toBe('spec.containers[0].image');
  });
});

import { describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../lib/api/model.ts';
import { admitPodCreate, admitPodUpdate, withDefaultTolerations, withPriority, withServiceAccount } from '../../lib/api/pod-admission.ts';

const spec = (extra: Partial<PodSpec> = {}): PodSpec => ({ containers: [{ name: 'c', image: 'nginx:1' }], ...extra }) as PodSpec;
const pod = (extra: Partial<PodSpec> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: spec(extra) });
const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 } as const;
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 } as const;

describe('DefaultTolerationSeconds', () => {
  it('adds both tolerations to a pod without any', () => {
    expect(withDefaultTolerations(spec()).tolerations).toEqual([NOT_READY, UNREACHABLE]);
  });

  it('counts an empty key or effect as covering a taint, as the plugin does', () => {
    expect(withDefaultTolerations(spec({ tolerations: [{ operator: 'Exists' }] })).tolerations).toEqual([{ operator: 'Exists' }]);
    expect(withDefaultTolerations(spec({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] })).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
      UNREACHABLE,
    ]);
    // A NoSchedule toleration of the same key does not cover the NoExecute taint.
    expect(withDefaultTolerations(spec({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }] })).tolerations).toHaveLength(3);
  });
});

describe('Priority', () => {
  it('sets 0 and PreemptLowerPriority without a class, the system classes\' values with one', () => {
    expect(withPriority(spec())).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(withPriority(spec({ priorityClassName: 'system-node-critical' }))).toMatchObject({ priority: 2000001000 });
  });

  it('refuses unknown classes and contradicting literals in the plugin\'s words', () => {
    expect(withPriority(spec({ priorityClassName: 'gold' }))).toEqual({ forbidden: 'no PriorityClass with name gold was found' });
    expect(withPriority(spec({ priority: 0 }))).toMatchObject({ priority: 0 });
    expect(withPriority(spec({ preemptionPolicy: 'Never' }))).toEqual({
      forbidden: 'the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    });
  });

  it('keeps on update what create set', () => {
    const created = admitPodCreate(pod(), { serviceAccounts: true }) as Pod;
    const { priority: _p, preemptionPolicy: _pp, tolerations: _t, ...rest } = created.spec;
    expect(admitPodUpdate({ ...created, spec: rest as PodSpec }, created).spec).toEqual(created.spec);
  });
});

describe('ServiceAccount', () => {
  it('defaults the account to default and writes the deprecated field alongside', () => {
    expect(withServiceAccount(spec())).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default' });
    expect(withServiceAccount(spec({ serviceAccount: 'old-style' }))).toMatchObject({ serviceAccountName: 'old-style', serviceAccount: 'old-style' });
  });

  it('is left out when the server runs without the plugin', () => {
    expect((admitPodCreate(pod(), { serviceAccounts: false }) as Pod).spec.serviceAccountName).toBeUndefined();
  });
});

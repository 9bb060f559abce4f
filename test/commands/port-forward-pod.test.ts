import { describe, expect, it } from 'vitest';
import type { Pod } from '../../lib/api/model.ts';
import { moreActive } from '../../commands/port-forward-pod.ts';

function pod(name: string, o: { node?: string; phase?: string; ready?: string; restarts?: number; created?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'x' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Pending',
      ...(o.ready ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: o.ready }] } : {}),
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: !!o.ready, restartCount: o.restarts ?? 0 }],
    },
  } as Pod;
}

const first = (...pods: Pod[]) => [...pods].sort(moreActive)[0]!.metadata.name;

describe('the pod kubectl port-forward picks for a selector (ActivePods, reversed)', () => {
  it('prefers bound, then Running, then ready, then ready longest, then fewer restarts, then older', () => {
    expect(first(pod('unbound'), pod('bound', { node: 'n' }))).toBe('bound');
    expect(first(pod('pending', { node: 'n' }), pod('running', { node: 'n', phase: 'Running' }))).toBe('running');
    expect(first(pod('unready', { node: 'n', phase: 'Running' }), pod('ready', { node: 'n', phase: 'Running', ready: '2026-01-02T00:00:00Z' }))).toBe('ready');
    expect(first(pod('later', { node: 'n', phase: 'Running', ready: '2026-01-03T00:00:00Z' }), pod('sooner', { node: 'n', phase: 'Running', ready: '2026-01-02T00:00:00Z' }))).toBe('sooner');
    expect(first(pod('crashy', { node: 'n', phase: 'Running', restarts: 3 }), pod('steady', { node: 'n', phase: 'Running' }))).toBe('steady');
    expect(first(pod('newer', { node: 'n', created: '2026-01-05T00:00:00Z' }), pod('older', { node: 'n', created: '2026-01-04T00:00:00Z' }))).toBe('older');
  });
});

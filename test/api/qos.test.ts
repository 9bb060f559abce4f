import { describe, expect, it } from 'vitest';
import { qosClass } from '../../lib/api/qos.ts';

// The cases of k/k pkg/apis/core/helper/qos/qos_test.go TestComputePodQOS (names and resource
// lists as upstream has them; the pods are written here in JSON).
type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
const rl = (cpu: string, memory: string, extra: Record<string, string> = {}) => ({ ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}), ...extra });
const c = (requests: Record<string, string>, limits: Record<string, string>): Resources => ({ requests, limits });
const pod = (containers: Resources[], initContainers: Resources[] = []) => ({
  spec: {
    containers: containers.map((resources, i) => ({ name: `c${i}`, resources })),
    ...(initContainers.length ? { initContainers: initContainers.map((resources, i) => ({ name: `i${i}`, resources })) } : {}),
  },
});

describe('qosClass (ComputePodQOS)', () => {
  const cases: Array<[string, ReturnType<typeof pod>, string]> = [
    ['single guaranteed container', pod([c(rl('100m', '100Mi'), rl('100m', '100Mi'))]), 'Guaranteed'],
    ['two guaranteed containers', pod([c(rl('100m', '100Mi'), rl('100m', '100Mi')), c(rl('100m', '100Mi'), rl('100m', '100Mi'))]), 'Guaranteed'],
    ['two best-effort containers', pod([c(rl('', ''), rl('', '')), c(rl('', ''), rl('', ''))]), 'BestEffort'],
    ['single best-effort container', pod([c(rl('', ''), rl('', ''))]), 'BestEffort'],
    ['two burstable containers', pod([c(rl('100m', ''), rl('', '')), c(rl('100m', ''), rl('', ''))]), 'Burstable'],
    ['one burstable, one best-effort', pod([c(rl('', ''), rl('', '')), c(rl('1', ''), rl('', ''))]), 'Burstable'],
    ['one burstable, one guaranteed', pod([c(rl('1', '100Mi'), rl('', '')), c(rl('100m', '100Mi'), rl('100m', '100Mi'))]), 'Burstable'],
    ['burstable with an unbounded but requests match limits', pod([c(rl('100m', '100Mi'), rl('100m', '100Mi')), c(rl('100m', '100Mi'), rl('100m', ''))]), 'Burstable'],
    ['burstable with unbounded memory', pod([c(rl('100m', '100Mi'), rl('100m', '100Mi')), c(rl('100m', '100Mi'), rl('', ''))]), 'Burstable'],
    ['burstable: limits above requests', pod([c(rl('100m', '100Mi'), rl('200m', '200Mi'))]), 'Burstable'],
    ['extended resources do not count (best effort)', pod([c(rl('', '', { 'nvidia.com/gpu': '2' }), rl('', '', { 'nvidia.com/gpu': '2' }))]), 'BestEffort'],
    ['extended resources do not count (guaranteed)', pod([c(rl('100m', '100Mi', { 'nvidia.com/gpu': '2' }), rl('100m', '100Mi', { 'nvidia.com/gpu': '2' }))]), 'Guaranteed'],
    ['ephemeral-storage alone is best effort', pod([c(rl('', '', { 'ephemeral-storage': '1Gi' }), rl('', ''))]), 'BestEffort'],
    ['ephemeral-storage with guaranteed cpu and memory', pod([c(rl('100m', '100Mi', { 'ephemeral-storage': '1Gi' }), rl('100m', '100Mi'))]), 'Guaranteed'],
    ['a zero request is not a request', pod([c(rl('0', ''), rl('', ''))]), 'BestEffort'],
    ['zero cpu and memory everywhere', pod([c(rl('0', '0'), rl('0', '0'))]), 'BestEffort'],
    ['requests equal limits in other units', pod([c(rl('1000m', '1Gi'), rl('1', '1024Mi'))]), 'Guaranteed'],
    ['a best-effort init container with guaranteed containers', pod([c(rl('100m', '100Mi'), rl('100m', '100Mi'))], [c(rl('', ''), rl('', ''))]), 'Burstable'],
    ['a burstable init container', pod([c(rl('', ''), rl('', ''))], [c(rl('100m', ''), rl('', ''))]), 'Burstable'],
    ['guaranteed init and app containers', pod([c(rl('100m', '100Mi'), rl('100m', '100Mi'))], [c(rl('200m', '200Mi'), rl('200m', '200Mi'))]), 'Guaranteed'],
  ];
  it.each(cases)('%s', (_name, p, want) => {
    expect(qosClass(p)).toBe(want);
  });

  it('reads partial pods defensively', () => {
    expect(qosClass({})).toBe('BestEffort');
    expect(qosClass({ spec: { containers: [{ name: 'a' }] } })).toBe('BestEffort');
  });
});

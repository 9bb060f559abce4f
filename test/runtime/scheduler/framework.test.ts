import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../../../lib/api/meta.ts';
import type { Node, Pod, PodSpec } from '../../../lib/api/model.ts';
import { SchedulerCache } from '../../../runtime/scheduler/cache.ts';
import { compareGoStrings, defaultNormalizeScore, fitErrorMessage, Status, truncateMessage } from '../../../runtime/scheduler/framework.ts';
import { makePodInfo } from '../../../runtime/scheduler/pod-info.ts';
import { podMatchesNodeSelectorAndAffinity } from '../../../runtime/scheduler/plugins/node-affinity.ts';
import { insufficientResources } from '../../../runtime/scheduler/plugins/node-resources-fit.ts';
import { SchedulingQueue } from '../../../runtime/scheduler/queue.ts';

const pod = (spec: Partial<PodSpec>, meta: ObjectMeta = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', ...meta }, spec: { containers: [], ...spec } });
const node = (name: string, o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string> } = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.labels ?? {} },
  status: { allocatable: { cpu: o.cpu ?? '1', memory: o.memory ?? '1Gi', pods: o.pods ?? '110' } },
});

describe('FitError message', () => {
  it('counts reasons across nodes and sorts the "<n> <reason>" strings as Go does', () => {
    const statuses = [Status.unschedulable('Insufficient cpu'), Status.unschedulable('Insufficient cpu', 'Insufficient memory'), Status.unschedulable('Insufficient cpu')];
    expect(fitErrorMessage(3, statuses)).toBe('0/3 nodes are available: 1 Insufficient memory, 3 Insufficient cpu.');
    expect(fitErrorMessage(3, statuses, 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.')).toBe(
      '0/3 nodes are available: 1 Insufficient memory, 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
    );
    // "10 ..." sorts before "2 ..." (string order, not numeric).
    const many = [...Array.from({ length: 10 }, () => Status.unschedulable('Insufficient cpu')), Status.unresolvable('a'), Status.unresolvable('a')];
    expect(fitErrorMessage(12, many)).toBe('0/12 nodes are available: 10 Insufficient cpu, 2 a.');
    expect(compareGoStrings('B', 'a')).toBeLessThan(0);
  });

  it('truncates long event messages as the scheduler does', () => {
    expect(truncateMessage('x'.repeat(2000))).toHaveLength(1024);
    expect(truncateMessage('x'.repeat(2000)).endsWith(' ...')).toBe(true);
    expect(truncateMessage('short')).toBe('short');
  });

  it('normalizes scores like DefaultNormalizeScore', () => {
    const s = [0, 1, 2];
    defaultNormalizeScore(100, true, s);
    expect(s).toEqual([100, 50, 0]);
    const z = [0, 0];
    defaultNormalizeScore(100, true, z);
    expect(z).toEqual([100, 100]);
  });
});

describe('pod requests', () => {
  it('sums containers, takes the max with init containers, adds sidecars', () => {
    const info = makePodInfo(
      pod({
        initContainers: [
          { name: 'i1', image: 'x', resources: { requests: { cpu: '2', memory: '1G' } } },
          { name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
          { name: 'i2', image: 'x', resources: { requests: { cpu: '2', memory: '3G' } } },
        ],
        containers: [
          { name: 'c1', image: 'x', resources: { requests: { cpu: '2', memory: '1G' } } },
          { name: 'c2', image: 'x', resources: { requests: { cpu: '1', memory: '1G' } } },
        ],
      }),
    );
    // containers 3 cpu + sidecar 100m = 3100m; i2 with the sidecar = 2100m → 3100m; memory max(2G, 3G) = 3G.
    expect(info.requests.milliCPU).toBe(3100);
    expect(info.requests.memory).toBe(3_000_000_000);
    // Scoring counts 200Mi for the sidecar without a memory request.
    expect(info.nonZero.memory).toBe(Math.max(2_000_000_000 + 200 * 1024 * 1024, 3_000_000_000 + 200 * 1024 * 1024));
  });

  it('finds every insufficient resource of a node', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('n1', { cpu: '1', memory: '1Gi', pods: '1' }));
    cache.addPod({ ...pod({ nodeName: 'n1', containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '500m' } } }] }, { name: 'other', uid: 'u0' }) });
    const big = makePodInfo(pod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '600m', memory: '2Gi', 'example.com/gpu': '1' } } }] }));
    expect(insufficientResources(big, cache.nodeInfo('n1')!)).toEqual(['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient example.com/gpu']);
    cache.removePod(pod({}, { name: 'other', uid: 'u0' }));
    expect(cache.nodeInfo('n1')!.requested.milliCPU).toBe(0);
  });
});

describe('node affinity', () => {
  const cache = new SchedulerCache();
  cache.setNode(node('n1', { labels: { zone: 'a', gen: '5' } }));
  const n1 = cache.nodeInfo('n1')!;
  it('matches nodeSelector and required terms (ORed terms, ANDed expressions)', () => {
    expect(podMatchesNodeSelectorAndAffinity(pod({ nodeSelector: { zone: 'a' } }), n1)).toBe(true);
    expect(podMatchesNodeSelectorAndAffinity(pod({ nodeSelector: { zone: 'b' } }), n1)).toBe(false);
    const affinity = (terms: Record<string, unknown>[]) => pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    expect(podMatchesNodeSelectorAndAffinity(affinity([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }, { key: 'zone', operator: 'In', values: ['a', 'b'] }] }]), n1)).toBe(true);
    expect(podMatchesNodeSelectorAndAffinity(affinity([{ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]), n1)).toBe(true);
    expect(podMatchesNodeSelectorAndAffinity(affinity([{ matchExpressions: [{ key: 'ssd', operator: 'Exists' }] }]), n1)).toBe(false);
    expect(podMatchesNodeSelectorAndAffinity(affinity([{}]), n1)).toBe(false);
  });
});

describe('scheduling queue', () => {
  it('backs off failed pods, waits for events for unschedulable ones', () => {
    let now = 0;
    let actives = 0;
    const q = new SchedulingQueue({ initialBackoffMs: 1000, maxBackoffMs: 10_000, maxUnschedulableMs: 300_000, now: () => now, onActive: () => actives++ });
    q.add('default/a');
    q.add('default/b', 10);
    expect(q.pop()).toBe('default/b'); // higher priority first
    expect(q.pop()).toBe('default/a');
    q.unschedulable('default/a');
    expect(q.whereIs('default/a')).toBe('unschedulable');
    // An event moves it to backoff (1 s not elapsed yet), then active once the backoff passed.
    q.moveAllToActiveOrBackoff();
    expect(q.whereIs('default/a')).toBe('backoff');
    now = 5000;
    q.add('default/c');
    expect(q.pop()).toBe('default/c');
    // The attempt of c overlapped no event: it waits; then a failure after an event backs off.
    q.unschedulable('default/c');
    expect(q.whereIs('default/c')).toBe('unschedulable');
    q.stop();
    expect(actives).toBeGreaterThan(0);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyDefaults } from '../../../lib/api/defaults.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import {
  humanDuration,
  isPodAvailable,
  isPodReady,
  podPhaseReason,
  podReadyCount,
  podRestarts,
  shortHumanDuration,
  translateTimestampSince,
} from '../../../lib/api/pod-status.ts';
import { validateManifest } from '../../../lib/api/validate.ts';
import { formatEndpoints } from '../../../runtime/apiserver/printers.ts';
import { columnDefinitions, tableRow, toTable, type TableObject } from '../../../runtime/apiserver/tables.ts';

const NOW = new Date('2025-06-01T12:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const DAY = 24 * H;
/** An RFC3339 timestamp `ms` before NOW (metav1.Time has second precision). */
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Row cells as the printer's non-wide columns (what upstream tests compare without Wide). */
function cells(resource: string, o: TableObject, wide = false): unknown[] {
  const c = tableRow(resource, o, { now: NOW }).cells;
  const cols = columnDefinitions(resource);
  return wide ? c : c.filter((_, i) => cols[i]!.priority === 0);
}

// ---------------------------------------------------------------------------------------------

describe('humanDuration (apimachinery duration_test.go)', () => {
  const cases: Array<[number, string]> = [
    [S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * 24 * H, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
    // boundaries (ns precision reduced to ms)
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [2 * DAY - 1, '47h'],
    [2 * DAY, '2d'],
    [2 * DAY + H, '2d1h'],
    [8 * DAY - 1, '7d23h'],
    [8 * DAY, '8d'],
    [8 * DAY + 23 * H, '8d'],
    [2 * 365 * DAY - 1, '729d'],
    [2 * 365 * DAY, '2y'],
    [2 * 365 * DAY + 23 * H, '2y'],
    [2 * 365 * DAY + 23 * H + 59 * M, '2y'],
    [2 * 365 * DAY + DAY - 1, '2y'],
    [2 * 365 * DAY + DAY, '2y1d'],
    [3 * 365 * DAY, '3y'],
    [7 * 365 * DAY, '7y'],
    [8 * 365 * DAY - 1, '7y364d'],
    [8 * 365 * DAY, '8y'],
    [8 * 365 * DAY + 364 * DAY, '8y'],
    [9 * 365 * DAY, '9y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms -> ${want}`, () => expect(humanDuration(ms)).toBe(want));
});

describe('shortHumanDuration (TestShortHumanDurationBoundaries)', () => {
  const cases: Array<[number, string]> = [
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [S, '1s'],
    [2 * S - 1, '1s'],
    [M - 1, '59s'],
    [M, '1m'],
    [2 * M - 1, '1m'],
    [H - 1, '59m'],
    [H, '1h'],
    [2 * H - 1, '1h'],
    [DAY - 1, '23h'],
    [DAY, '1d'],
    [2 * DAY - 1, '1d'],
    [365 * DAY - 1, '364d'],
    [365 * DAY, '1y'],
    [2 * 365 * DAY - 1, '1y'],
    [2 * 365 * DAY, '2y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms -> ${want}`, () => expect(shortHumanDuration(ms)).toBe(want));
  it('translateTimestampSince', () => {
    expect(translateTimestampSince(undefined, NOW)).toBe('<unknown>');
    expect(translateTimestampSince(ago(5 * M), NOW)).toBe('5m');
    expect(translateTimestampSince(new Date(NOW.getTime() + 1900).toISOString(), NOW)).toBe('0s');
  });
});

// ---------------------------------------------------------------------------------------------
// printPod: printers_test.go TestPrintPod / TestPrintPodWithRestartableInitContainer /
// TestPrintPodwide (containers are `make([]api.Container, n)`: n empty containers).

type Pod = { metadata: Record<string, unknown>; spec: Record<string, unknown>; status: Record<string, unknown> };

function pod(name: string, containers: number, status: Record<string, unknown>, extra: { init?: unknown[]; spec?: Record<string, unknown>; meta?: Record<string, unknown> } = {}): Pod {
  const spec: Record<string, unknown> = { containers: Array.from({ length: containers }, () => ({})), ...extra.spec };
  if (extra.init) spec.initContainers = extra.init;
  return { metadata: { name, ...extra.meta }, spec, status };
}

const running = { running: {} };
const waiting = (reason?: string) => ({ waiting: reason === undefined ? {} : { reason } });
const terminated = (t: Record<string, unknown> = {}) => ({ terminated: t });
const finished = (ms: number) => ({ terminated: { finishedAt: ago(ms) } });
const deleteTime = ago(10 * S);
const podSuccess = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const podFailed = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

describe('pods table rows (TestPrintPod)', () => {
  const cases: Array<[Pod, unknown[], unknown?]> = [
    // name, num of containers, restarts, container ready status
    [pod('test1', 2, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] }), ['test1', '1/2', 'podPhase', '6', '<unknown>']],
    // container error overwrites pod phase
    [
      pod('test2', 2, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: waiting('ContainerWaitingReason'), restartCount: 3 }] }),
      ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    // same with Terminated state: the first container overwrites the rest
    [
      pod('test3', 2, {
        phase: 'podPhase',
        containerStatuses: [
          { state: waiting('ContainerWaitingReason'), restartCount: 3 },
          { state: terminated({ reason: 'ContainerTerminatedReason' }), restartCount: 3 },
        ],
      }),
      ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    // ready is not enough for reporting running
    [pod('test4', 2, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ['test4', '1/2', 'podPhase', '6', '<unknown>']],
    [
      pod('test5', 2, { reason: 'podReason', phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }),
      ['test5', '1/2', 'podReason', '6', '<unknown>'],
    ],
    // one running, one completed, without Ready condition
    [
      pod('test6', 2, {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 3, state: terminated({ reason: 'Completed', exitCode: 0 }) },
          { ready: true, restartCount: 3, state: running },
        ],
      }),
      ['test6', '1/2', 'NotReady', '6', '<unknown>'],
    ],
    // ... with Ready condition
    [
      pod('test6', 2, {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 3, state: terminated({ reason: 'Completed', exitCode: 0 }) },
          { ready: true, restartCount: 3, state: running },
        ],
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: ago(0) }],
      }),
      ['test6', '1/2', 'Running', '6', '<unknown>'],
    ],
    // 1 init container restarting and 1 container not running
    [
      pod(
        'test7',
        1,
        { phase: 'podPhase', initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10 * S) }], containerStatuses: [{ ready: false, restartCount: 0, state: waiting() }] },
        { init: [{}] },
      ),
      ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
    ],
    // 2 init containers, one restarting and the other not running
    [
      pod(
        'test8',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: finished(10 * S) }, { ready: false, state: waiting() }],
          containerStatuses: [{ ready: false, state: waiting() }],
        },
        { init: [{}, {}] },
      ),
      ['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    // 2 init containers, one completed without restarts and the other restarting
    [
      pod(
        'test9',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [{ ready: false, state: terminated() }, { ready: false, restartCount: 3, state: running, lastState: finished(10 * S) }],
          containerStatuses: [{ ready: false, state: waiting() }],
        },
        { init: [{}, {}] },
      ),
      ['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    // 2 init containers, one completed with restarts and the other restarting
    [
      pod(
        'test10',
        1,
        {
          phase: 'podPhase',
          initContainerStatuses: [
            { ready: false, restartCount: 2, state: terminated(), lastState: finished(2 * M) },
            { ready: false, restartCount: 3, state: running, lastState: finished(10 * S) },
          ],
          containerStatuses: [{ ready: false, state: waiting() }],
        },
        { init: [{}, {}] },
      ),
      ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
    ],
    // 1 init container completed with restarts and one container restarting
    [
      pod(
        'test11',
        1,
        {
          phase: 'Running',
          initContainerStatuses: [{ ready: false, restartCount: 2, state: terminated(), lastState: finished(2 * M) }],
          containerStatuses: [{ ready: false, restartCount: 4, state: running, lastState: finished(20 * S) }],
        },
        { init: [{}] },
      ),
      ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
    ],
    // 1 container that restarted 5d ago
    [pod('test12', 1, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: finished(5 * DAY) }] }), ['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>']],
    // 2 containers, one never restarted, the other 10d ago
    [
      pod('test13', 2, {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 0, state: running },
          { ready: true, restartCount: 3, state: running, lastState: finished(10 * DAY) },
        ],
      }),
      ['test13', '2/2', 'Running', '3 (10d ago)', '<unknown>'],
    ],
    // 2 containers, restarted 5d and 20d ago
    [
      pod('test14', 2, {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 6, state: running, lastState: finished(5 * DAY) },
          { ready: true, restartCount: 3, state: running, lastState: finished(20 * DAY) },
        ],
      }),
      ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
    ],
    // PodScheduled condition with reason SchedulingGated
    [pod('test15', 2, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['test15', '0/2', 'SchedulingGated', '0', '<unknown>']],
    // succeeded
    [
      pod('test16', 1, { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: terminated({ reason: 'Completed', exitCode: 0 }) }] }),
      ['test16', '0/1', 'Completed', '0', '<unknown>'],
      podSuccess,
    ],
    // failed
    [
      pod('test17', 1, { phase: 'Failed', containerStatuses: [{ ready: false, restartCount: 0, state: terminated({ reason: 'Error', exitCode: 1 }) }] }),
      ['test17', '0/1', 'Error', '0', '<unknown>'],
      podFailed,
    ],
    // succeeded with deletion: stays Completed
    [
      pod('test18', 1, { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: terminated({ reason: 'Completed', exitCode: 0 }) }] }, { meta: { deletionTimestamp: deleteTime } }),
      ['test18', '0/1', 'Completed', '0', '<unknown>'],
      podSuccess,
    ],
    // running with deletion
    [
      pod('test19', 1, { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: running }] }, { meta: { deletionTimestamp: deleteTime } }),
      ['test19', '0/1', 'Terminating', '0', '<unknown>'],
    ],
    // pending with deletion
    [pod('test20', 1, { phase: 'Pending' }, { meta: { deletionTimestamp: deleteTime } }), ['test20', '0/1', 'Terminating', '0', '<unknown>']],
  ];
  cases.forEach(([p, want, conditions], i) => {
    it(`${i}: ${p.metadata.name} -> ${String(want[2])}`, () => {
      const row = tableRow('pods', p, { now: NOW, includeObject: 'None' });
      expect(row.cells.slice(0, 5)).toEqual(want);
      expect(row.conditions).toEqual(conditions);
      expect(podPhaseReason(p)).toBe(want[2]);
      expect(podReadyCount(p)).toBe(want[1]);
      expect(podRestarts(p, NOW)).toBe(want[3]);
    });
  });
});

describe('pods with restartable init containers (TestPrintPodWithRestartableInitContainer)', () => {
  const sidecars = [
    { name: 'restartable-init-1', restartPolicy: 'Always' },
    { name: 'restartable-init-2', restartPolicy: 'Always' },
  ];
  const cases: Array<[Pod, unknown[], unknown?]> = [
    // first running but not started
    [
      pod(
        'test1',
        1,
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: false, lastState: finished(10 * S) },
            { name: 'restartable-init-2', ready: false, state: waiting(), started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 0, state: waiting() }],
          conditions: [{ type: 'Initialized', status: 'False' }],
        },
        { init: sidecars },
      ),
      ['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    // first started, second running but not started
    [
      pod(
        'test1',
        1,
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: finished(10 * S) },
            { name: 'restartable-init-2', ready: false, state: running, started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 0, state: waiting() }],
          conditions: [{ type: 'Initialized', status: 'False' }],
        },
        { init: sidecars },
      ),
      ['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    // both started and 1 container running
    [
      pod(
        'test2',
        1,
        {
          phase: 'Running',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastState: finished(10 * S) },
            { name: 'restartable-init-2', ready: false, state: running, started: true },
          ],
          containerStatuses: [{ ready: true, restartCount: 4, state: running, lastState: finished(20 * S) }],
          conditions: [{ type: 'Initialized', status: 'True' }],
        },
        { init: sidecars },
      ),
      ['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>'],
    ],
    // both completed with non-zero and 1 container completed
    [
      pod(
        'test3',
        1,
        {
          phase: 'Succeeded',
          initContainerStatuses: [
            { name: 'restartable-init-1', ready: false, restartCount: 3, state: terminated({ reason: 'Error', exitCode: 137 }), started: false, lastState: finished(10 * S) },
            { name: 'restartable-init-2', ready: false, state: terminated({ reason: 'Error', exitCode: 137 }), started: false },
          ],
          containerStatuses: [{ ready: false, restartCount: 4, state: terminated({ reason: 'Completed', exitCode: 0 }), lastState: finished(20 * S) }],
          conditions: [{ type: 'Initialized', status: 'True' }],
        },
        { init: sidecars },
      ),
      ['test3', '0/3', 'Completed', '7 (10s ago)', '<unknown>'],
      podSuccess,
    ],
    // statuses for non-existent init containers and containers
    [
      {
        metadata: { name: 'test4' },
        spec: {
          initContainers: [
            { name: 'init1', image: 'initimage' },
            { name: 'sidecar1', image: 'sidecarimage', restartPolicy: 'Always' },
          ],
          containers: [{ name: 'container1', image: 'containerimage' }],
        },
        status: {
          phase: 'Running',
          initContainerStatuses: [{ name: 'initinvalid' }, { name: 'init1' }, { name: 'sidecar1' }],
          containerStatuses: [{ name: 'containerinvalid' }, { name: 'container1' }],
        },
      },
      ['test4', '0/2', 'Init:0/2', '0', '<unknown>'],
    ],
  ];
  cases.forEach(([p, want, conditions], i) => {
    it(`${i}: ${String(want[2])}`, () => {
      const row = tableRow('pods', p, { now: NOW });
      expect(row.cells.slice(0, 5)).toEqual(want);
      expect(row.conditions).toEqual(conditions);
    });
  });
});

describe('more pod statuses', () => {
  const cases: Array<[Pod, string]> = [
    [pod('a', 1, { phase: 'Pending', containerStatuses: [{ state: waiting('ContainerCreating') }] }), 'ContainerCreating'],
    [pod('a', 1, { phase: 'Running', containerStatuses: [{ restartCount: 5, state: waiting('CrashLoopBackOff') }] }), 'CrashLoopBackOff'],
    [pod('a', 1, { phase: 'Running', containerStatuses: [{ state: terminated({ exitCode: 2 }) }] }), 'ExitCode:2'],
    [pod('a', 1, { phase: 'Running', containerStatuses: [{ state: terminated({ exitCode: 137, signal: 9 }) }] }), 'Signal:9'],
    [pod('a', 1, { phase: 'Pending', initContainerStatuses: [{ state: terminated({ exitCode: 1 }) }] }, { init: [{}] }), 'Init:ExitCode:1'],
    [pod('a', 1, { phase: 'Pending', initContainerStatuses: [{ state: terminated({ exitCode: 1, signal: 15 }) }] }, { init: [{}] }), 'Init:Signal:15'],
    [pod('a', 1, { phase: 'Pending', initContainerStatuses: [{ state: terminated({ exitCode: 1, reason: 'OOMKilled' }) }] }, { init: [{}] }), 'Init:OOMKilled'],
    [pod('a', 1, { phase: 'Pending', initContainerStatuses: [{ state: waiting('CrashLoopBackOff') }] }, { init: [{}] }), 'Init:CrashLoopBackOff'],
    [pod('a', 1, { phase: 'Pending', initContainerStatuses: [{ state: waiting('PodInitializing') }] }, { init: [{}] }), 'Init:0/1'],
    [pod('a', 1, { phase: 'Failed', reason: 'Evicted' }), 'Evicted'],
    [pod('a', 1, { phase: 'Running', reason: 'NodeLost' }, { meta: { deletionTimestamp: deleteTime } }), 'Unknown'],
    [pod('a', 1, { phase: 'Failed' }, { meta: { deletionTimestamp: deleteTime } }), 'Failed'],
    [pod('a', 1, {}), ''],
  ];
  for (const [p, want] of cases) it(want || '<empty>', () => expect(podPhaseReason(p)).toBe(want));

  it('wide columns (TestPrintPodwide)', () => {
    const gates = [{ conditionType: 'condition1' }, { conditionType: 'condition2' }, { conditionType: 'condition3' }];
    const p = pod(
      'test1',
      2,
      {
        conditions: [
          { type: 'condition1', status: 'False' },
          { type: 'condition2', status: 'True' },
        ],
        phase: 'podPhase',
        podIPs: [{ ip: '1.1.1.1' }],
        containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }],
        nominatedNodeName: 'node1',
      },
      { spec: { nodeName: 'test1', readinessGates: gates } },
    );
    expect(cells('pods', p, true)).toEqual(['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3']);
    const bare = pod('test2', 1, { phase: 'podPhase', podIP: '1.1.1.2' });
    expect(cells('pods', bare, true)).toEqual(['test2', '0/1', 'podPhase', '0', '<unknown>', '1.1.1.2', '<none>', '<none>', '<none>']);
  });

  it('readiness and availability', () => {
    const ready = pod('a', 1, { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(30 * S) }] });
    expect(isPodReady(ready)).toBe(true);
    expect(isPodAvailable(ready, 0, NOW)).toBe(true);
    expect(isPodAvailable(ready, 10, NOW)).toBe(true);
    expect(isPodAvailable(ready, 30, NOW)).toBe(false); // not strictly before now
    expect(isPodAvailable(ready, 60, NOW)).toBe(false);
    const notReady = pod('a', 1, { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: ago(DAY) }] });
    expect(isPodReady(notReady)).toBe(false);
    expect(isPodAvailable(notReady, 0, NOW)).toBe(false);
    expect(isPodReady(pod('a', 1, {}))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe('services (TestPrintServiceLoadBalancer and more)', () => {
  const svc = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ metadata: { name }, spec, ...(status ? { status } : {}) });
  it('load balancers', () => {
    expect(
      cells('services', svc('service1', { clusterIPs: ['1.2.3.4'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }] } })),
    ).toEqual(['service1', 'LoadBalancer', '1.2.3.4', '2.3.4.5,3.4.5.6', '80/TCP', '<unknown>']);
    expect(
      cells(
        'services',
        svc('service2', {
          clusterIPs: ['1.3.4.5'],
          type: 'LoadBalancer',
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 8090, protocol: 'UDP' },
            { port: 8000, protocol: 'TCP' },
            { port: 7777, protocol: 'SCTP' },
          ],
        }),
      ),
    ).toEqual(['service2', 'LoadBalancer', '1.3.4.5', '<pending>', '80/TCP,8090/UDP,8000/TCP,7777/SCTP', '<unknown>']);
    // the server prints wide: the external IP list is never elided
    const many = svc(
      'service4',
      { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], selector: { foo: 'bar' } },
      { loadBalancer: { ingress: [{ ip: '2.3.4.5' }, { ip: '3.4.5.6' }, { ip: '5.6.7.8', hostname: 'host5678' }] } },
    );
    expect(cells('services', many, true)).toEqual(['service4', 'LoadBalancer', '1.5.6.7', '2.3.4.5,3.4.5.6,5.6.7.8', '80/TCP', '<unknown>', 'foo=bar']);
    const both = svc('s', { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', externalIPs: ['9.9.9.9'], ports: [{ port: 80, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ hostname: 'lb.example' }] } });
    expect(cells('services', both)[3]).toBe('lb.example,9.9.9.9');
  });
  it('ClusterIP, NodePort, ExternalName, headless', () => {
    expect(cells('services', svc('a', { type: 'ClusterIP', clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [{ port: 443, protocol: 'TCP' }] }), true)).toEqual([
      'a',
      'ClusterIP',
      '10.0.0.1',
      '<none>',
      '443/TCP',
      '<unknown>',
      '<none>',
    ]);
    expect(cells('services', svc('b', { type: 'NodePort', clusterIPs: ['10.0.0.2'], externalIPs: ['1.1.1.1', '2.2.2.2'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }))).toEqual([
      'b',
      'NodePort',
      '10.0.0.2',
      '1.1.1.1,2.2.2.2',
      '80:30080/TCP',
      '<unknown>',
    ]);
    expect(cells('services', svc('c', { type: 'ExternalName', externalName: 'database.company.com' }))).toEqual(['c', 'ExternalName', '<none>', 'database.company.com', '<none>', '<unknown>']);
    expect(cells('services', svc('d', { type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }], selector: { b: '2', a: '1' } }), true)).toEqual([
      'd',
      'ClusterIP',
      'None',
      '<none>',
      '80/TCP',
      '<unknown>',
      'a=1,b=2',
    ]);
    expect(cells('services', svc('e', { type: 'Weird' }))[3]).toBe('<unknown>');
  });
});

describe('endpoints', () => {
  const ep = (subsets: unknown[]) => ({ metadata: { name: 'e' }, subsets });
  const cases: Array<[unknown[], string]> = [
    [[], '<none>'],
    [[{ addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 8080 }] }], '1.2.3.4:8080'],
    [[{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }], ports: [{ port: 8080 }] }], '1.2.3.4:8080,5.6.7.8:8080'],
    [[{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }, { ip: '9.8.7.6' }], ports: [{ port: 80 }] }], '1.2.3.4:80,5.6.7.8:80,9.8.7.6:80'],
    [
      [{ addresses: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }], ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] }],
      '1.2.3.4:80,5.6.7.8:80,1.2.3.4:443 + 1 more...',
    ],
    [
      [
        { addresses: [{ ip: '1.2.3.4' }], ports: [{ port: 80 }] },
        { addresses: [{ ip: '5.6.7.8' }, { ip: '9.9.9.9' }, { ip: '10.10.10.10' }], ports: [{ port: 81 }] },
      ],
      '1.2.3.4:80,5.6.7.8:81,9.9.9.9:81 + 1 more...',
    ],
    [[{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }, { ip: '10.0.0.5' }] }], '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...'],
    [[{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 53 }] }], '[fd00::1]:53'],
    // not-ready addresses are not listed
    [[{ notReadyAddresses: [{ ip: '1.2.3.4' }], ports: [{ port: 80 }] }], ''],
  ];
  for (const [subsets, want] of cases) it(want || '<not ready only>', () => expect(formatEndpoints(ep(subsets))).toBe(want));
  it('row', () => expect(cells('endpoints', { metadata: { name: 'db', creationTimestamp: ago(90 * S) }, subsets: [] })).toEqual(['db', '<none>', '90s']));
});

describe('replicasets and replicationcontrollers', () => {
  it('replicasets', () => {
    const rs = {
      metadata: { name: 'web', creationTimestamp: ago(3 * M + 2 * S) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
        template: { spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'busybox' }] } },
      },
      status: { replicas: 2, readyReplicas: 1 },
    };
    expect(cells('replicasets', rs, true)).toEqual(['web', 3, 2, 1, '3m2s', 'a,b', 'nginx:1,busybox', 'app=web,tier in (a,b)']);
    const empty = { metadata: { name: 'x' }, spec: { replicas: 0, selector: {}, template: { spec: { containers: [] } } } };
    expect(cells('replicasets', empty, true)).toEqual(['x', 0, 0, 0, '<unknown>', '', '', '<none>']);
    expect(cells('replicasets', { metadata: { name: 'y' }, spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } }, true)[7]).toBe('<error>');
  });
  it('replicationcontrollers', () => {
    const rc = {
      metadata: { name: 'node-js', creationTimestamp: ago(2 * DAY + 3 * H) },
      spec: { replicas: 3, selector: { name: 'node-js' }, template: { spec: { containers: [{ name: 'node-js', image: 'jonbaier/node-express-info:latest' }] } } },
      status: { replicas: 3, readyReplicas: 3 },
    };
    expect(cells('replicationcontrollers', rc, true)).toEqual(['node-js', 3, 3, 3, '2d3h', 'node-js', 'jonbaier/node-express-info:latest', 'name=node-js']);
    expect(cells('replicationcontrollers', { metadata: { name: 'z' }, spec: {} }, true)).toEqual(['z', 1, 0, 0, '<unknown>', '', '', '<none>']);
  });
});

describe('namespaces (TestPrintNamespace)', () => {
  it('rows', () => {
    expect(cells('namespaces', { metadata: { name: 'namespace1', creationTimestamp: new Date(NOW.getTime() + 1900).toISOString() }, status: { phase: 'FooStatus' } })).toEqual([
      'namespace1',
      'FooStatus',
      '0s',
    ]);
    expect(cells('namespaces', { metadata: { name: 'namespace2' } })).toEqual(['namespace2', '', '<unknown>']);
  });
});

describe('nodes (TestPrintNodeStatus, TestPrintNodeRole, TestPrintNode*IP/OSImage/...)', () => {
  const node = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name }, ...extra });
  const ready = (status: string) => ({ status: { conditions: [{ type: 'Ready', status }] } });
  it('status', () => {
    expect(cells('nodes', node('foo1', ready('True')))).toEqual(['foo1', 'Ready', '<none>', '<unknown>', '']);
    expect(cells('nodes', node('foo2', { spec: { unschedulable: true }, ...ready('True') }))).toEqual(['foo2', 'Ready,SchedulingDisabled', '<none>', '<unknown>', '']);
    expect(cells('nodes', node('foo3', { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'True' }] } }))[1]).toBe('Ready');
    expect(cells('nodes', node('foo4', ready('False')))[1]).toBe('NotReady');
    expect(cells('nodes', node('foo5', { spec: { unschedulable: true }, ...ready('False') }))[1]).toBe('NotReady,SchedulingDisabled');
    expect(cells('nodes', node('foo6', { status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }))[1]).toBe('Unknown');
    expect(cells('nodes', node('foo7', { status: { conditions: [{}] } }))[1]).toBe('Unknown');
    expect(cells('nodes', node('foo8', { spec: { unschedulable: true }, status: { conditions: [{ type: 'InvalidValue', status: 'True' }] } }))[1]).toBe('Unknown,SchedulingDisabled');
    expect(cells('nodes', node('foo9', { spec: { unschedulable: true }, status: { conditions: [{}] } }))[1]).toBe('Unknown,SchedulingDisabled');
  });
  it('roles', () => {
    expect(cells('nodes', node('foo9'))).toEqual(['foo9', 'Unknown', '<none>', '<unknown>', '']);
    const labels = { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/proxy': '', 'kubernetes.io/role': 'node' };
    expect(cells('nodes', { metadata: { name: 'foo10', labels } })[2]).toBe('control-plane,master,node,proxy');
    expect(cells('nodes', { metadata: { name: 'foo11', labels: { 'kubernetes.io/role': 'node' } } })[2]).toBe('node');
  });
  it('wide: addresses and node info', () => {
    expect(cells('nodes', node('foo1', { status: { nodeInfo: { osImage: 'fake-os-image' }, addresses: [{ type: 'ExternalIP', address: '1.1.1.1' }] } }), true)).toEqual([
      'foo1',
      'Unknown',
      '<none>',
      '<unknown>',
      '',
      '<none>',
      '1.1.1.1',
      'fake-os-image',
      '<unknown>',
      '<unknown>',
    ]);
    expect(cells('nodes', node('foo2', { status: { nodeInfo: { kernelVersion: 'fake-kernel-version', containerRuntimeVersion: 'foo://1.2.3', kubeletVersion: 'v1.32.0' } } }), true)).toEqual([
      'foo2',
      'Unknown',
      '<none>',
      '<unknown>',
      'v1.32.0',
      '<none>',
      '<none>',
      '<unknown>',
      'fake-kernel-version',
      'foo://1.2.3',
    ]);
    const addresses = [
      { type: 'ExternalIP', address: '2.2.2.2' },
      { type: 'InternalIP', address: '3.3.3.3' },
      { type: 'ExternalIP', address: '4.4.4.4' },
    ];
    expect(cells('nodes', node('foo3', { status: { addresses } }), true).slice(5, 7)).toEqual(['3.3.3.3', '2.2.2.2']);
  });
});

describe('events (TestPrintEvent)', () => {
  const days = (n: number) => ago(n * DAY);
  const base = {
    involvedObject: { kind: 'Deployment', name: 'Deployment Name', fieldPath: 'spec.containers{foo}' },
    reason: 'Event Reason',
    message: 'Message Data',
    type: 'Warning',
  };
  it('basic, non-wide columns', () => {
    const ev = {
      metadata: { name: 'event1' },
      source: { component: 'kubelet' },
      involvedObject: { kind: 'Pod', name: 'Pod Name', fieldPath: 'spec.containers{foo}' },
      reason: 'Event Reason',
      message: 'Message Data',
      firstTimestamp: days(3),
      lastTimestamp: days(2),
      count: 6,
      type: 'Normal',
    };
    expect(cells('events', ev)).toEqual(['2d', 'Normal', 'Event Reason', 'pod/Pod Name', 'Message Data']);
  });
  const wide: Array<[Record<string, unknown>, unknown[]]> = [
    [
      { ...base, metadata: { name: 'event2' }, source: { component: 'kubelet', host: 'Node1' }, firstTimestamp: days(3), lastTimestamp: days(2), count: 6 },
      ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 6, 'event2'],
    ],
    // w/o FirstTimestamp
    [
      { ...base, metadata: { name: 'event3' }, source: { component: 'kubelet', host: 'Node1' }, eventTime: days(3), lastTimestamp: days(3), count: 1 },
      ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event3'],
    ],
    // w/o LastTimestamp
    [
      { ...base, metadata: { name: 'event4' }, source: { component: 'kubelet', host: 'Node1' }, eventTime: days(3), firstTimestamp: days(3), count: 1 },
      ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event4'],
    ],
    // w/o FirstTimestamp and LastTimestamp
    [
      { ...base, metadata: { name: 'event5' }, source: { component: 'kubelet', host: 'Node1' }, eventTime: days(3), count: 1 },
      ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event5'],
    ],
    // series, w/o FirstTimestamp, LastTimestamp and Count
    [
      { ...base, metadata: { name: 'event6' }, source: { component: 'kubelet', host: 'Node1' }, series: { count: 2, lastObservedTime: days(2) }, eventTime: days(3) },
      ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 2, 'event6'],
    ],
    // singleton, w/o FirstTimestamp, LastTimestamp and Count
    [
      { ...base, metadata: { name: 'event7' }, source: { component: 'kubelet', host: 'Node1' }, eventTime: days(3) },
      ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event7'],
    ],
    // empty Source: reportingController / reportingInstance
    [
      { ...base, metadata: { name: 'event2' }, reportingComponent: 'kubelet', reportingInstance: 'test', firstTimestamp: days(3), lastTimestamp: days(2), count: 6 },
      ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, test', 'Message Data', '3d', 6, 'event2'],
    ],
    // message trimmed; no involved name; neither firstTimestamp nor eventTime
    [
      { metadata: { name: 'e' }, involvedObject: { kind: 'Node' }, type: 'Normal', reason: 'Starting', message: '  hi \n', source: { component: 'kubelet' }, lastTimestamp: ago(5 * S), count: 1 },
      ['5s', 'Normal', 'Starting', 'node', '', 'kubelet', 'hi', '<unknown>', 1, 'e'],
    ],
  ];
  wide.forEach(([ev, want], i) => it(`wide ${i}`, () => expect(cells('events', ev, true)).toEqual(want)));
  it('column order and names', () => {
    expect(columnDefinitions('events').map((c) => [c.name, c.priority])).toEqual([
      ['Last Seen', 0],
      ['Type', 0],
      ['Reason', 0],
      ['Object', 0],
      ['Subobject', 1],
      ['Source', 1],
      ['Message', 0],
      ['First Seen', 1],
      ['Count', 1],
      ['Name', 1],
    ]);
  });
});

describe('endpointslices', () => {
  it('rows', () => {
    const slice = {
      metadata: { name: 'web-abc12', creationTimestamp: ago(10 * M) },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'named' }, {}, { port: 8443 }],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
    };
    expect(cells('endpointslices', slice)).toEqual(['web-abc12', 'IPv4', '80,named,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '10m']);
    expect(cells('endpointslices', { metadata: { name: 'e' }, addressType: 'IPv6' })).toEqual(['e', 'IPv6', '<unset>', '<unset>', '<unknown>']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('toTable', () => {
  const seedPod = (): KubeObject => {
    const doc = parseAllDocuments(readFileSync(new URL('../../fixtures/seed/kuard-pod.yaml', import.meta.url), 'utf8'))[0]!.toJS();
    const pod = applyDefaults(validateManifest(doc).object!);
    return {
      ...pod,
      metadata: { ...pod.metadata, namespace: 'default', uid: 'u-1', resourceVersion: '7', creationTimestamp: ago(3 * M + 10 * S) },
      status: {
        phase: 'Running',
        podIP: '10.244.0.5',
        podIPs: [{ ip: '10.244.0.5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'kuard', ready: true, restartCount: 0, state: { running: { startedAt: ago(3 * M) } } }],
      },
      spec: { ...(pod.spec as object), nodeName: 'node-1' },
    };
  };

  it('pods: the envelope, columns and a PartialObjectMetadata row (kubectl get pods)', () => {
    const pod = seedPod();
    const table = toTable('pods', [pod], { now: NOW, listMeta: { resourceVersion: '42' } });
    expect(Object.keys(table)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual({ resourceVersion: '42' });
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
    expect(Object.keys(table.columnDefinitions[0]!)).toEqual(['name', 'type', 'format', 'description', 'priority']);
    expect(table.columnDefinitions[0]!.description).toMatch(/^Name must be unique within a namespace\./);
    expect(table.rows).toEqual([
      {
        cells: ['kuard', '1/1', 'Running', '0', '3m10s', '10.244.0.5', 'node-1', '<none>', '<none>'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata },
      },
    ]);
    expect(JSON.parse(JSON.stringify(table)).rows[0]).not.toHaveProperty('conditions');
  });

  it('includeObject None / Object; noHeaders; list meta', () => {
    const pod = seedPod();
    expect(toTable('pods', [pod], { now: NOW, includeObject: 'None' }).rows[0]!.object).toBeNull();
    expect(toTable('pods', [pod], { now: NOW, includeObject: 'Object' }).rows[0]!.object).toBe(pod);
    expect(toTable('pods', [pod], { now: NOW, noHeaders: true }).columnDefinitions).toEqual([]);
    expect(toTable('pods', [], { now: NOW, listMeta: { resourceVersion: '9', continue: 'abc', remainingItemCount: 3 } })).toMatchObject({
      metadata: { resourceVersion: '9', continue: 'abc', remainingItemCount: 3 },
      rows: [],
    });
    expect(toTable('pods', [], { now: NOW }).metadata).toEqual({});
  });

  it('column sets per resource', () => {
    const names = (r: string) => columnDefinitions(r).map((c) => (c.priority ? `(${c.name})` : c.name));
    expect(names('replicasets')).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(names('replicasets.apps')).toEqual(names('replicasets'));
    expect(names('replicationcontrollers')).toEqual(names('replicasets'));
    expect(columnDefinitions('replicasets').map((c) => c.type)).toEqual(['string', 'integer', 'integer', 'integer', 'string', 'string', 'string', 'string']);
    expect(names('services')).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '(Selector)']);
    expect(names('endpoints')).toEqual(['Name', 'Endpoints', 'Age']);
    expect(names('namespaces')).toEqual(['Name', 'Status', 'Age']);
    expect(names('nodes')).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', '(Internal-IP)', '(External-IP)', '(OS-Image)', '(Kernel-Version)', '(Container-Runtime)']);
    expect(names('endpointslices')).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(columnDefinitions('configmaps').map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Data', 'string', ''],
      ['Age', 'string', ''],
    ]);
    expect(names('secrets')).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(names('leases')).toEqual(['Name', 'Holder', 'Age']);
  });

  it('default table for other resources', () => {
    const t = toTable('widgets', [{ apiVersion: 'x/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: ago(49 * H) } }], { now: NOW });
    expect(t.rows[0]!.cells).toEqual(['w', '2d1h']);
  });

  it('the seed workloads as `kubectl get` shows them right after creation', () => {
    const created = ago(30 * S);
    const docs = ['node-js-rc.yaml', 'node-js-rs.yaml', 'external-name-service.yaml', 'external-ip-service.yaml'].flatMap((f) =>
      parseAllDocuments(readFileSync(new URL(`../../fixtures/seed/${f}`, import.meta.url), 'utf8')).map((d) => {
        const o = applyDefaults(validateManifest(d.toJS()).object!);
        return { ...o, metadata: { ...o.metadata, creationTimestamp: created } } as KubeObject;
      }),
    );
    const [rc, svc, rs, extName, extIPSvc, extIPEp] = docs;
    expect(cells('replicationcontrollers', rc!, true)).toEqual(['node-js', 3, 0, 0, '30s', 'node-js', 'jonbaier/node-express-info:latest', 'name=node-js']);
    const lb = { ...svc!, spec: { ...(svc!.spec as object), clusterIP: '10.0.0.12', clusterIPs: ['10.0.0.12'], ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 31234 }] } };
    expect(cells('services', lb, true)).toEqual(['node-js', 'LoadBalancer', '10.0.0.12', '<pending>', '80:31234/TCP', '30s', 'name=node-js']);
    expect(cells('replicasets', rs!, true)).toEqual([
      'node-js-rs',
      3,
      0,
      0,
      '30s',
      'node-js-rs',
      'jonbaier/node-express-info:latest',
      'app=node-js-express,deployment=test,name in (node-js-rs)',
    ]);
    expect(cells('services', extName!)).toEqual(['external-database', 'ExternalName', '<none>', 'database.company.com', '<none>', '30s']);
    const ipSvc = { ...extIPSvc!, spec: { ...(extIPSvc!.spec as object), clusterIP: '10.0.0.40', clusterIPs: ['10.0.0.40'] } };
    expect(cells('services', ipSvc)).toEqual(['external-ip-database', 'ClusterIP', '10.0.0.40', '<none>', '3306/TCP', '30s']);
    expect(cells('endpoints', extIPEp!)).toEqual(['external-ip-database', '192.168.0.1:3306', '30s']);
  });
});

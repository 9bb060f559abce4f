import { describe, expect, it } from 'vitest';
import { nextStep, progressDetail, type PodState, type RolloutSnapshot } from '../../../lib/plan/rollout/step.ts';

/** Pods from a compact spelling: `O` old ready, `o` old not ready, `N` new ready, `n` new not ready. */
function pods(spec: string): PodState[] {
  return [...spec].map((c, i) => ({ name: `p${i}`, current: c === 'N' || c === 'n', ready: c === 'O' || c === 'N' }));
}
function snap(replicas: number, specReplicas: number, surge: number, unavailable: number, p: string): RolloutSnapshot {
  return { replicas, specReplicas, fenceposts: { surge, unavailable }, pods: pods(p) };
}

describe('nextStep', () => {
  const table: Array<[string, RolloutSnapshot, { done: boolean; scaleTo?: number; delete: string[] }]> = [
    ['all new, at desired replicas: done', snap(3, 3, 1, 0, 'NNN'), { done: true, delete: [] }],
    ['all new, still surged: scale back', snap(3, 4, 1, 0, 'NNNN'), { done: false, scaleTo: 3, delete: [] }],
    ['start, surge 1 unavailable 0: scale up, delete nothing', snap(3, 3, 1, 0, 'OOO'), { done: false, scaleTo: 4, delete: [] }],
    ['surge pod not ready yet: wait', snap(3, 4, 1, 0, 'OOOn'), { done: false, delete: [] }],
    ['surge pod ready: one old goes', snap(3, 4, 1, 0, 'OOON'), { done: false, delete: ['p0'] }],
    ['surge 0 unavailable 1: one old goes at once', snap(3, 3, 0, 1, 'OOO'), { done: false, delete: ['p0'] }],
    ['surge 0 unavailable 1, new one not ready: wait', snap(3, 3, 0, 1, 'OOn'), { done: false, delete: [] }],
    ['old pods not ready go at no cost; ready ones only above the minimum', snap(3, 4, 1, 0, 'oOON'), { done: false, delete: ['p0'] }],
    ['old pods not ready go first, then ready ones within the budget', snap(3, 4, 1, 0, 'OoNNN'), { done: false, delete: ['p1', 'p0'] }],
    ['25%/25% of 4 (1/1): two go once the surge pod is ready', snap(4, 5, 1, 1, 'OOOON'), { done: false, delete: ['p0', 'p1'] }],
    ['never below replicas - maxUnavailable ready', snap(4, 5, 1, 1, 'OOOnn'), { done: false, delete: [] }],
    ['last old pod, all new ready', snap(3, 4, 1, 0, 'ONNN'), { done: false, delete: ['p0'] }],
  ];
  it.each(table)('%s', (_what, s, want) => {
    expect(nextStep(s)).toEqual(want);
  });

  it('the progress detail counts updated and ready pods against the desired replicas', () => {
    expect(progressDetail(snap(3, 4, 1, 0, 'OONN'))).toBe('2/3 updated, 3/3 ready');
    expect(progressDetail(snap(3, 4, 1, 0, 'OONn'))).toBe('2/3 updated, 3/3 ready');
    expect(progressDetail(snap(3, 4, 1, 0, 'ONNN'))).toBe('3/3 updated, 3/3 ready');
  });
});

import type { Plan, PlannedAction } from '../../lib/plan/plan.ts';

/** A plan of stack `shop` on kite-local holding these actions, for tests of what reads plans. */
export function planOf(actions: PlannedAction[], summary: Partial<Plan['summary']> = {}): Plan {
  return {
    formatVersion: 1,
    tool: { name: 'kite', version: '0.1.0' },
    stack: 'shop',
    target: { context: 'kite-local', server: 'https://127.0.0.1:6443' },
    createdAt: '2025-01-01T00:00:00.000Z',
    applySet: { id: 'applyset-abc-v1', parent: { apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'kite-shop' } },
    actions,
    summary: { add: 0, change: 0, replace: 0, destroy: 0, unchanged: 0, drifted: 0, ...summary },
  };
}

import type { Revision } from '../../../lib/plan/history/revision.ts';

/** A revision of stack `web` (one ConfigMap created), numbered `n`. */
export function revision(n: number, over: Partial<Revision> = {}): Revision {
  return {
    formatVersion: 1,
    stack: 'web',
    revision: n,
    createdAt: '2026-12-07T16:50:01.000Z',
    who: 'ana@build-1',
    kiteVersion: '0.1.0',
    target: { context: 'kite-local', server: 'https://127.0.0.1:6443' },
    operation: 'apply',
    outcome: 'deployed',
    summary: { add: 1, change: 0, replace: 0, destroy: 0, unchanged: 0, drifted: 0 },
    changes: [{ action: 'create', ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'settings' } }],
    manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, data: { password: 'hunter2' } }],
    ...over,
  };
}

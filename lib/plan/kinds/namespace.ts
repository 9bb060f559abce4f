import { asObj, asStr } from '../../api/kinds/fields.ts';
import type { ReadinessKind } from './types.ts';

/** A Namespace is ready while Active (Terminating is not). */
export const namespaceReadiness: ReadinessKind = {
  groupKinds: ['Namespace'],
  readiness(obj) {
    const phase = asStr(asObj(obj.status)?.phase) ?? 'Active';
    return phase === 'Active' ? { ready: true, detail: 'Active' } : { ready: false, detail: phase };
  },
};

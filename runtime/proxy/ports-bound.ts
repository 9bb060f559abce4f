/**
 * The Service condition that says whether the proxy could open every address of the Service:
 * `kite get svc` reads it. A failure is also a Warning Event on the Service. Written only when
 * it changes; a Service that never had a failure gets no condition.
 */
import { SERVICE_PORT_UNAVAILABLE, SERVICE_PORTS_BOUND, type Condition, type Service } from '../../lib/api/model.ts';

export const REASON_PORTS_BOUND = 'PortsBound';

/** The Service's status conditions with ours set for `failures` (empty = all bound), or undefined when nothing changes. */
export function nextConditions(svc: Service, failures: readonly string[], now: string): Condition[] | undefined {
  const current = svc.status?.conditions ?? [];
  const old = current.find((c) => c.type === SERVICE_PORTS_BOUND);
  if (failures.length === 0 && (!old || old.status === 'True')) return undefined;
  const status = failures.length > 0 ? 'False' : 'True';
  const reason = failures.length > 0 ? SERVICE_PORT_UNAVAILABLE : REASON_PORTS_BOUND;
  // metav1.Condition allows 32768 characters of message.
  const message = failures.length > 0 ? failures.join('; ').slice(0, 32_768) : 'every Service address is listening';
  const generation = svc.metadata.generation;
  if (old && old.status === status && old.reason === reason && old.message === message && old.observedGeneration === generation) return undefined;
  const next: Condition = {
    type: SERVICE_PORTS_BOUND,
    status,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    lastTransitionTime: old && old.status === status ? (old.lastTransitionTime ?? now) : now,
    reason,
    message,
  };
  return [...current.filter((c) => c.type !== SERVICE_PORTS_BOUND), next];
}

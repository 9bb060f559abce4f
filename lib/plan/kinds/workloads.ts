/**
 * What a workload manifest of the stack asks for, as far as a Service's readiness cares: the
 * labels its pods will carry and whether it wants any pod at all. Read from the desired manifest
 * (what the stack means), not the live object, so that it holds before the controller acts.
 */
import { asInt, asObj } from '../../api/kinds/fields.ts';
import type { KubeObject } from '../../api/meta.ts';

/** The labels of the pods it makes (its template's; a Pod's own); undefined: it makes no pods. */
export function podLabelsOf(w: KubeObject): Record<string, string> | undefined {
  if (w.kind === 'Pod') return w.metadata?.labels ?? {};
  const spec = asObj(w.spec);
  const template = asObj(spec?.template) ?? asObj(asObj(asObj(spec?.jobTemplate)?.spec)?.template);
  if (!template) return undefined;
  return (asObj(template.metadata)?.labels as Record<string, string> | undefined) ?? {};
}

/** It wants at least one pod running: a Pod, a DaemonSet, replicas > 0 (default 1), an unsuspended Job with parallelism > 0. */
export function wantsPods(w: KubeObject): boolean {
  const spec = asObj(w.spec) ?? {};
  if (w.kind === 'Pod' || w.kind === 'DaemonSet') return true;
  if (w.kind === 'Job' || w.kind === 'CronJob') return spec.suspend !== true && (asInt(spec.parallelism) ?? 1) > 0;
  return (asInt(spec.replicas) ?? 1) > 0;
}

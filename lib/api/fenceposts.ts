/**
 * maxSurge / maxUnavailable → pod counts, as Deployments resolve them (runtime-semantics.md §15.2;
 * upstream pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, and
 * intstr.GetScaledValueFromIntOrPercent): a percentage of the desired replicas, surge rounded
 * up, unavailable rounded down; if both come to 0, unavailable is 1 so the rollout can progress.
 */

/** An int-or-percent, as Kubernetes writes it: `1`, `"25%"`. */
export type IntOrPercent = number | string;

/** Deployments' defaults (apps/v1 RollingUpdateDeployment). */
export const DEFAULT_MAX_SURGE: IntOrPercent = '25%';
export const DEFAULT_MAX_UNAVAILABLE: IntOrPercent = '25%';

export interface Fenceposts {
  /** Pods over the desired count that may exist during the rollout. */
  surge: number;
  /** Pods under the desired count that may be unavailable during the rollout. */
  unavailable: number;
}

/** `value` scaled against `total`; throws on what is neither an int nor `N%` (the message names `field`). */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${field}: expected a non-negative integer or a percentage, got ${value}`);
    return value;
  }
  const m = /^(\d+)%$/.exec(value.trim());
  if (m) {
    const scaled = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
  }
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  throw new Error(`${field}: invalid value "${value}": expected an integer or a percentage such as 25%`);
}

export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, replicas: number): Fenceposts {
  const surge = scaledValue(maxSurge, replicas, true, 'maxSurge');
  let unavailable = scaledValue(maxUnavailable, replicas, false, 'maxUnavailable');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

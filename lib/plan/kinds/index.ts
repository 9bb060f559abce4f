/** Every kind with a readiness record; a new kind is a new file and one line here. */
import { groupKindOf } from '../inventory.ts';
import { deploymentReadiness } from './deployment.ts';
import { namespaceReadiness } from './namespace.ts';
import { podReadiness } from './pod.ts';
import { replicaSetReadiness } from './replicaset.ts';
import { serviceReadiness } from './service.ts';
import type { ReadinessKind } from './types.ts';

export const READINESS_KINDS: readonly ReadinessKind[] = [podReadiness, replicaSetReadiness, deploymentReadiness, serviceReadiness, namespaceReadiness];

const BY_GROUP_KIND = new Map(READINESS_KINDS.flatMap((k) => k.groupKinds.map((gk) => [gk, k] as const)));

/** The record for an object's kind; undefined: ready when it exists. */
export function readinessKindOf(ref: { apiVersion?: string; kind?: string }): ReadinessKind | undefined {
  return BY_GROUP_KIND.get(groupKindOf({ apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '' }));
}

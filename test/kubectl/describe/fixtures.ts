// Plain data for the describers' render phase: the seed manifests with the server's defaults
// applied, the pods a controller makes from its template, and events as the cluster records them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyDefaults } from '../../../lib/api/defaults.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { Event, Pod, PodPhase } from '../../../lib/api/model.ts';
import { SEED } from '../../support/kite.ts';

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The documents of a seed manifest, defaulted as the API server stores them. */
export function seed(file: string, namespace = 'default'): KubeObject[] {
  return parseAllDocuments(readFileSync(join(SEED, file), 'utf8')).map((d) => {
    const o = d.toJS() as KubeObject;
    if (o.apiVersion === 'extensions/v1beta1') o.apiVersion = 'apps/v1';
    o.metadata = { namespace, uid: `uid-${o.metadata.name}`, ...o.metadata };
    if (o.kind === 'Namespace') delete o.metadata.namespace;
    return applyDefaults(o);
  });
}

/** A pod `owner` (a ReplicaSet or ReplicationController) made from its template, in `phase`. */
export function podOf(owner: KubeObject, name: string, phase: PodPhase): Pod {
  const template = (owner.spec as { template: { metadata: KubeObject['metadata']; spec: object } }).template;
  const ownerRef = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name, namespace: owner.metadata.namespace, uid: `uid-${name}`, ownerReferences: [ownerRef] }, spec: template.spec };
  return { ...(applyDefaults(pod) as Pod), status: { phase } };
}

export function event(involved: { kind: string; name: string; uid?: string; fieldPath?: string }, reason: string, message: string, o: { type?: Event['type']; age: number; count?: number; first?: number; component?: string }): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.name}.${reason.toLowerCase()}`, namespace: 'default' },
    involvedObject: { apiVersion: 'v1', namespace: 'default', ...involved },
    reason,
    message,
    type: o.type ?? 'Normal',
    source: { component: o.component ?? 'kubelet' },
    firstTimestamp: ago(o.first ?? o.age),
    lastTimestamp: ago(o.age),
    count: o.count ?? 1,
  };
}

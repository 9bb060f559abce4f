// Objects for the describer tests: the seed manifests with the server's defaults applied and the
// status a running cluster gives them, plus a fake client that answers describe's lookups
// (events, pods, endpoint slices, leases) from fixed lists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyDefaults } from '../../../lib/api/defaults.ts';
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { KubeClient, ResourceRef } from '../../../lib/kube/index.ts';
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

export function event(involved: { kind: string; name: string; uid?: string; fieldPath?: string }, reason: string, message: string, o: { type?: string; age: number; count?: number; first?: number; component?: string }): KubeObject {
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

export interface FakeData {
  /** By plural: what listAll returns (filtered by involvedObject.name for events). */
  lists?: Record<string, KubeObject[]>;
  /** By `plural/namespace/name`. */
  objects?: Record<string, KubeObject>;
  /** Kinds discovery knows beyond the core ones describe asks about. */
  kinds?: string[];
}

/** A KubeClient stand-in answering the reads describers make. */
export function fakeClient(data: FakeData): KubeClient {
  const plural = (ref: ResourceRef) => ref.plural ?? `${ref.kind.toLowerCase()}s`;
  const fake = {
    async listAll(ref: ResourceRef, opts: { fieldSelector?: string } = {}) {
      let items = data.lists?.[plural(ref)] ?? [];
      const field = (f: string) => new RegExp(`involvedObject\\.${f}=([^,]*)`).exec(opts.fieldSelector ?? '')?.[1];
      const [name, uid] = [field('name'), field('uid')];
      const involved = (e: KubeObject) => e.involvedObject as { name: string; uid?: string };
      if (name !== undefined) items = items.filter((e) => involved(e).name === name && (uid === undefined || involved(e).uid === undefined || involved(e).uid === uid));
      return { apiVersion: 'v1', kind: 'List', metadata: {}, items };
    },
    async get(ref: ResourceRef, namespace: string | undefined, name: string) {
      const o = data.objects?.[`${plural(ref)}/${namespace ?? ''}/${name}`];
      if (!o) throw new Error(`${plural(ref)} "${name}" not found`);
      return o;
    },
    async discover() {
      return { forKind: (_g: string, _v: string, kind: string) => (data.kinds ?? []).includes(kind) };
    },
  };
  return fake as unknown as KubeClient;
}

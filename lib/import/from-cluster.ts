import type { KubeObject } from '../api/meta.ts';
import type { KubeClient } from '../kube/client.ts';
import { isNotFound } from '../kube/errors.ts';
import { APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL, PARENT_NAMESPACE, STACK_ANNOTATION } from '../plan/inventory.ts';
import { loadManifestTexts } from '../synth/load-input.ts';
import type { LoadResult } from '../synth/manifest.ts';
import { userObjects } from './live-objects.ts';
import { KiteError } from '../errors.ts';

export interface FromClusterOptions {
  namespace: string;
  /** A label selector (`-l`), as kubectl takes it. */
  selector: string | undefined;
  /** The stack name; default: the kite stack the objects were applied by, else the namespace. */
  stack: string | undefined;
}

/** Kinds that are records of what happened, not desired state. */
const NOT_DESIRED_STATE = new Set(['Event', 'Lease', 'EndpointSlice', 'ControllerRevision', 'PodMetrics']);

/**
 * The namespace's objects (every listable namespaced kind, in its preferred version, plus the
 * Namespace itself), reduced to what a user wrote, then validated exactly like YAML input.
 */
export async function loadFromCluster(client: KubeClient, o: FromClusterOptions): Promise<LoadResult> {
  {
    const table = await client.discover();
    const live: KubeObject[] = [];
    try {
      const ns = await client.get({ apiVersion: 'v1', kind: 'Namespace' }, undefined, o.namespace);
      if (o.selector === undefined) live.push({ ...ns, apiVersion: 'v1', kind: 'Namespace' });
    } catch (e) {
      if (isNotFound(e)) throw new KiteError(`namespace ${o.namespace} not found in the cluster`, { code: 'not-found' });
      throw e;
    }
    const resources = table.resources.filter((r) => r.namespaced && r.preferred && r.verbs.includes('list') && !NOT_DESIRED_STATE.has(r.kind));
    const lists = await Promise.all(
      resources.map((r) => client.listAll({ apiVersion: r.apiVersion, kind: r.kind }, { namespace: o.namespace, ...(o.selector ? { labelSelector: o.selector } : {}) })),
    );
    const seen = new Set<string>();
    lists.forEach((list, i) => {
      for (const item of list.items) {
        // One object served by two groups (a ReplicaSet under apps and extensions) is imported once.
        const uid = item.metadata.uid;
        if (uid !== undefined && seen.has(uid)) continue;
        if (uid !== undefined) seen.add(uid);
        // List items carry no apiVersion/kind of their own.
        live.push({ ...item, apiVersion: resources[i]!.apiVersion, kind: resources[i]!.kind });
      }
    });
    const objects = userObjects(live);
    const stack = o.stack ?? (await appliedByStack(client, objects.map((x) => live.find((l) => l.kind === x.kind && l.metadata.name === x.metadata.name)!))) ?? o.namespace;
    return loadManifestTexts([{ file: `namespace ${o.namespace}`, text: objects.map((x) => JSON.stringify(x)).join('\n---\n') }], stack, { bestPractices: 'off' });
  }
}

/**
 * The kite stack whose ApplySet all these objects are members of (its parent Secret names it),
 * so that planning the imported program sees the same stack; undefined when they are not all one stack's.
 */
async function appliedByStack(client: KubeClient, live: readonly KubeObject[]): Promise<string | undefined> {
  const ids = new Set(live.filter((x) => x.kind !== 'Namespace').map((x) => x.metadata.labels?.[APPLYSET_PART_OF_LABEL]));
  const [id] = ids;
  if (ids.size !== 1 || id === undefined) return undefined;
  const parents = await client.list({ apiVersion: 'v1', kind: 'Secret' }, { namespace: PARENT_NAMESPACE, labelSelector: `${APPLYSET_ID_LABEL}=${id}` });
  return parents.items[0]?.metadata.annotations?.[STACK_ANNOTATION];
}

import type { KubeObject } from '../api/meta.ts';
import type { KubeClient } from '../kube/client.ts';
import { isNotFound } from '../kube/errors.ts';
import { loadManifestTexts } from '../synth/load-input.ts';
import type { LoadResult } from '../synth/manifest.ts';
import { userObjects } from './live-objects.ts';
import { KiteError } from '../errors.ts';

export interface FromClusterOptions {
  namespace: string;
  /** A label selector (`-l`), as kubectl takes it. */
  selector: string | undefined;
  stack: string;
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
    lists.forEach((list, i) => {
      // List items carry no apiVersion/kind of their own.
      for (const item of list.items) live.push({ ...item, apiVersion: resources[i]!.apiVersion, kind: resources[i]!.kind });
    });
    const objects = userObjects(live);
    return loadManifestTexts([{ file: `namespace ${o.namespace}`, text: objects.map((x) => JSON.stringify(x)).join('\n---\n') }], o.stack);
  }
}

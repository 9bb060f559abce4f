/**
 * The namespace controller, k/k pkg/controller/namespace (namespace_controller.go and
 * deletion/namespaced_resources_deleter.go): a Namespace with a deletionTimestamp has its content
 * deleted — pods first (OrderedNamespaceDeletion), then every other namespaced resource — and,
 * once nothing remains, the `kubernetes` finalizer is removed through the finalize subresource
 * so the namespace disappears. Conditions report progress on the namespace status.
 *
 * Besides upstream's requeue after half the pods' grace period, the controller re-checks a
 * terminating namespace whenever an object in it goes away (informer delete events), so the
 * namespace disappears as soon as its last object does.
 */
import { isConflict, isNotFound } from '../../lib/api/status.ts';
import { formatTime } from '../../lib/api/time.ts';
import type { Condition, Namespace, NamespaceConditionType } from '../../lib/api/model.ts';
import { isKind } from '../../lib/api/resource-types.ts';
import type { ApiClient } from '../client/client.ts';
import { resourcesSupporting, type ApiResource } from '../client/discovery.ts';
import type { Informer } from '../client/informer.ts';
import { QueueController } from './queue-controller.ts';
import { errorMessage, isBeingDeleted, type ControllerOptions } from './shared.ts';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** finalizerEstimateSeconds: the wait assumed for objects held by finalizers. */
const FINALIZER_ESTIMATE_SECONDS = 15;

const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const satisfies readonly NamespaceConditionType[];

const OK: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

export interface NamespaceControllerOptions extends ControllerOptions {
  /** Objects deleted at once (default 256). */
  concurrency?: number;
}

/** Content still there: requeue after estimate/2 + 1 seconds (ResourcesRemainingError). */
class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
  }
}

interface GvrResult {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
}

export class NamespaceController extends QueueController {
  private readonly nsInformer: Informer<'namespaces'>;
  private readonly clock: () => Date;
  private readonly concurrency: number;
  /** ServerPreferredNamespacedResources that can be listed and deleted, from discovery. */
  private readonly namespaced: readonly ApiResource[];

  constructor(
    private readonly client: ApiClient,
    opts: NamespaceControllerOptions = {},
  ) {
    super('namespace-controller', client, opts, 10);
    this.clock = opts.clock ?? (() => client.now());
    this.concurrency = opts.concurrency ?? 256;
    this.namespaced = resourcesSupporting(client.discover(), ['delete', 'list']).filter((r) => r.namespaced);
    const enqueueIfDeleting = (ns: Namespace) => {
      if (isBeingDeleted(ns)) this.queue.add(ns.metadata.name ?? '');
    };
    this.nsInformer = this.informers.on('namespaces', { add: enqueueIfDeleting, update: enqueueIfDeleting });
    for (const r of this.namespaced) {
      this.informers.on(r.resource, {
        delete: (o) => {
          const ns = this.nsInformer.get(o.metadata.namespace ?? '');
          if (ns && isBeingDeleted(ns)) this.queue.add(ns.metadata.name ?? '');
        },
      });
    }
  }

  /** syncNamespaceFromKey + the deleter's Delete, with the requeue policy of the worker. */
  async sync(name: string): Promise<void> {
    try {
      await this.delete(name);
    } catch (e) {
      if (e instanceof ResourcesRemainingError) {
        this.queue.addAfter(name, (Math.floor(e.estimate / 2) + 1) * 1000);
        return;
      }
      throw e;
    }
  }

  private async delete(name: string): Promise<void> {
    let ns = this.client.get('namespaces', undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    // ensure the status says Terminating
    if (ns.status?.phase !== 'Terminating') {
      try {
        ns = await this.client.updateStatus('namespaces', { ...ns, status: { ...ns.status, phase: 'Terminating' } });
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
    }
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return; // already finalized

    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);

    for (let attempt = 0; ; attempt++) {
      const cur = this.client.get('namespaces', undefined, name);
      if (!cur) return;
      const finalizers = (cur.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
      try {
        await this.client.finalizeNamespace(name, finalizers);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e) && attempt < 4) continue;
        throw e;
      }
    }
  }

  /** deleteAllContent: the estimate (seconds) before the content is gone; 0 when it is. */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata.name ?? '';
    const errors: unknown[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    let estimate = 0;
    const account = (resource: string, res: GvrResult) => {
      estimate = Math.max(estimate, res.estimate);
      if (res.remaining > 0) remaining.set(resource, res.remaining);
      for (const [f, n] of res.finalizers) finalizers.set(f, (finalizers.get(f) ?? 0) + n);
    };

    // OrderedNamespaceDeletion: pods first, and nothing else until they are gone.
    const pods = await this.deleteAllOf('pods', name).catch((e) => {
      errors.push(e);
      const none: GvrResult = { estimate: 0, remaining: 0, finalizers: new Map() };
      return none;
    });
    account('pods.', pods);
    if (pods.remaining === 0) {
      for (const r of this.namespaced) {
        if (r.resource === 'pods') continue;
        try {
          account(`${r.resource}.${r.group}`, await this.deleteAllOf(r.resource, name));
        } catch (e) {
          errors.push(e);
        }
      }
    } else if (estimate === 0) estimate = 1;

    await this.updateConditions(ns, remaining, finalizers, errors);
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new Error(`[${errors.map(errorMessage).join(', ')}]`);
    return estimate;
  }

  /** deleteAllContentForGroupVersionResource */
  private async deleteAllOf(resource: string, ns: string): Promise<GvrResult> {
    // pods: the longest grace period of the non-terminal ones (estimateGracefulTermination)
    let estimate = 0;
    const items = this.client.list(resource, ns).items;
    for (const p of items) {
      if (!isKind(p, 'Pod') || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      estimate = Math.max(estimate, p.spec.terminationGracePeriodSeconds ?? 0);
    }
    const errors: unknown[] = [];
    const todo = items.filter((o) => !o.metadata.deletionTimestamp);
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const o = todo[next++]!;
        try {
          await this.client.delete(resource, ns, o.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: o.metadata.uid } });
        } catch (e) {
          if (!isNotFound(e) && !isConflict(e)) errors.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, todo.length) }, worker));
    if (errors.length > 0) throw errors[0];

    const left = this.client.list(resource, ns).items;
    if (left.length === 0) return { estimate, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const o of left) for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate !== 0) return { estimate, remaining: left.length, finalizers };
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    // Nothing explains why they are still there: try again soon.
    throw new Error(`unexpected items still remain in namespace: ${ns} for gvr: ${resource}`);
  }

  /** namespaceConditionUpdater */
  private async updateConditions(ns: Namespace, remaining: Map<string, number>, finalizers: Map<string, number>, errors: unknown[]): Promise<void> {
    const now = formatTime(this.clock());
    const fresh: Condition<NamespaceConditionType>[] = [];
    if (errors.length > 0) {
      fresh.push({
        type: 'NamespaceDeletionContentFailure',
        status: 'True',
        lastTransitionTime: now,
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.length === 1 ? errorMessage(errors[0]) : `[${errors.map(errorMessage).join(', ')}]`}`,
      });
    }
    if (remaining.size > 0) {
      const parts = [...remaining].map(([gvr, n]) => `${gvr} has ${n} resource instances`).sort();
      fresh.push({ type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: now, reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` });
    }
    if (finalizers.size > 0) {
      const parts = [...finalizers].map(([f, n]) => `${f} in ${n} resource instances`).sort();
      fresh.push({
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        lastTransitionTime: now,
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}`,
      });
    }
    const cur = this.client.get('namespaces', undefined, ns.metadata.name ?? '');
    if (!cur) return;
    const conditions = (cur.status?.conditions ?? []).map((c) => ({ ...c }));
    let changed = false;
    for (const type of CONDITION_TYPES) {
      const want = fresh.find((c) => c.type === type) ?? { type, status: 'False' as const, lastTransitionTime: now, ...OK[type] };
      const old = conditions.find((c) => c.type === type);
      if (!old) {
        conditions.push(want);
        changed = true;
      } else if (old.status !== want.status || old.message !== want.message || old.reason !== want.reason) {
        Object.assign(old, { status: want.status, message: want.message, reason: want.reason, lastTransitionTime: want.lastTransitionTime });
        changed = true;
      }
    }
    if (!changed) return;
    try {
      await this.client.updateStatus('namespaces', { ...cur, status: { ...cur.status, conditions } });
    } catch {
      // best effort (upstream logs it)
    }
  }
}

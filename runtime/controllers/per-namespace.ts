/**
 * The shape of the controllers that keep one object in every namespace (the `default`
 * ServiceAccount, the `kube-root-ca.crt` ConfigMap): a namespace added or changed, or its object
 * changed or deleted, enqueues the namespace; sync creates the object if missing, or puts back
 * what the controller owns in it. Terminating namespaces are left alone, and a create that races
 * with the namespace's deletion is not an error (as upstream ignores NotFound and
 * NamespaceTerminating).
 */
import type { KubeObject } from '../../lib/api/meta.ts';
import type { ObjectOf } from '../../lib/api/resource-types.ts';
import { isAlreadyExists, isNamespaceTerminating, isNotFound } from '../../lib/api/status.ts';
import type { ApiClient } from '../client/client.ts';
import type { Informer } from '../client/informer.ts';
import { QueueController } from './queue-controller.ts';
import { isBeingDeleted, type ControllerOptions } from './shared.ts';

export interface PerNamespaceObject<R extends string> {
  /** The resource of the object (`serviceaccounts`). */
  resource: R;
  /** Its name in every namespace. */
  name: string;
  /** The object to create in a namespace. */
  desired(namespace: string): ObjectOf<R>;
  /** The existing object with what the controller owns put back, or undefined when it is as it should be. */
  repaired?(current: ObjectOf<R>): ObjectOf<R> | undefined;
}

export abstract class PerNamespaceController<R extends string> extends QueueController {
  private readonly namespaces: Informer<'namespaces'>;
  private readonly objects: Informer<R>;

  protected constructor(
    name: string,
    private readonly client: ApiClient,
    private readonly kept: PerNamespaceObject<R>,
    opts: ControllerOptions,
  ) {
    super(name, client, opts, 2);
    const enqueue = (o: KubeObject) => this.queue.add(o.metadata.name ?? '');
    this.namespaces = this.informers.on('namespaces', { add: enqueue, update: enqueue });
    const enqueueNamespace = (o: KubeObject) => {
      if (o.metadata.name === kept.name && o.metadata.namespace) this.queue.add(o.metadata.namespace);
    };
    this.objects = this.informers.on(kept.resource, { update: enqueueNamespace, delete: enqueueNamespace });
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.get(namespace);
    if (!ns || isBeingDeleted(ns)) return;
    const current = this.objects.get(`${namespace}/${this.kept.name}`);
    try {
      if (!current) await this.client.create(this.kept.resource, namespace, this.kept.desired(namespace));
      else {
        const repaired = this.kept.repaired?.(current);
        if (repaired) await this.client.update(this.kept.resource, repaired);
      }
    } catch (e) {
      if (isAlreadyExists(e) || isNotFound(e) || isNamespaceTerminating(e)) return;
      throw e;
    }
  }
}

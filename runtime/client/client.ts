import type { DeleteOptions, ListOptions, Registry, WatchEvent, WriteOptions } from '../apiserver/registry.ts';
import type { PatchType } from '../apiserver/patching.ts';
import { resourceByName, type ResourceDef } from '../apiserver/resources.ts';
import { apiGroupList, apiResourceList, coreApiVersions } from '../apiserver/discovery.ts';
import { preferredResources, type ApiResource, type DiscoveryDocuments } from './discovery.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { Namespace } from '../../lib/api/model.ts';
import type { ObjectOf } from '../../lib/api/resource-types.ts';

/**
 * How controllers, the scheduler and kubelets reach the cluster: the API, never the store.
 * In process it calls the registry (the same admission, validation and concurrency rules as
 * HTTP, without serialization); objects it returns are read-only — copy before changing.
 * Typed by resource: `get('pods', …)` is a Pod, a resource lib/api does not model a KubeObject.
 */
export interface ApiClient {
  get<R extends string>(resource: R, ns: string | undefined, name: string): ObjectOf<R> | undefined;
  list<R extends string>(resource: R, ns?: string, opts?: ListOptions): { items: ObjectOf<R>[]; resourceVersion: string };
  watch<R extends string>(resource: R, ns: string | undefined, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent<ObjectOf<R>>) => void): () => void;
  create<R extends string>(resource: R, ns: string | undefined, obj: ObjectOf<R>, opts?: WriteOptions): Promise<ObjectOf<R>>;
  /** PUT with the object's resourceVersion as precondition (409 Conflict if stale). */
  update<R extends string>(resource: R, obj: ObjectOf<R>, opts?: WriteOptions): Promise<ObjectOf<R>>;
  updateStatus<R extends string>(resource: R, obj: ObjectOf<R>): Promise<ObjectOf<R>>;
  patch<R extends string>(resource: R, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { subresource?: 'status' }): Promise<ObjectOf<R>>;
  delete<R extends string>(resource: R, ns: string | undefined, name: string, opts?: DeleteOptions): Promise<ObjectOf<R>>;
  bind(ns: string, pod: string, node: string): Promise<void>;
  finalizeNamespace(name: string, finalizers: string[]): Promise<Namespace>;
  /** The resources the API serves (each group's preferred version), from its discovery documents. */
  discover(): ApiResource[];
  now(): Date;
}

export class InProcessClient implements ApiClient {
  constructor(private readonly registry: Registry) {}

  private def(resource: string): ResourceDef {
    const r = resourceByName(resource);
    if (!r) throw new Error(`unknown resource ${resource}`);
    return r;
  }

  get<R extends string>(resource: R, ns: string | undefined, name: string): ObjectOf<R> | undefined {
    const obj = this.registry.tryGet(this.def(resource), ns, name);
    return obj && typed(resource, obj);
  }

  list<R extends string>(resource: R, ns?: string, opts: ListOptions = {}): { items: ObjectOf<R>[]; resourceVersion: string } {
    const { items, resourceVersion } = this.registry.list(this.def(resource), ns, opts);
    return { items: items.map((o) => typed(resource, o)), resourceVersion };
  }

  watch<R extends string>(resource: R, ns: string | undefined, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent<ObjectOf<R>>) => void): () => void {
    return this.registry.watch(this.def(resource), ns, opts, (e) => onEvent({ type: e.type, object: typed(resource, e.object) }));
  }

  async create<R extends string>(resource: R, ns: string | undefined, obj: ObjectOf<R>, opts: WriteOptions = {}): Promise<ObjectOf<R>> {
    return typed(resource, (await this.registry.create(this.def(resource), ns, obj, { fieldValidation: 'Strict', ...opts })).object);
  }

  async update<R extends string>(resource: R, obj: ObjectOf<R>, opts: WriteOptions = {}): Promise<ObjectOf<R>> {
    const { namespace, name = '' } = obj.metadata;
    return typed(resource, (await this.registry.update(this.def(resource), namespace, name, obj, { fieldValidation: 'Strict', ...opts })).object);
  }

  async updateStatus<R extends string>(resource: R, obj: ObjectOf<R>): Promise<ObjectOf<R>> {
    const { namespace, name = '' } = obj.metadata;
    return typed(resource, (await this.registry.update(this.def(resource), namespace, name, obj, { subresource: 'status', fieldValidation: 'Strict' })).object);
  }

  async patch<R extends string>(resource: R, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & { subresource?: 'status' } = {}): Promise<ObjectOf<R>> {
    return typed(resource, (await this.registry.patch(this.def(resource), ns, name, type, patch, opts)).object);
  }

  async delete<R extends string>(resource: R, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<ObjectOf<R>> {
    return typed(resource, (await this.registry.delete(this.def(resource), ns, name, opts)).object);
  }

  async bind(ns: string, pod: string, node: string): Promise<void> {
    await this.registry.bind(ns, pod, { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod, namespace: ns }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
  }

  async finalizeNamespace(name: string, finalizers: string[]): Promise<Namespace> {
    return typed('namespaces', (await this.registry.finalizeNamespace(name, { spec: { finalizers } })).object);
  }

  discover(): ApiResource[] {
    // The documents the API server serves at /api and /apis, without the HTTP round trip.
    return preferredResources({ core: coreApiVersions(), groups: apiGroupList(), resourceList: apiResourceList } as DiscoveryDocuments);
  }

  now(): Date {
    return this.registry.clock();
  }
}

/**
 * An object the registry returned for a resource, as that resource's type: the registry admits
 * only objects of the resource's kind, validated by lib/api, so a stored pod is a Pod.
 */
function typed<R extends string>(_resource: R, obj: KubeObject): ObjectOf<R> {
  return obj as ObjectOf<R>;
}

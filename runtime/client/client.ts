import type { DeleteOptions, ListOptions, Registry, WatchEvent, WriteOptions } from '../apiserver/registry.ts';
import type { PatchType } from '../apiserver/patching.ts';
import { resourceByName, type ResourceDef } from '../apiserver/resources.ts';
import { apiGroupList, apiResourceList, coreApiVersions } from '../apiserver/discovery.ts';
import { preferredResources, type ApiResource, type DiscoveryDocuments } from './discovery.ts';

export type Obj = Record<string, any>;

/**
 * How controllers, the scheduler and kubelets reach the cluster: the API, never the store.
 * In process it calls the registry (the same admission, validation and concurrency rules as
 * HTTP, without serialization); objects it returns are read-only — copy before changing.
 */
export interface ApiClient {
  get(resource: string, ns: string | undefined, name: string): Obj | undefined;
  list(resource: string, ns?: string, opts?: ListOptions): { items: Obj[]; resourceVersion: string };
  watch(resource: string, ns: string | undefined, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent) => void): () => void;
  create(resource: string, ns: string | undefined, obj: Obj, opts?: WriteOptions): Promise<Obj>;
  /** PUT with the object's resourceVersion as precondition (409 Conflict if stale). */
  update(resource: string, obj: Obj, opts?: WriteOptions): Promise<Obj>;
  updateStatus(resource: string, obj: Obj): Promise<Obj>;
  patch(resource: string, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { subresource?: 'status' }): Promise<Obj>;
  delete(resource: string, ns: string | undefined, name: string, opts?: DeleteOptions): Promise<Obj>;
  bind(ns: string, pod: string, node: string): Promise<void>;
  finalizeNamespace(name: string, finalizers: string[]): Promise<Obj>;
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

  get(resource: string, ns: string | undefined, name: string): Obj | undefined {
    return this.registry.tryGet(this.def(resource), ns, name);
  }

  list(resource: string, ns?: string, opts: ListOptions = {}): { items: Obj[]; resourceVersion: string } {
    return this.registry.list(this.def(resource), ns, opts);
  }

  watch(resource: string, ns: string | undefined, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent) => void): () => void {
    return this.registry.watch(this.def(resource), ns, opts, onEvent);
  }

  async create(resource: string, ns: string | undefined, obj: Obj, opts: WriteOptions = {}): Promise<Obj> {
    return (await this.registry.create(this.def(resource), ns, obj, { fieldValidation: 'Strict', ...opts })).object;
  }

  async update(resource: string, obj: Obj, opts: WriteOptions = {}): Promise<Obj> {
    return (await this.registry.update(this.def(resource), obj.metadata.namespace, obj.metadata.name, obj, { fieldValidation: 'Strict', ...opts })).object;
  }

  async updateStatus(resource: string, obj: Obj): Promise<Obj> {
    return (await this.registry.update(this.def(resource), obj.metadata.namespace, obj.metadata.name, obj, { subresource: 'status', fieldValidation: 'Strict' })).object;
  }

  async patch(resource: string, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & { subresource?: 'status' } = {}): Promise<Obj> {
    return (await this.registry.patch(this.def(resource), ns, name, type, patch, opts)).object;
  }

  async delete(resource: string, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<Obj> {
    return (await this.registry.delete(this.def(resource), ns, name, opts)).object;
  }

  async bind(ns: string, pod: string, node: string): Promise<void> {
    await this.registry.bind(ns, pod, { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod, namespace: ns }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
  }

  async finalizeNamespace(name: string, finalizers: string[]): Promise<Obj> {
    return (await this.registry.finalizeNamespace(name, { spec: { finalizers } })).object;
  }

  discover(): ApiResource[] {
    // The documents the API server serves at /api and /apis, without the HTTP round trip.
    return preferredResources({ core: coreApiVersions(), groups: apiGroupList(), resourceList: apiResourceList } as DiscoveryDocuments);
  }

  now(): Date {
    return this.registry.clock();
  }
}

/**
 * Where a kubelet's objects come from: its pods (bound to it) and its own Node. One node
 * watches with a field selector; many nodes in one process share one watch, split by node.
 */
import type { KubeObject } from '../../lib/api/meta.ts';
import type { ObjectOf } from '../../lib/api/resource-types.ts';
import type { ApiClient } from '../client/client.ts';
import { Informer, keyOf, type InformerHandlers } from '../client/informer.ts';

/** Objects as an informer exposes them (the pods of one node, or its Node). */
export interface ObjectView<T extends KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
  on(h: InformerHandlers<T>): unknown;
  start(): unknown;
  stop(): void;
}

/**
 * One watch shared by many kubelets, split by a key: pods by `spec.nodeName`, Nodes by
 * name (a watch per node would match every event once per node).
 */
export class SplitInformer<R extends string> {
  private readonly informer: Informer<R>;
  private readonly views = new Map<string, SplitView<R>>();
  private started = false;

  constructor(
    client: ApiClient,
    resource: R,
    private readonly keyOf: (obj: ObjectOf<R>) => string | undefined,
  ) {
    this.informer = new Informer(client, resource).on({
      add: (o) => this.view(this.keyOf(o))?.emit('add', o),
      update: (o, old) => {
        const from = this.keyOf(old);
        const to = this.keyOf(o);
        if (from === to) this.view(to)?.emit('update', o, old);
        else {
          this.view(from)?.emit('delete', old);
          this.view(to)?.emit('add', o);
        }
      },
      delete: (o) => this.view(this.keyOf(o))?.emit('delete', o),
    });
  }

  /** The objects whose key is `k`. */
  view(k: string | undefined): SplitView<R> | undefined {
    return k === undefined ? undefined : this.views.get(k);
  }

  viewOf(k: string): ObjectView<ObjectOf<R>> {
    let v = this.views.get(k);
    if (!v) this.views.set(k, (v = new SplitView(this, k)));
    return v;
  }

  stop(): void {
    this.informer.stop();
  }

  /** @internal Starts the shared watch; false if it was already running. */
  ensureStarted(): boolean {
    if (this.started) return false;
    this.started = true;
    this.informer.start();
    return true;
  }

  /** @internal */
  itemsOf(k: string): ObjectOf<R>[] {
    return this.informer.list().filter((o) => this.keyOf(o) === k);
  }
}

class SplitView<R extends string> implements ObjectView<ObjectOf<R>> {
  private readonly handlers: InformerHandlers<ObjectOf<R>>[] = [];
  private readonly items = new Map<string, ObjectOf<R>>();
  private started = false;

  constructor(
    private readonly shared: SplitInformer<R>,
    private readonly k: string,
  ) {}

  get(k: string): ObjectOf<R> | undefined {
    return this.items.get(k);
  }

  list(): ObjectOf<R>[] {
    return [...this.items.values()];
  }

  on(h: InformerHandlers<ObjectOf<R>>): this {
    this.handlers.push(h);
    return this;
  }

  start(): this {
    if (this.started) return this;
    this.started = true;
    // The first view starts the watch (its initial list arrives as adds); later ones replay.
    if (!this.shared.ensureStarted()) for (const o of this.shared.itemsOf(this.k)) this.emit('add', o);
    return this;
  }

  stop(): void {
    this.started = false;
  }

  /** @internal */
  emit(type: 'add' | 'update' | 'delete', obj: ObjectOf<R>, old?: ObjectOf<R>): void {
    if (!this.started) return;
    const k = keyOf(obj);
    if (type === 'delete') this.items.delete(k);
    else this.items.set(k, obj);
    for (const h of this.handlers) {
      if (type === 'add') h.add?.(obj);
      else if (type === 'update') h.update?.(obj, old!);
      else h.delete?.(obj);
    }
  }
}

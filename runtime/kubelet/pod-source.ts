/**
 * Where a kubelet's objects come from: its pods (bound to it) and its own Node. One node
 * watches with a field selector; many nodes in one process share one watch, split by node.
 */
import type { ApiClient, Obj } from '../client/client.ts';
import { Informer, keyOf, type InformerHandlers } from '../client/informer.ts';

/** Objects as an informer exposes them (the pods of one node, or its Node). */
export interface ObjectView {
  get(key: string): Obj | undefined;
  list(): Obj[];
  on(h: InformerHandlers): unknown;
  start(): unknown;
  stop(): void;
}

/**
 * One watch shared by many kubelets, split by a key: pods by `spec.nodeName`, Nodes by
 * name (a watch per node would match every event once per node).
 */
export class SplitInformer {
  private readonly informer: Informer;
  private readonly views = new Map<string, SplitView>();
  private started = false;

  constructor(
    client: ApiClient,
    resource: string,
    private readonly keyOf: (obj: Obj) => string | undefined,
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
  view(k: string | undefined): SplitView | undefined {
    return k === undefined ? undefined : this.views.get(k);
  }

  viewOf(k: string): ObjectView {
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
  itemsOf(k: string): Obj[] {
    return this.informer.list().filter((o) => this.keyOf(o) === k);
  }
}

class SplitView implements ObjectView {
  private readonly handlers: InformerHandlers[] = [];
  private readonly items = new Map<string, Obj>();
  private started = false;

  constructor(
    private readonly shared: SplitInformer,
    private readonly k: string,
  ) {}

  get(k: string): Obj | undefined {
    return this.items.get(k);
  }

  list(): Obj[] {
    return [...this.items.values()];
  }

  on(h: InformerHandlers): this {
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
  emit(type: 'add' | 'update' | 'delete', obj: Obj, old?: Obj): void {
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

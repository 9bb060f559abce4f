import { isExpired } from '../../lib/api/status.ts';
import { namespacedKey } from '../../lib/api/meta.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { ObjectOf } from '../../lib/api/resource-types.ts';
import type { ApiClient } from './client.ts';

/** What an informer tells its consumers, about objects of type T. */
export interface InformerHandlers<T extends KubeObject = KubeObject> {
  add?(obj: T): void;
  update?(obj: T, old: T): void;
  delete?(obj: T): void;
}

/** `namespace/name` (or `name` for cluster-scoped objects): the key of caches and work queues. */
export const keyOf = namespacedKey;

export function splitKey(key: string): { ns: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i === -1 ? { ns: undefined, name: key } : { ns: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * client-go's informer: list, then watch from the list's resourceVersion, keeping a cache of
 * every object; handlers only enqueue work. A watch that expires re-lists (and reports the
 * differences as add/update/delete), so a consumer never misses a change.
 */
export class Informer<R extends string = string> {
  private readonly cache = new Map<string, ObjectOf<R>>();
  private readonly handlers: InformerHandlers<ObjectOf<R>>[] = [];
  private stopWatch: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly client: ApiClient,
    readonly resource: R,
    private readonly opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ) {}

  on(h: InformerHandlers<ObjectOf<R>>): this {
    this.handlers.push(h);
    return this;
  }

  get(key: string): ObjectOf<R> | undefined {
    return this.cache.get(key);
  }

  list(): ObjectOf<R>[] {
    return [...this.cache.values()];
  }

  get size(): number {
    return this.cache.size;
  }

  start(): this {
    this.relist();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  private relist(): void {
    if (this.stopped) return;
    this.stopWatch?.();
    const { items, resourceVersion } = this.client.list(this.resource, this.opts.namespace, this.selectors());
    const seen = new Set<string>();
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      this.apply(key, obj);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        for (const h of this.handlers) h.delete?.(old);
      }
    }
    try {
      this.stopWatch = this.client.watch(this.resource, this.opts.namespace, { ...this.selectors(), resourceVersion }, (e) => {
        if (e.type === 'ERROR') {
          queueMicrotask(() => this.relist());
          return;
        }
        if (e.type === 'BOOKMARK') return;
        const key = keyOf(e.object);
        if (e.type === 'DELETED') {
          const old = this.cache.get(key);
          this.cache.delete(key);
          for (const h of this.handlers) h.delete?.(old ?? e.object);
        } else this.apply(key, e.object);
      });
    } catch (e) {
      if (isExpired(e)) return this.relist();
      throw e;
    }
  }

  private apply(key: string, obj: ObjectOf<R>): void {
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) for (const h of this.handlers) h.add?.(obj);
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) for (const h of this.handlers) h.update?.(obj, old);
  }

  private selectors(): { labelSelector?: string; fieldSelector?: string } {
    return {
      ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
      ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
    };
  }
}

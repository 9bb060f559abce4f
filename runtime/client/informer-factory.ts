import type { Component } from '../component.ts';
import type { ObjectOf } from '../../lib/api/resource-types.ts';
import type { ApiClient } from './client.ts';
import { Informer, type InformerHandlers } from './informer.ts';

/**
 * client-go's SharedInformerFactory: one Informer per resource, shared by every controller that
 * asks for it. Handlers added after the informer started are first told about every cached
 * object (as client-go's AddEventHandler replays the cache), so registration order never matters.
 */
export class InformerFactory implements Component {
  readonly name = 'informers';
  private readonly informers = new Map<string, Informer<string>>();
  private readonly started = new Set<string>();
  private stopped = false;

  constructor(readonly client: ApiClient) {}

  informer<R extends string>(resource: R): Informer<R> {
    // Keyed by resource, so the informer found is the one created for R.
    const found = this.informers.get(resource) as Informer<R> | undefined;
    if (found) return found;
    const inf = new Informer(this.client, resource);
    this.informers.set(resource, inf);
    return inf;
  }

  /**
   * Registers handlers on the resource's informer. If it already runs, the cached objects are
   * replayed as `add` on a microtask: after the caller's constructor has finished (handlers may
   * use fields it assigns after this call), and before any later watch event.
   */
  on<R extends string>(resource: R, handlers: InformerHandlers<ObjectOf<R>>): Informer<R> {
    const inf = this.informer(resource);
    if (this.started.has(resource) && handlers.add) {
      const replay = inf.list();
      const add = handlers.add.bind(handlers);
      let replayed = false;
      const flush = () => {
        if (replayed) return;
        replayed = true;
        for (const obj of replay) add(obj);
      };
      queueMicrotask(flush);
      // A live event must not overtake the replay: flush first if one comes.
      inf.on({
        add: (o) => (flush(), handlers.add?.(o)),
        ...(handlers.update ? { update: (o: ObjectOf<R>, old: ObjectOf<R>) => (flush(), handlers.update!(o, old)) } : {}),
        ...(handlers.delete ? { delete: (o: ObjectOf<R>) => (flush(), handlers.delete!(o)) } : {}),
      });
      return inf;
    }
    inf.on(handlers);
    return inf;
  }

  /** Starts (lists, then watches) every informer not yet started. Idempotent. */
  start(): this {
    if (this.stopped) return this;
    for (const [resource, inf] of this.informers) {
      if (this.started.has(resource)) continue;
      this.started.add(resource);
      inf.start();
    }
    return this;
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}

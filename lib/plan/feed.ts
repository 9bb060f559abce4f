/**
 * A list + watch of one resource, kept in a cache: list, then watch from the list's
 * resourceVersion; resumed after the server ends the watch, relisted after 410 Expired, retried
 * with backoff. Each change is handed to the owner; an optional feed gives up quietly.
 */
import { namespacedKey } from '../api/meta.ts';
import type { KubeObject } from '../api/meta.ts';
import { KubeApiError, type KubeClient, type ResourceRef, type WatchEvent } from '../kube/index.ts';

export type ChangeHandler = (obj: KubeObject, old: KubeObject | undefined, deleted: boolean) => void;

export interface FeedSpec {
  resource: ResourceRef;
  namespace?: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Failures of an optional feed only lose information; of a required one, end the wait. */
  optional: boolean;
}

const MAX_CONSECUTIVE_FAILURES = 5;

export class Feed {
  readonly cache = new Map<string, KubeObject>();
  #rv: string | undefined;
  #stopped = false;
  #session = 0;
  #failures = 0;
  #watchStop: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly spec: FeedSpec,
    private readonly onChange: ChangeHandler,
    private readonly onFatal: (e: unknown) => void,
  ) {}

  /** The first list; resolves when the cache holds it. */
  async start(): Promise<void> {
    try {
      await this.#relist();
    } catch (e) {
      if (this.spec.optional) {
        this.stop();
        return;
      }
      throw e;
    }
    this.#watch();
  }

  stop(): void {
    this.#stopped = true;
    this.#session++;
    clearTimeout(this.#retry);
    this.#watchStop?.();
    this.#watchStop = undefined;
  }

  async #relist(): Promise<void> {
    const { resource, namespace, fieldSelector, labelSelector } = this.spec;
    const list = await this.client.list(resource, {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
      ...(labelSelector ? { labelSelector } : {}),
    });
    if (this.#stopped) return;
    const seen = new Set<string>();
    for (const item of list.items) {
      // Lists carry no TypeMeta on their items.
      const obj = { ...item, apiVersion: item.apiVersion ?? apiVersionOf(resource), kind: item.kind ?? resource.kind } as KubeObject;
      const key = namespacedKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.cache.set(key, obj);
      this.onChange(obj, old, false);
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.onChange(old, old, true);
    }
    this.#rv = list.metadata?.resourceVersion;
  }

  #watch(): void {
    if (this.#stopped) return;
    const session = ++this.#session;
    const { resource, namespace, fieldSelector, labelSelector } = this.spec;
    let expired = false;
    const w = this.client.watch(
      resource,
      {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
        ...(labelSelector ? { labelSelector } : {}),
        ...(this.#rv ? { resourceVersion: this.#rv } : {}),
        allowWatchBookmarks: true,
      },
      (event: WatchEvent) => {
        if (session !== this.#session) return;
        this.#failures = 0;
        const obj = event.object;
        if (event.type === 'ERROR') {
          expired = true; // 410 Expired and friends: start over from a fresh list
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.#rv = rv;
        if (event.type === 'BOOKMARK') return;
        const key = namespacedKey(obj);
        const old = this.cache.get(key);
        if (event.type === 'DELETED') {
          this.cache.delete(key);
          this.onChange(obj, old, true);
        } else {
          this.cache.set(key, obj);
          this.onChange(obj, old, false);
        }
      },
    );
    this.#watchStop = w.stop;
    w.done.then(
      () => {
        if (session !== this.#session || this.#stopped) return;
        if (expired) this.#restart(0);
        else this.#watch(); // the server ended the watch (its timeout): resume where it stopped
      },
      (e: unknown) => {
        if (session !== this.#session || this.#stopped) return;
        if (e instanceof KubeApiError && e.code === 410) return this.#restart(0);
        this.#failures++;
        if (this.#failures > MAX_CONSECUTIVE_FAILURES) {
          if (this.spec.optional) this.stop();
          else this.onFatal(e);
          return;
        }
        this.#restart(Math.min(2000, 100 * 2 ** this.#failures));
      },
    );
  }

  #restart(delayMs: number): void {
    this.#session++;
    this.#retry = setTimeout(() => {
      if (this.#stopped) return;
      this.#relist().then(
        () => this.#watch(),
        (e: unknown) => {
          if (this.#stopped) return;
          this.#failures++;
          if (this.#failures > MAX_CONSECUTIVE_FAILURES) {
            if (this.spec.optional) this.stop();
            else this.onFatal(e);
          } else this.#restart(Math.min(2000, 100 * 2 ** this.#failures));
        },
      );
    }, delayMs);
  }
}


function apiVersionOf(r: ResourceRef): string {
  if ('apiVersion' in r && typeof r.apiVersion === 'string') return r.apiVersion;
  const g = r as { group?: string; version: string };
  return g.group ? `${g.group}/${g.version}` : g.version;
}

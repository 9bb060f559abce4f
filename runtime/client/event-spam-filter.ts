/**
 * client-go's EventSourceObjectSpamFilter (tools/record/events_cache.go): each source (component
 * and host) may record a burst of 25 Events about one object, refilled at one every 5 minutes;
 * beyond that its Events are dropped before they reach the API server. A 5,000-replica
 * ReplicaSet so leaves 25 SuccessfulCreate Events, not 5,000, as on a real cluster — Events are
 * best effort, and the filter keeps them from costing more than the work they describe.
 */
import { Lru } from './lru.ts';

/** Upstream defaultSpamBurst and defaultSpamQPS. */
export const SPAM_BURST = 25;
export const SPAM_REFILL_PER_MS = 1 / 300_000;
/** Upstream maxLruCacheEntries: the least recently seen objects' buckets are forgotten first. */
const CACHE_ENTRIES = 4096;

/** The parts of an Event the filter keys on (upstream getSpamKey: source + involvedObject). */
export interface SpamKeyParts {
  component: string;
  host?: string;
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string };
}

interface Bucket {
  tokens: number;
  at: number;
}

export class EventSpamFilter {
  private readonly buckets = new Lru<Bucket>(CACHE_ENTRIES);

  constructor(
    private readonly burst = SPAM_BURST,
    private readonly refillPerMs = SPAM_REFILL_PER_MS,
  ) {}

  /** True when the Event may be recorded (a token was taken), false when it is spam to drop. */
  accept(parts: SpamKeyParts, nowMs: number): boolean {
    const o = parts.involvedObject;
    const key = [parts.component, parts.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? ''].join('\u0000');
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    b.tokens = Math.min(this.burst, b.tokens + Math.max(0, nowMs - b.at) * this.refillPerMs);
    b.at = nowMs;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    return ok;
  }
}

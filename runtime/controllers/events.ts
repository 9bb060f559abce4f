/**
 * client-go's EventCorrelator in front of the EventRecorder (k8s.io/client-go/tools/record
 * events_cache.go), so a controller creating 10,000 pods writes a handful of Events, not 10,000:
 *
 * - aggregation: events about one object with the same type and reason but different messages
 *   are passed through until 10 distinct messages were seen within 10 minutes; from then on they
 *   become one Event `(combined from similar events): <message>` whose count is bumped;
 * - spam filter: a token bucket per (source, object) of 25 events, refilled at 1 per 5 minutes;
 *   anything beyond is dropped (creates and count updates alike).
 */
import type { KubeObject } from '../../lib/api/meta.ts';
import type { ApiClient } from '../client/client.ts';
import { EventRecorder } from '../client/events.ts';
import { Lru } from '../client/lru.ts';

const MAX_LRU = 4096;
const SPAM_BURST = 25;
const SPAM_QPS = 1 / 300;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;

interface AggregateRecord {
  localKeys: Set<string>;
  last: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

export class ControllerEventRecorder {
  private readonly recorder: EventRecorder;
  private readonly aggregates = new Lru<AggregateRecord>(MAX_LRU);
  private readonly buckets = new Lru<Bucket>(MAX_LRU);

  constructor(
    client: ApiClient,
    private readonly component: string,
    private readonly clock: () => Date = () => client.now(),
  ) {
    this.recorder = new EventRecorder(client, component);
  }

  normal(obj: KubeObject, reason: string, message: string): void {
    this.emit(obj, 'Normal', reason, message);
  }

  warning(obj: KubeObject, reason: string, message: string): void {
    this.emit(obj, 'Warning', reason, message);
  }

  private emit(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = this.clock().getTime();
    const m = obj.metadata;
    const objectKey = [this.component, '', obj.kind, m.namespace, m.name, m.uid, obj.apiVersion].join('\u0000');
    const aggregateKey = [objectKey, type, reason].join('\u0000');

    let record = this.aggregates.get(aggregateKey);
    if (!record || now - record.last > AGGREGATE_INTERVAL_MS) record = { localKeys: new Set(), last: now };
    record.localKeys.add(message);
    record.last = now;
    this.aggregates.set(aggregateKey, record);
    const aggregated = record.localKeys.size >= AGGREGATE_MAX_EVENTS;
    if (aggregated) record.localKeys.delete(message);

    if (!this.allow(objectKey, now)) return;
    if (!aggregated) {
      void this.recorder.record(obj, type, reason, message);
      return;
    }
    void this.recordCombined(obj, aggregateKey, type, reason, `(combined from similar events): ${message}`);
  }

  /** The spam filter's token bucket (flowcontrol.NewTokenBucketPassiveRateLimiter). */
  private allow(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (!b) b = { tokens: SPAM_BURST, last: now };
    b.tokens = Math.min(SPAM_BURST, b.tokens + ((now - b.last) / 1000) * SPAM_QPS);
    b.last = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Similar events past the aggregation threshold share one Event whose count grows. */
  private recordCombined(obj: KubeObject, key: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    return this.recorder.record(obj, type, reason, message, `combined|${key}`);
  }
}

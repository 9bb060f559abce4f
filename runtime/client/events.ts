import type { KubeObject } from '../../lib/api/meta.ts';
import type { ApiClient } from './client.ts';
import { formatTime } from '../../lib/api/time.ts';

/**
 * Records v1 Events about objects, as client-go's EventRecorder: one Event per (object, reason,
 * message), its count and lastTimestamp bumped on repeats, so `kubectl describe` shows
 * `Warning  FailedScheduling  ... (x3 over 2m)`. Failures to record are never fatal.
 */
export class EventRecorder {
  private readonly recent = new Map<string, { name: string; ns: string; count: number }>();
  private seq = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly host?: string,
  ) {}

  /** `fieldPath` names the part of the object the event is about (`spec.containers{web}`). */
  normal(obj: KubeObject, reason: string, message: string, fieldPath?: string): void {
    void this.record(obj, 'Normal', reason, message, undefined, fieldPath);
  }

  warning(obj: KubeObject, reason: string, message: string, fieldPath?: string): void {
    void this.record(obj, 'Warning', reason, message, undefined, fieldPath);
  }

  /**
   * Records one Event; a repeat (same `dedupeKey`, by default the object, type, reason and
   * message) bumps the existing Event's count instead.
   */
  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, dedupeKey?: string, fieldPath?: string): Promise<void> {
    const ns = obj.metadata.namespace ?? 'default';
    const key = dedupeKey ?? `${obj.metadata.uid}|${fieldPath ?? ''}|${type}|${reason}|${message}`;
    const now = formatTime(this.client.now());
    try {
      const seen = this.recent.get(key);
      if (seen) {
        seen.count++;
        try {
          await this.client.patch('events', seen.ns, seen.name, 'merge', { count: seen.count, lastTimestamp: now });
          return;
        } catch {
          this.recent.delete(key); // the Event is gone (expired or deleted): record it anew
        }
      }
      const name = `${obj.metadata.name}.${(Date.now() * 1000 + (this.seq++ % 1000)).toString(16)}`;
      await this.client.create('events', ns, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
        reportingComponent: this.component,
        reportingInstance: this.host ?? this.component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
      this.recent.set(key, { name, ns, count: 1 });
      if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value!);
    } catch {
      // Events are best effort, as in Kubernetes (e.g. the namespace is being deleted).
    }
  }
}

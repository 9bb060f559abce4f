// Events expire (issue 9, point 5): a runtime started with a short --event-ttl deletes an Event
// that long after its last update, and a watch sees the deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../../lib/api/model.ts';
import type { WatchEvent } from '../../../runtime/apiserver/registry.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../harness.ts';

const TTL_MS = 400;
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ nodes: 1, eventTtlMs: TTL_MS });
}, 60_000);
afterAll(async () => {
  await rt?.close();
});

function event(name: string): Event {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', apiVersion: 'v1' },
    reason: 'Tested',
    message: 'an event that will expire',
    source: { component: 'test' },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type: 'Normal',
  };
}

describe('Event TTL', () => {
  it('deletes an Event a TTL after its last update; watchers see DELETED', async () => {
    const client = rt.runtime.client;
    const seen: string[] = [];
    const stop = client.watch('events', 'default', { fieldSelector: 'metadata.name=expiring' }, (e: WatchEvent) => {
      if (e.type !== 'BOOKMARK' && e.type !== 'ERROR') seen.push(e.type);
    });
    const created = await client.create('events', 'default', event('expiring'));
    const started = Date.now();
    // An update renews it.
    await client.update('events', { ...created, count: 2 });
    await eventually(() => !client.get('events', 'default', 'expiring'), { timeoutMs: 10_000, what: 'the Event to expire' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TTL_MS);
    await eventually(() => seen.includes('DELETED'), { what: 'a DELETED watch event' });
    stop();
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('leaves other kinds alone', async () => {
    const client = rt.runtime.client;
    await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } });
    await client.create('events', 'default', event('marker'));
    await eventually(() => !client.get('events', 'default', 'marker'), { what: 'the marker Event to expire' });
    expect(client.get('configmaps', 'default', 'stays')).toBeDefined();
  });
});

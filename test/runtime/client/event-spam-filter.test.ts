import { describe, expect, it } from 'vitest';
import { EventSpamFilter, SPAM_BURST } from '../../../runtime/client/event-spam-filter.ts';

const rs = { component: 'replicaset-controller', involvedObject: { kind: 'ReplicaSet', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'apps/v1' } };

describe('EventSpamFilter', () => {
  it('lets a source burst 25 Events about one object, then drops them', () => {
    const f = new EventSpamFilter();
    const accepted = Array.from({ length: 40 }, () => f.accept(rs, 1000)).filter(Boolean).length;
    expect(accepted).toBe(SPAM_BURST);
  });

  it('keeps a bucket per source and per object', () => {
    const f = new EventSpamFilter();
    for (let i = 0; i < SPAM_BURST; i++) f.accept(rs, 0);
    expect(f.accept(rs, 0)).toBe(false);
    expect(f.accept({ ...rs, involvedObject: { ...rs.involvedObject, name: 'api', uid: 'u-2' } }, 0)).toBe(true);
    expect(f.accept({ ...rs, host: 'kite-node-1' }, 0)).toBe(true);
    expect(f.accept({ ...rs, component: 'kubelet' }, 0)).toBe(true);
  });

  it('refills one token every 5 minutes, up to the burst', () => {
    const f = new EventSpamFilter();
    for (let i = 0; i < SPAM_BURST; i++) f.accept(rs, 0);
    expect(f.accept(rs, 299_000)).toBe(false);
    expect(f.accept(rs, 300_000)).toBe(true);
    expect(f.accept(rs, 300_000)).toBe(false);
    // A day later the bucket is full again, not fuller.
    const later = 86_400_000;
    expect(Array.from({ length: 40 }, () => f.accept(rs, later)).filter(Boolean).length).toBe(SPAM_BURST);
  });
});

import { describe, expect, it } from 'vitest';
import { EndpointPicker } from '../../../runtime/proxy/endpoint-picker.ts';

const eps = [
  { ip: '127.200.0.2', port: 80 },
  { ip: '127.200.0.3', port: 80 },
  { ip: '127.200.0.4', port: 80 },
];

describe('EndpointPicker', () => {
  it('round-robins, and has nothing to pick without endpoints', () => {
    const p = new EndpointPicker();
    expect(p.pick('127.0.0.9')).toBeUndefined();
    p.set(eps, undefined);
    expect([1, 2, 3, 4].map(() => p.pick('127.0.0.9')!.ip)).toEqual(['127.200.0.2', '127.200.0.3', '127.200.0.4', '127.200.0.2']);
  });

  it('keeps a client IP on its endpoint within the timeout, refreshed by each connection, and picks anew after it', () => {
    let now = 0;
    const p = new EndpointPicker(() => now);
    p.set(eps, 10);
    const first = p.pick('127.0.0.9')!;
    now = 9_000;
    expect(p.pick('127.0.0.9')).toEqual(first);
    now = 18_000; // 9 s after the refresh
    expect(p.pick('127.0.0.9')).toEqual(first);
    expect(p.pick('127.0.0.8')).not.toEqual(first);
    now = 28_000; // 10 s idle: expired
    expect(p.pick('127.0.0.9')).not.toEqual(first);
  });

  it('forgets the affinity to an endpoint that went away, keeps the others', () => {
    const p = new EndpointPicker(() => 0);
    p.set(eps, 100);
    const a = p.pick('127.0.0.7')!;
    const b = p.pick('127.0.0.8')!;
    p.set(eps.filter((e) => e !== a), 100);
    expect(p.pick('127.0.0.8')).toEqual(b);
    expect(p.pick('127.0.0.7')).not.toEqual(a);
  });
});

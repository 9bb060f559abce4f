/** Go's time formats as Kubernetes components print them. */
import { describe, expect, it } from 'vitest';
import { formatFixedNanoTime, formatGoDuration } from '../../lib/api/time.ts';

describe('formatGoDuration (time.Duration.String, whole milliseconds)', () => {
  it.each([
    [250, '250ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h0m0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});

describe('formatFixedNanoTime (the kubelet log timestamp)', () => {
  it('has nine fraction digits, always', () => {
    expect(formatFixedNanoTime(Date.UTC(2026, 11, 7, 12, 0, 0, 123))).toBe('2026-12-07T12:00:00.123000000Z');
    expect(formatFixedNanoTime(Date.UTC(2026, 11, 7, 12, 0, 0, 0))).toBe('2026-12-07T12:00:00.000000000Z');
  });
});

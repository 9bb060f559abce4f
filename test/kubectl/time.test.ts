import { describe, expect, it } from 'vitest';
import { rfc1123z } from '../../lib/kubectl/time.ts';

describe('rfc1123z', () => {
  it('prints times as RFC 1123 with numeric zone', () => {
    expect(rfc1123z('2026-11-25T20:44:01Z')).toMatch(/^Wed, 25 Nov 2026 \d\d:\d\d:01 [+-]\d{4}$/);
  });

  it("prints an unset time as Go's zero time", () => {
    expect(rfc1123z(undefined)).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
    expect(rfc1123z('not a time')).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
  });
});

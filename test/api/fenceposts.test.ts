import { describe, expect, it } from 'vitest';
import { resolveFenceposts, scaledValue } from '../../lib/api/fenceposts.ts';

describe('resolveFenceposts (Deployments: surge rounds up, unavailable down, both 0 → unavailable 1)', () => {
  const table: Array<[number | string, number | string, number, number, number]> = [
    // maxSurge, maxUnavailable, replicas → surge, unavailable
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 1, 1, 0],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 0, 0, 1],
    [0, 0, 3, 0, 1],
    ['0%', '0%', 5, 0, 1],
    [1, 0, 3, 1, 0],
    [0, 1, 3, 0, 1],
    [2, 2, 3, 2, 2],
    ['100%', '0%', 3, 3, 0],
    ['50%', '50%', 5, 3, 2],
    ['1', '0', 3, 1, 0],
  ];
  it.each(table)('maxSurge %s, maxUnavailable %s, %i replicas → surge %i, unavailable %i', (s, u, r, surge, unavailable) => {
    expect(resolveFenceposts(s, u, r)).toEqual({ surge, unavailable });
  });

  it('refuses what is neither an integer nor a percentage', () => {
    expect(() => scaledValue('a lot', 3, true, 'maxSurge')).toThrow(/maxSurge: invalid value "a lot"/);
    expect(() => scaledValue(-1, 3, true, 'maxUnavailable')).toThrow(/maxUnavailable/);
  });
});

import { describe, expect, it } from 'vitest';
import { findRevision, previousGood, statusOf } from '../../../lib/plan/history/select.ts';
import { revision } from './fixtures.ts';

describe('reading a history', () => {
  it('marks the newest deployed revision deployed, older ones superseded, failed ones failed', () => {
    const h = [revision(1), revision(2, { outcome: 'failed', reason: 'not ready' }), revision(3)];
    expect(h.map((r) => statusOf(r, h))).toEqual(['superseded', 'failed', 'deployed']);
  });

  it('rolls back by default to the newest deployed revision before the current, past failed ones', () => {
    expect(previousGood([revision(1), revision(2)], 'web', 'c').revision).toBe(1);
    expect(previousGood([revision(1), revision(2, { outcome: 'failed' }), revision(3, { outcome: 'failed' })], 'web', 'c').revision).toBe(1);
    expect(() => previousGood([revision(4)], 'web', 'c')).toThrow('stack web has no revision to roll back to on context c: no revision before 4 was deployed (see kite history web)');
    expect(() => previousGood([], 'web', 'c')).toThrow(/^stack web has no history on context c: it was never applied there/);
  });

  it('finds a revision by number, or names the ones there are', () => {
    const h = [revision(3), revision(4), revision(5)];
    expect(findRevision(h, 4, 'web', 'c').revision).toBe(4);
    expect(() => findRevision(h, 9, 'web', 'c')).toThrow('stack web has no revision 9 on context c (it has revisions 3 to 5; see kite history web)');
    expect(() => findRevision([revision(2)], 9, 'web', 'c')).toThrow('(it has revision 2; see');
  });
});

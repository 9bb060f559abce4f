import { describe, expect, it } from 'vitest';
import { parseSelector, selectorFromSet } from '../../lib/api/selector.ts';
import { PairIndex, anchorPairs, labelPairs } from '../../lib/api/label-index.ts';

describe('anchorPairs', () => {
  it('names the pairs of the narrowest equality or set requirement; none for a selector without one', () => {
    expect(anchorPairs(selectorFromSet({ app: 'web', tier: 'front' }))).toHaveLength(1);
    expect(anchorPairs(parseSelector('env in (a,b),app=web'))).toEqual(labelPairs({ app: 'web' }));
    expect(anchorPairs(parseSelector('env in (a,b)'))).toEqual([...labelPairs({ env: 'a' }), ...labelPairs({ env: 'b' })]);
    expect(anchorPairs(parseSelector('app!=web,tier'))).toBeUndefined();
  });
});

describe('PairIndex', () => {
  it('finds what matching objects could be, never missing a match', () => {
    const pods = new PairIndex<string>();
    pods.add('a', labelPairs({ app: 'web', tier: 'front' }));
    pods.add('b', labelPairs({ app: 'api' }));
    pods.add('c', labelPairs({}));
    const web = selectorFromSet({ app: 'web' });
    expect([...pods.lookup(anchorPairs(web))]).toEqual(['a']);
    expect([...pods.lookup(undefined)].sort()).toEqual(['a', 'b', 'c']);
    pods.delete('a', labelPairs({ app: 'web', tier: 'front' }));
    expect([...pods.lookup(anchorPairs(web))]).toEqual([]);
  });

  it('returns loose items (selectors without an anchor) from every lookup', () => {
    const selecting = new PairIndex<string>();
    selecting.add('svc-web', anchorPairs(selectorFromSet({ app: 'web' })));
    selecting.add('svc-any-tier', anchorPairs(parseSelector('tier')));
    expect([...selecting.lookup(labelPairs({ app: 'web' }))].sort()).toEqual(['svc-any-tier', 'svc-web']);
    expect([...selecting.lookup(labelPairs({ app: 'api' }))]).toEqual(['svc-any-tier']);
    selecting.delete('svc-any-tier', undefined);
    expect([...selecting.lookup(labelPairs({ app: 'api' }))]).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Lru } from '../../../runtime/client/lru.ts';

describe('Lru', () => {
  it('evicts the least recently used entry beyond its size; get and set refresh', () => {
    const lru = new Lru<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3); // evicts b
    expect(lru.has('b')).toBe(false);
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    lru.set('a', 10); // refresh a: c is the oldest
    lru.set('d', 4);
    expect(lru.has('c')).toBe(false);
    expect(lru.get('a')).toBe(10);
    lru.delete('a');
    expect(lru.get('a')).toBeUndefined();
  });
});

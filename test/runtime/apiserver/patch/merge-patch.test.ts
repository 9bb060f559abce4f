import { describe, expect, it } from 'vitest';
import { applyJsonMergePatch } from '../../../../runtime/apiserver/patch/index.ts';

// RFC 7386 Appendix A, verbatim: [original, patch, result]
const APPENDIX_A: Array<[unknown, unknown, unknown]> = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyJsonMergePatch (RFC 7386)', () => {
  it.each(APPENDIX_A.map((c, i) => [i + 1, ...c]))('Appendix A example %i', (_n, original, patch, result) => {
    const before = JSON.stringify(original);
    expect(applyJsonMergePatch(original, patch)).toEqual(result);
    expect(JSON.stringify(original)).toBe(before); // inputs are never mutated
  });

  it('RFC 7386 section 3 example', () => {
    const target = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyJsonMergePatch(target, patch)).toEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('does not share structure with the patch or the target', () => {
    const target = { a: { b: 1 }, keep: { x: [1] } };
    const patch = { c: { d: [1, 2] } };
    const out = applyJsonMergePatch(target, patch) as { c: { d: number[] }; keep: { x: number[] } };
    out.c.d.push(3);
    out.keep.x.push(2);
    expect(patch.c.d).toEqual([1, 2]);
    expect(target.keep.x).toEqual([1]);
  });

  it('treats __proto__ and constructor as plain keys', () => {
    const out = applyJsonMergePatch({}, JSON.parse('{"__proto__":{"polluted":true},"constructor":{"x":1}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"constructor":{"x":1}}');
  });

  it('replaces a Pod container list wholesale (why kubectl does not use it for built-ins)', () => {
    const live = { spec: { containers: [{ name: 'nginx', image: 'nginx:1.24', ports: [{ containerPort: 80 }] }] } };
    expect(applyJsonMergePatch(live, { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } })).toEqual({
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
    });
  });
});

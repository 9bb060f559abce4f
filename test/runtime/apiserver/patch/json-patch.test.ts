import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  decodePatch,
  escapePointerToken,
  parsePointer,
  PatchError,
} from '../../../../runtime/apiserver/patch/index.ts';

function errorOf(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a PatchError');
}

describe('applyJsonPatch: RFC 6902 Appendix A', () => {
  it('A.1 adding an object member', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ baz: 'qux', foo: 'bar' });
  });
  it('A.2 adding an array element', () => {
    expect(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({
      foo: ['bar', 'qux', 'baz'],
    });
  });
  it('A.3 removing an object member', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
  });
  it('A.4 removing an array element', () => {
    expect(applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
  });
  it('A.5 replacing a value', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({
      baz: 'boo',
      foo: 'bar',
    });
  });
  it('A.6 moving a value', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({
      foo: { bar: 'baz' },
      qux: { corge: 'grault', thud: 'fred' },
    });
  });
  it('A.7 moving an array element', () => {
    expect(applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({
      foo: ['all', 'cows', 'eat', 'grass'],
    });
  });
  it('A.8 testing a value: success', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'] };
    expect(
      applyJsonPatch(doc, [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ]),
    ).toEqual(doc);
  });
  it('A.9 testing a value: error', () => {
    const e = errorOf(() => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]));
    expect(e.status).toBe(422);
    expect(e.message).toBe('testing value /baz failed: test failed');
  });
  it('A.10 adding a nested member object', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }])).toEqual({
      foo: 'bar',
      child: { grandchild: {} },
    });
  });
  it('A.11 ignoring unrecognized elements', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }])).toEqual({
      foo: 'bar',
      baz: 'qux',
    });
  });
  it('A.12 adding to a nonexistent target', () => {
    const e = errorOf(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]));
    expect(e.message).toBe('add operation does not apply: doc is missing path: "/baz/bat": missing value');
  });
  it('A.13 invalid JSON patch document (duplicate "op": the last one wins, remove fails)', () => {
    const { patch } = decodePatch('application/json-patch+json', '[{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }]');
    const e = errorOf(() => applyJsonPatch({ foo: 'bar' }, patch));
    expect(e.message).toBe("error in remove for path: '/baz': Unable to remove nonexistent key: baz: missing value");
  });
  it('A.14 ~ escape ordering', () => {
    const doc = { '/': 9, '~1': 10 };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/~01', value: 10 }])).toEqual(doc);
  });
  it('A.15 comparing strings and numbers', () => {
    const e = errorOf(() => applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }]));
    expect(e.message).toBe('testing value /~01 failed: test failed');
  });
  it('A.16 adding an array value', () => {
    expect(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({
      foo: ['bar', ['abc', 'def']],
    });
  });
});

describe('applyJsonPatch: Kubernetes usage and errors', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/a': 'x' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }] },
  };

  it('kubectl patch --type=json: replace image, add label with an escaped key, append a container', () => {
    const out = applyJsonPatch(pod, [
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.25' },
      { op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' },
      { op: 'remove', path: '/metadata/annotations/example.com~1a' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'sidecar', image: 'busybox' } },
    ]);
    expect(out).toEqual({
      ...pod,
      metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'web' }, annotations: {} },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox' }] },
    });
    expect(pod.spec.containers).toHaveLength(1); // not mutated
  });

  it('replace of a missing path uses the evanphx wording', () => {
    expect(errorOf(() => applyJsonPatch(pod, [{ op: 'replace', path: '/spec/foo/bar', value: 1 }])).message).toBe(
      'replace operation does not apply: doc is missing path: /spec/foo/bar: missing value',
    );
    // RFC 6902 §4.3: the target location MUST exist (evanphx v4 would silently add it)
    expect(errorOf(() => applyJsonPatch(pod, [{ op: 'replace', path: '/spec/foo', value: 1 }])).message).toBe(
      'replace operation does not apply: doc is missing key: /spec/foo: missing value',
    );
  });

  it('is atomic: a failing test leaves nothing applied', () => {
    const doc = { a: 1 };
    const e = errorOf(() =>
      applyJsonPatch(doc, [
        { op: 'replace', path: '/a', value: 2 },
        { op: 'test', path: '/a', value: 1 },
      ]),
    );
    expect(e.reason).toBe('Invalid');
    expect(doc).toEqual({ a: 1 });
  });

  it('array index errors', () => {
    expect(errorOf(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/5', value: 0 }])).message).toBe(
      "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced",
    );
    expect(errorOf(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/01', value: 0 }])).message).toContain(
      "value was not a proper array index: '01'",
    );
    expect(errorOf(() => applyJsonPatch({ a: [1] }, [{ op: 'remove', path: '/a/-1' }])).message).toContain('invalid index');
    expect(applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/1', value: 2 }])).toEqual({ a: [1, 2] });
  });

  it('copy deep-copies, move into own child is refused, move onto itself is a no-op', () => {
    const out = applyJsonPatch({ a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }]) as { a: { b: number[] }; c: { b: number[] } };
    expect(out).toEqual({ a: { b: [1] }, c: { b: [1] } });
    expect(out.a.b).not.toBe(out.c.b);
    expect(errorOf(() => applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b' }])).status).toBe(422);
    expect(applyJsonPatch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: 1 });
    expect(errorOf(() => applyJsonPatch({}, [{ op: 'copy', from: '/x', path: '/y' }])).message).toBe(
      'copy operation does not apply: doc is missing from path: /x: missing value',
    );
  });

  it('whole-document operations and pointer syntax', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }])).toEqual({ a: 1 });
    expect(applyJsonPatch({ '': { '': 1 } }, [{ op: 'replace', path: '//', value: 2 }])).toEqual({ '': { '': 2 } });
    expect(parsePointer('/a~1b/m~0n')).toEqual(['a/b', 'm~n']);
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c');
    expect(errorOf(() => applyJsonPatch({}, [{ op: 'add', path: 'a', value: 1 }])).status).toBe(422);
  });

  it('malformed operations', () => {
    expect(errorOf(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).message).toBe('Unexpected kind: frobnicate');
    expect(errorOf(() => applyJsonPatch({}, [{ op: 'add', path: '/a' }])).message).toContain('missing value field');
    expect(errorOf(() => applyJsonPatch({}, [{ op: 'remove' }])).message).toContain('missing path field');
    expect(errorOf(() => applyJsonPatch({}, { op: 'add' })).status).toBe(400);
    expect(errorOf(() => applyJsonPatch({}, ['add'])).status).toBe(400);
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/b', value: null }])).toEqual({ a: 1, b: null });
  });

  it('refuses more than 10000 operations with 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} }));
    const e = errorOf(() => applyJsonPatch({}, ops));
    expect(e.status).toBe(413);
    expect(e.message).toBe('The allowed number of operations in a JSON patch is 10000, got 10001');
  });
});

import { describe, expect, it } from 'vitest';
import { decodePatch, PatchError, patchTypeForContentType } from '../../../../runtime/apiserver/patch/index.ts';

function errorOf(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a PatchError');
}

describe('decodePatch', () => {
  it('dispatches on the four PATCH media types (parameters and case ignored)', () => {
    expect(decodePatch('application/json-patch+json', '[{"op":"remove","path":"/a"}]')).toEqual({
      type: 'json',
      patch: [{ op: 'remove', path: '/a' }],
    });
    expect(decodePatch('application/merge-patch+json; charset=utf-8', '{"a":null}')).toEqual({ type: 'merge', patch: { a: null } });
    expect(decodePatch('Application/Strategic-Merge-Patch+JSON', '{"spec":{}}')).toEqual({ type: 'strategic', patch: { spec: {} } });
    expect(patchTypeForContentType('application/apply-patch+yaml')).toBe('apply');
    expect(patchTypeForContentType('application/json')).toBeUndefined();
  });

  it('apply bodies: kubectl sends JSON; YAML works too', () => {
    const json = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"}}';
    expect(decodePatch('application/apply-patch+yaml', json).patch).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } });
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    on: "yes"\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
    expect(decodePatch('application/apply-patch+yaml', yaml).patch).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { on: 'yes' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
  });

  it('refuses unknown media types with 415', () => {
    for (const ct of ['application/json', 'text/plain', '', 'application/apply-patch+cbor']) {
      const e = errorOf(() => decodePatch(ct, '{}'));
      expect(e.status).toBe(415);
      expect(e.reason).toBe('UnsupportedMediaType');
      expect(e.message).toBe(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
      );
    }
  });

  it('refuses bodies that do not parse or have the wrong shape with 400', () => {
    expect(errorOf(() => decodePatch('application/merge-patch+json', '{')).status).toBe(400);
    expect(errorOf(() => decodePatch('application/json-patch+json', '{"op":"add"}')).message).toBe(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
    expect(errorOf(() => decodePatch('application/strategic-merge-patch+json', '[]')).status).toBe(400);
    expect(errorOf(() => decodePatch('application/apply-patch+yaml', '- a\n- b\n')).status).toBe(400);
    expect(errorOf(() => decodePatch('application/apply-patch+yaml', 'a: 1\na: 2\n')).status).toBe(400); // duplicate key
    expect(errorOf(() => decodePatch('application/apply-patch+yaml', 'a: 1\n---\nb: 2\n')).status).toBe(400); // two documents
    expect(errorOf(() => decodePatch('application/apply-patch+yaml', 'a: .inf\n')).status).toBe(400);
    // RFC 7386 allows any JSON value as a merge patch
    expect(decodePatch('application/merge-patch+json', '"x"').patch).toBe('x');
  });
});

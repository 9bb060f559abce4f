// `-o json` as kubectl prints it (encoding/json MarshalIndent of the decoded object).
import { describe, expect, it } from 'vitest';
import { goJson } from '../../lib/kubectl/json.ts';

describe('goJson (kubectl -o json)', () => {
  it('prints JSON as encoding/json MarshalIndent: 4 spaces, sorted keys, HTML-escaped', () => {
    expect(goJson({ b: [1, 'x'], a: { c: '<a&b>' }, e: [], d: {} })).toBe('{\n    "a": {\n        "c": "\\u003ca\\u0026b\\u003e"\n    },\n    "b": [\n        1,\n        "x"\n    ],\n    "d": {},\n    "e": []\n}\n');
  });

  it('escapes controls as encoding/json does and leaves out undefined fields', () => {
    expect(goJson({ s: 'a\tb\u0001\u2028"\\', u: undefined, n: 1.5, z: null })).toBe('{\n    "n": 1.5,\n    "s": "a\\tb\\u0001\\u2028\\"\\\\",\n    "z": null\n}\n');
    expect(goJson('x')).toBe('"x"\n');
  });
});

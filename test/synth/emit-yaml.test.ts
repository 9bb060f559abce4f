import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { toYamlDocument, toYamlStream, yamlScalar } from '../../lib/synth/emit-yaml.ts';

// Strings a YAML reader could take for something else; each must come back as the same string
// under both YAML 1.2 (core) and YAML 1.1 (what many Kubernetes tools still use).
const TRICKY = [
  '', ' ', 'yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'False', 'null', '~', 'NULL', '<<', '=',
  '8080', '-1', '+1', '0x1F', '0o17', '017', '0b101', '1e3', '1E-3', '1.5', '.5', '5.', '1_000',
  '.inf', '-.Inf', '.nan', '1:20', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  'a: b', 'a:b', 'key:', '#comment', 'a #b', 'a#b', '- x', '-x', '? x', '{a}', '[a]', '*a', '&a',
  '!tag', '%x', '@x', '`x', '"q"', "'q'", 'line\nbreak', 'tab\there', 'trailing ', ' leading',
  'ünïcödé', 'emoji 🚀', 'C:\\path', 'a,b', '|', '>', '128Mi', '250m', '1Gi', 'http://x.y/z?a=b&c',
  'app.kubernetes.io/name', '/usr/local/bin/apachectl', '$HOME', '\u0000', '\u2028',
];

describe('emit-yaml', () => {
  it.each(TRICKY)('round-trips %j as a string under YAML 1.2 and 1.1', (s) => {
    const text = toYamlDocument({ [s || 'k']: s, list: [s] });
    for (const version of ['1.2', '1.1'] as const) {
      const back = parse(text, { version });
      expect(back).toEqual({ [s || 'k']: s, list: [s] });
    }
  });

  it('writes common Kubernetes values plainly', () => {
    for (const s of ['128Mi', '250m', 'nginx:1.25', 'app.kubernetes.io/name', '/status/', 'TCP', 'my-db.prod.svc.cluster.local']) {
      expect(yamlScalar(s)).toBe(s);
    }
    expect(yamlScalar('8080')).toBe('"8080"');
    expect(yamlScalar('1e3')).toBe('"1e3"');
  });

  it('keeps numbers, booleans, null, empty collections and nesting', () => {
    const value = {
      a: 1, b: -2.5, c: true, d: false, e: null, f: {}, g: [], h: [[1, 2], [], {}],
      i: [{ x: 1, y: [{ z: 'q' }] }, 'str', 3], j: { k: { l: { m: 'deep' } } },
    };
    expect(parse(toYamlDocument(value))).toEqual(value);
  });

  it('emits keys in the object\'s own order and skips undefined', () => {
    expect(toYamlDocument({ z: 1, a: 2, u: undefined, m: 3 })).toBe('z: 1\na: 2\nm: 3\n');
  });

  it('writes a multi-document stream that parses back to the same documents', () => {
    const docs = [{ kind: 'A', n: 1 }, { kind: 'B', list: ['x', 'yes'] }, { kind: 'C' }];
    const back = parseAllDocuments(toYamlStream(docs)).map((d) => d.toJS());
    expect(back).toEqual(docs);
  });

  it('round-trips generated random JSON values', () => {
    // A small deterministic generator (no Math.random: failures must reproduce).
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const pieces = ['a', 'B', '0', '1', '.', '-', ':', ' ', '#', 'e', 'x', 'y', 'n', '/', '"', "'", '\\', '\n', '~', '_', 'ü'];
    const str = () => Array.from({ length: rnd(6) }, () => pieces[rnd(pieces.length)]).join('');
    const gen = (depth: number): unknown => {
      const t = rnd(depth > 3 ? 4 : 6);
      if (t === 0) return str();
      if (t === 1) return rnd(2000) - 1000;
      if (t === 2) return rnd(2) === 0;
      if (t === 3) return rnd(10) === 0 ? null : str();
      if (t === 4) return Array.from({ length: rnd(4) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str() || 'k', gen(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const v = { root: gen(0) };
      expect(parse(toYamlDocument(v))).toEqual(v);
    }
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFastYaml, strictOptions } from '../../lib/synth/fast-yaml.ts';
import { toYamlStream } from '../../lib/synth/emit-yaml.ts';
import { parseYaml, parseYamlStrict, splitPath } from '../../lib/synth/parse-yaml.ts';
import { mulberry32 } from '../support/prng.ts';

// Differential test: wherever the fast reader accepts a file, parseYaml must give exactly what
// the `yaml` library alone gives (values, document indexes, positions of every field, no
// diagnostics); wherever it gives up, parseYaml is the strict parse itself.

const ROOT = join(import.meta.dirname, '..', '..');
const OPTIONS = strictOptions(new Set(['binary', 'omap', 'pairs', 'set', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`)));

/** Every field path of a value (as diagnostics name them), plus a missing child of each node. */
function pathsOf(value: unknown, prefix = ''): string[] {
  const out = [prefix, `${prefix}${prefix ? '.' : ''}missing`];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...pathsOf(v, `${prefix}[${i}]`)));
    out.push(`${prefix}[${value.length}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, /^[A-Za-z0-9_-]+$/.test(k) ? `${prefix}${prefix ? '.' : ''}${k}` : `${prefix}[${k}]`));
  }
  return out;
}

/** Same value, also telling -0 from 0, NaN by itself, and number from string. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (typeof a === 'object' && a !== null) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

/** Checks one text both ways; returns whether the fast reader took it. */
function differential(text: string, file = 'f.yaml'): boolean {
  const accepted = readFastYaml(text, OPTIONS) !== undefined;
  const fast = parseYaml(text, file);
  const strict = parseYamlStrict(text, file);
  const where = `${file}:\n${text.slice(0, 400)}`;
  expect(fast.diagnostics, where).toEqual(strict.diagnostics);
  expect(fast.documents.map((d) => d.index), where).toEqual(strict.documents.map((d) => d.index));
  fast.documents.forEach((d, i) => {
    const s = strict.documents[i]!;
    expect(d.file).toBe(s.file);
    if (!same(d.value, s.value)) expect(d.value, where).toEqual(s.value); // the diff when they differ
    expect(same(d.value, s.value), `${where}\n${JSON.stringify(d.value)} vs ${JSON.stringify(s.value)}`).toBe(true);
    for (const p of pathsOf(s.value)) expect(d.locate(p), `${where}\nlocate(${p})`).toEqual(s.locate(p));
  });
  return accepted;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ya?ml|json)$/.test(name) ? [p] : [];
  });
}

describe('fast YAML reader against the yaml library', () => {
  it('agrees on every fixture file and reads the plain ones itself', () => {
    const files = filesUnder(join(ROOT, 'test', 'fixtures'));
    expect(files.length).toBeGreaterThan(10);
    const accepted = files.filter((f) => differential(readFileSync(f, 'utf8'), f));
    // The seed is plain block YAML: the fast reader must take (nearly) all of it.
    expect(accepted.length).toBeGreaterThan(files.length / 2);
  });

  it('reads what kite synth writes (the plan bench YAML) and agrees on it', () => {
    const objects = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }];
    for (let i = 0; i < 50; i++) {
      const labels = { 'app.kubernetes.io/instance': `bench-app-${i}`, 'app.kubernetes.io/managed-by': 'kite', 'app.kubernetes.io/name': `app-${i}` };
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: 'bench', labels }, spec: { ports: [{ name: 'http', port: 8080, targetPort: 'http' }], selector: labels } } as never);
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `app-${i}`, namespace: 'bench', labels, annotations: { 'kite.dev/x': 'true', empty: '', num: '0777' } },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: `app-${i}`, image: 'nginx:1.25', args: ['--a=1', 'x y', '-v', 'yes', '1e3', '1.5', ''], ports: [{ containerPort: 8080 }], env: [] }] } } },
      } as never);
    }
    expect(differential(toYamlStream(objects))).toBe(true);
  });

  it('agrees on kubectl-style layout: sequences at their key\'s indent, comments, quotes', () => {
    const text = [
      '# a header comment',
      '---',
      'apiVersion: v1   # trailing',
      'kind: ConfigMap',
      'metadata:',
      '  name: cm',
      '  annotations:',
      "    a: 'it''s'",
      '    b: "tab\\tnew\\nline \\u00e9"',
      '    c: plain with spaces',
      'data:',
      '  list:',
      '  - x',
      '  -   name: y',
      '      v: 1',
      '  - {}',
      '  - []',
      '  empty: {}',
      '---',
      '---',
      '- 1',
      '- two',
      '---',
      'a: # a comment, then the block',
      '  b:',
      '  - c: 1',
      '    d:',
      '      - e',
      '  f: x # comment',
      '  g: "q" # comment',
      "  h: 'q'   # comment",
      '  i: a#b',
      '  j: -x',
      '  k:',
      '    - - nested',
      '',
    ].join('\n');
    expect(differential(text)).toBe(false); // the nested `- -` item sends it to the library
    expect(differential(text.replace('- - nested', '- plain'))).toBe(true);
  });

  it('agrees on generated documents of tricky scalars and structures', () => {
    // In the fast reader's subset (resolved by the library's own YAML 1.1 tags)…
    const scalars = [
      'yes', 'Yes', 'no', 'NO', 'on', 'Off', 'y', 'n', 'true', 'False', 'null', '~', 'Null',
      '0777', '0o17', '0x1F', '0b101', '1_000', '+12', '-0', '0', '00', '1e3', '1E-2', '.5', '-1.5', '1.', '6.8523015e+5',
      '.inf', '-.Inf', '.nan', '190:20:30', '1:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '=', '<<',
      'nginx:1.25', 'a b', 'a#b', 'a # comment', 'a:b', 'http://x/y?z=1&w', '-x', '--flag=1', '100m', '128Mi', '1Gi',
      '"quoted"', "'single'", '"0777"', "'yes'", '"a\\"b"', '"é"', 'é', 'a,b', 'a[0]', '{}', '[]', 'a # comment',
      '12345678901234567890', '9007199254740993', '0.1e1', "'it''s'", '"\\u00e9\\n"',
    ];
    // …and outside it (the whole file goes to the library).
    const outside = [
      '"\\x41"', '"\\/"', '@x', '`x', '%x', '&anchor x', '*alias', '!tag x', '!!str 1', '|', '>', '[1, 2]', '{a: 1}', '?', ':', '-', 'a: b', 'a:', '"\\u00"', "'unterminated", '"unterminated',
    ];
    const keys = ['name', 'app.kubernetes.io/name', 'x_y', '$ref', 'k8s/x', 'a-b', 'A1'];
    const outsideKeys = ['yes', 'on', '1', '0777', 'null', '"q"', "'q'", '__proto__', 'a b', '-k', '<<'];
    const rand = mulberry32(15);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const scalar = () => pick(rand() < 0.01 ? outside : scalars);
    const node = (indent: string, depth: number): string[] => {
      const lines: string[] = [];
      const used = new Set<string>();
      const n = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        let key = pick(rand() < 0.01 ? outsideKeys : keys);
        if (used.has(key) && rand() < 0.9) key = `k${i}`;
        used.add(key);
        const r = rand();
        if (depth < 3 && r < 0.25) lines.push(`${indent}${key}:`, ...node(indent + '  ', depth + 1));
        else if (depth < 3 && r < 0.45) {
          const seqIndent = rand() < 0.5 ? indent : indent + '  ';
          lines.push(`${indent}${key}:`);
          for (let j = 0; j < 1 + Math.floor(rand() * 3); j++) {
            if (rand() < 0.4) {
              const inner = node(seqIndent + '  ', depth + 1);
              lines.push(`${seqIndent}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
            } else lines.push(`${seqIndent}- ${scalar()}`);
          }
        } else lines.push(`${indent}${key}: ${scalar()}`);
        if (rand() < 0.05) lines.push(`${indent}# a comment`);
        if (rand() < 0.03) lines.push('');
      }
      return lines;
    };
    let accepted = 0;
    for (let c = 0; c < 400; c++) {
      const docs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => node('', 0).join('\n'));
      const text = (rand() < 0.3 ? '---\n' : '') + docs.join(rand() < 0.8 ? '\n---\n' : '\n---\n---\n') + (rand() < 0.5 ? '\n' : '');
      if (differential(text, `case-${c}.yaml`)) accepted++;
    }
    // Both paths are exercised: most cases have some scalar the fast reader leaves to the library.
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(400);
  });

  it('leaves every error to the strict parser (same diagnostics)', () => {
    for (const text of ['a: 1\na: 2\n', 'a: "x\n', 'a: &x 1\nb: *x\n', 'a: !!binary aGk=\n', 'a:\n  - 1\n  b: 2\n', 'a: b: c\n', '%YAML 1.1\n---\na: 1\n', 'a: 1\r\nb: 2\r\n', 'a:\tb\n', 'a: b\u0085c\n', 'a: b\u2028c\n', '\ufeffa: 1\n', 'a: x\u0001\n', 'a: 1\n...\n', 'a: |\n  x\n', 'a: >-\n  x\n', 'a: b\n  c\n', '- - 1\n', 'a:\nb: 1\n']) {
      expect(readFastYaml(text, OPTIONS), text).toBeUndefined();
      differential(text);
    }
  });

  it('locates fields as the strict parser does, down to the nearest existing parent', () => {
    const text = 'kind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n';
    const [doc] = parseYaml(text, 'p.yaml').documents;
    expect(doc!.locate('spec.containers[0].image')).toEqual({ line: 5, col: 12 });
    expect(doc!.locate('spec.containers[0].ports[0]')).toEqual({ line: 4, col: 5 });
    expect(splitPath('spec.containers[0].image')).toEqual(['spec', 'containers', 0, 'image']);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, parseYaml, splitPath } from '../../lib/synth/parse-yaml.ts';

describe('parseYaml', () => {
  it('reads every document of a stream and skips empty ones', () => {
    const r = parseYaml('a: 1\n---\n# only a comment\n---\nb: [1, 2]\n---\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: [1, 2] }]);
    expect(r.documents.map((d) => d.index)).toEqual([0, 2]);
  });

  it('rejects duplicate keys with file:line:col', () => {
    const r = parseYaml('kind: Pod\nmetadata:\n  name: a\n  name: b\n', 'dup.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml', file: 'dup.yaml', line: 4, col: 3 }]);
    expect(r.diagnostics[0]!.message).toMatch(/unique/);
  });

  it('reports syntax errors with their position', () => {
    const r = parseYaml('kind: Pod\nmetadata:\n  name: "unterminated\n', 'bad.yaml');
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml', file: 'bad.yaml' });
    expect(r.diagnostics[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses custom tags instead of resolving them', () => {
    const r = parseYaml('kind: !!js/function "function(){}"\n', 'tag.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics[0]!.message).toMatch(/tag/);
  });

  it('bounds alias expansion (billion laughs)', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = parseYaml(lines.join('\n') + '\n', 'bomb.yaml');
    expect(r.documents).toEqual([]);
    expect(r.diagnostics[0]!.message).toContain(`more than ${MAX_ALIAS_COUNT}`);
  });

  it('allows a few ordinary aliases', () => {
    const r = parseYaml('labels: &l {app: web}\nselector: *l\n', 'ok.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.documents[0]!.value).toEqual({ labels: { app: 'web' }, selector: { app: 'web' } });
  });

  it('locates field paths, falling back to the deepest existing parent', () => {
    const text = 'kind: Service\nspec:\n  ports:\n    - port: 0\n      name: a\n';
    const doc = parseYaml(text, 's.yaml').documents[0]!;
    expect(doc.locate('spec.ports[0].port')).toEqual({ line: 4, col: 13 });
    expect(doc.locate('spec.ports[0].name')).toEqual({ line: 5, col: 13 });
    expect(doc.locate('spec.ports[0].nodePort')).toEqual({ line: 4, col: 7 });
    expect(doc.locate('')).toEqual({ line: 1, col: 1 });
  });

  it('splits field paths', () => {
    expect(splitPath('spec.containers[0].ports[12].name')).toEqual(['spec', 'containers', 0, 'ports', 12, 'name']);
    expect(splitPath('')).toEqual([]);
  });
});

// Every deliberately broken manifest fails `kite validate` with exit 1 and a message naming the
// file and line, the object and the field path (each file's first line says what to expect: the
// API server's words, with list indexes; a second `# kite:` line where kite's CLI names list items
// by key, as plans do).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runKite } from './support/kite.ts';

function corpus(dir: string): { file: string; expected: string }[] {
  return readdirSync(join(REPO, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const [header, second] = readFileSync(join(REPO, dir, f), 'utf8').split('\n');
      const expected = /^# expect: (.*)$/.exec(header ?? '')?.[1];
      if (!expected) throw new Error(`${dir}/${f}: first line must be "# expect: <text>"`);
      return { file: `${dir}/${f}`, expected: /^# kite: (.*)$/.exec(second ?? '')?.[1] ?? expected };
    });
}

const objects = corpus('test/fixtures/broken');
const yaml = corpus('test/fixtures/broken-yaml');

describe('kite validate on broken manifests', () => {
  it('has a corpus of 30+ broken objects and the YAML-level cases', () => {
    expect(objects.length).toBeGreaterThanOrEqual(30);
    expect(yaml.length).toBeGreaterThanOrEqual(5);
  });

  it.each(objects)('$file', async ({ file, expected }) => {
    const r = await runKite(['validate', file]);
    expect(r.code).toBe(1);
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // file:line:col: [ns/]Kind/name: <path>: <reason>
    expect(r.stderr).toMatch(new RegExp(`^${escaped}:\\d+:\\d+: ([a-z0-9-]+/)?[A-Za-z]+/[^:]+: `, 'm'));
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(yaml)('$file', async ({ file, expected }) => {
    const r = await runKite(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
    expect(r.stderr).toContain(expected);
  });

  it('reports every problem of a file at once and writes nothing on synth', async () => {
    const files = objects.slice(0, 5).map((o) => o.file);
    const r = await runKite(['validate', ...files]);
    expect(r.code).toBe(1);
    for (const f of files) expect(r.stderr).toContain(f);
    const s = await runKite(['synth', files[0]!, '--output', 'test/.work/never']);
    expect(s.code).toBe(1);
    expect(existsSync(join(REPO, 'test/.work/never'))).toBe(false);
  });
});

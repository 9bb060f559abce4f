// A program run in its box tells its stacks' names before their objects are validated (the plan
// reads the cluster meanwhile), and then the validated stacks.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProgram } from '../../lib/synth/load-program.ts';
import { scratchDir, writeFiles } from '../support/kite.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('loadProgram', () => {
  it("reports the exported stacks' names first, then their validated manifests", async () => {
    const dir = await scratchDir();
    dirs.push(dir);
    await writeFiles(dir, {
      'two.ts': `import { Stack, Namespace } from 'kite';
const a = new Stack('first');
new Namespace(a, 'one');
const b = new Stack('second');
new Namespace(b, 'two');
export default [a, b];
export const again = a;
`,
    });
    const seen: string[] = [];
    const result = await loadProgram(join(dir, 'two.ts'), {
      onStackNames: (names) => seen.push(`names ${names.join(',')}`),
      output: (text) => seen.push(`output ${text}`),
    });
    seen.push('result');
    expect(result.diagnostics).toEqual([]);
    expect(result.stacks.map((s) => [s.name, s.manifests.map((m) => m.object.metadata.name)])).toEqual([
      ['first', ['one']],
      ['second', ['two']],
    ]);
    expect(seen).toEqual(['names first,second', 'result']);
  });

  it('sends the validated objects a part at a time before the result, each once, the result in document order', async () => {
    const dir = await scratchDir();
    dirs.push(dir);
    await writeFiles(dir, {
      'many.ts': `import { ApiObject, Stack } from 'kite';
const s = new Stack('many');
for (let i = 1200; i > 0; i--) {
  const name = 'cm-' + String(i).padStart(4, '0');
  new ApiObject(s, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
}
export default s;
`,
    });
    const parts: Array<{ stack: string; names: string[] }> = [];
    let resolved = false;
    const objects = new Set<unknown>();
    const result = await loadProgram(join(dir, 'many.ts'), {
      onManifests: (stack, manifests) => {
        expect(resolved).toBe(false);
        parts.push({ stack, names: manifests.map((m) => m.object.metadata.name!) });
        for (const m of manifests) objects.add(m.object);
      },
    });
    resolved = true;
    expect(result.diagnostics).toEqual([]);
    expect(parts.map((p) => [p.stack, p.names.length])).toEqual([
      ['many', 500],
      ['many', 500],
      ['many', 200],
    ]);
    expect(parts[0]!.names[0]).toBe('cm-1200');
    const names = result.stacks[0]!.manifests.map((m) => m.object.metadata.name!);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(1200);
    // The result holds the very objects sent in the parts.
    expect(result.stacks[0]!.manifests.every((m) => objects.has(m.object))).toBe(true);
  });
});

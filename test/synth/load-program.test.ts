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
});

// Each seed scenario has a program in examples/ whose synthesized output is the seed manifest
// after normalisation (apiVersion conversion, key order): the DSL can say everything the seed says.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInput } from '../lib/synth/load-input.ts';
import { REPO, SEED } from './support/kite.ts';

const scenarios = readdirSync(SEED)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

describe('examples reproduce the seed', () => {
  it('covers every seed scenario', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(9);
    const examples = readdirSync(join(REPO, 'examples'));
    for (const s of scenarios) expect(examples).toContain(s);
  });

  it.each(scenarios)('%s', async (name) => {
    const fromProgram = await loadInput(join(REPO, 'examples', name, 'stack.ts'));
    const fromSeed = await loadInput(join(SEED, `${name}.yaml`));
    // The seed does not follow every best practice: the program warns exactly where the seed does.
    expect(fromProgram.diagnostics.filter((d) => d.code !== 'policy')).toEqual([]);
    expect(fromSeed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const policy = (r: typeof fromSeed) => r.diagnostics.filter((d) => d.code === 'policy').map((d) => `${d.severity} ${d.object} ${d.path} ${d.message}`);
    expect(policy(fromProgram)).toEqual(policy(fromSeed));
    const objects = (r: typeof fromSeed) => r.stacks.flatMap((s) => s.manifests.map((m) => m.object));
    expect(objects(fromProgram)).toEqual(objects(fromSeed));
    // Equal as YAML text too: same key order, same document order.
    expect(JSON.stringify(objects(fromProgram))).toBe(JSON.stringify(objects(fromSeed)));
  });
});

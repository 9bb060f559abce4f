// `kite import` then synth yields the input objects (after normalisation) for every seed
// manifest, the seed directory, and a generated set of 200 objects: the import's hard rule.
import { readdirSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { importStack } from '../../lib/import/import-stack.ts';
import { loadInput } from '../../lib/synth/load-input.ts';
import type { LoadResult } from '../../lib/synth/manifest.ts';
import { SEED, scratchDir } from '../support/kite.ts';
import { generateManifests } from './generated-manifests.ts';

let dir: string;
beforeAll(async () => {
  dir = await scratchDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errors = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'error');
const objects = (r: LoadResult) => r.stacks.flatMap((s) => s.manifests.map((m) => m.object));

/** Imports the YAML at `input`, writes the program into the scratch dir, loads it back; returns both sides. */
async function roundTrip(input: string, programName: string): Promise<{ yaml: LoadResult; program: LoadResult; text: string }> {
  const yaml = await loadInput(input);
  expect(errors(yaml)).toEqual([]);
  const imported = importStack(yaml.stacks[0]!, input);
  expect(imported.diagnostics).toEqual([]);
  const file = join(dir, `${programName}.ts`);
  await writeFile(file, imported.text);
  // With the type check: the program must compile against kite's published declarations.
  const program = await loadInput(file);
  return { yaml, program, text: imported.text };
}

function expectSameObjects(a: LoadResult, b: LoadResult): void {
  expect(errors(b)).toEqual([]);
  expect(b.stacks.map((s) => s.name)).toEqual(a.stacks.map((s) => s.name));
  // Same set of objects, whatever their order.
  const key = (o: { kind: string; metadata: { namespace?: string | undefined; name?: string | undefined } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const sort = <T extends Parameters<typeof key>[0]>(xs: T[]) => [...xs].sort((x, y) => (key(x) < key(y) ? -1 : 1));
  expect(sort(objects(b))).toEqual(sort(objects(a)));
}

const seeds = readdirSync(SEED).filter((f) => f.endsWith('.yaml'));

describe('import round trip', () => {
  it.each(seeds)('seed %s', async (seed) => {
    const { yaml, program } = await roundTrip(join(SEED, seed), seed.replace(/\.yaml$/, ''));
    expectSameObjects(yaml, program);
  });

  it('the seed directory at once', async () => {
    // node-js-rc.yaml and node-js-health-rc.yaml both define ReplicationController/node-js, which
    // `kite validate` refuses for the directory as a whole; the rest are imported together.
    const seedDir = join(dir, 'seed');
    await mkdir(seedDir);
    for (const f of seeds.filter((f) => f !== 'node-js-health-rc.yaml')) await copyFile(join(SEED, f), join(seedDir, f));
    const { yaml, program, text } = await roundTrip(seedDir, 'seed-dir');
    expect(objects(yaml).length).toBeGreaterThan(seeds.length);
    expectSameObjects(yaml, program);
    expect(text).toContain("new Stack('seed')");
  });

  it('200 generated objects, deterministically the same program', async () => {
    const manifests = generateManifests(200, 14, 'generated');
    expect(manifests.length).toBeGreaterThanOrEqual(200);
    const input = join(dir, 'generated.yaml');
    await writeFile(input, manifests.map((m) => stringify(m)).join('---\n'));
    const { yaml, program, text } = await roundTrip(input, 'generated-program');
    expect(objects(yaml).length).toBe(manifests.length);
    expectSameObjects(yaml, program);
    // Every pattern shows up in the program.
    for (const used of ['new App(', '.expose(', 'new ExternalDb(', 'selects: ', "new Namespace(stack, 'team-a', { labels: { team: 'a' } })", "Namespace.existing(stack, 'shared')", 'new ApiObject(', 'new Endpoints(', 'new ReplicationController(', 'new Pod(']) {
      expect(text).toContain(used);
    }
    expect(text).toMatch(/^const \w+Labels = \{/m);
    expect(importStack(yaml.stacks[0]!, input).text).toBe(text);
  }, 120_000);
});

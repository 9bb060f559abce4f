import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../lib/synth/manifest.ts';
import { loadManifestTexts, manifestFileStack } from '../../lib/synth/load-input.ts';

/** `n` ConfigMaps, one YAML document each; `broken` ones have a number for a name. */
function configMaps(n: number, broken: ReadonlySet<number> = new Set()): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${broken.has(i) ? '12' : `cm-${String(i).padStart(4, '0')}`}\n  namespace: ns\ndata:\n  k: v${i}\n`);
  }
  return docs.join('---\n');
}

describe('loadManifestTexts', () => {
  it('tells the valid objects a part at a time, and returns what validating them all at once would', async () => {
    // 1,201 documents: three parts; a duplicate in the last part of one in the first, an invalid one in the second.
    const text = `${configMaps(1200, new Set([700]))}---\n${configMaps(1)}`;
    const parts: Manifest[][] = [];
    const told = await loadManifestTexts([{ file: 'many.yaml', text }], 'many', { bestPractices: 'off', onManifests: (stack, m) => (expect(stack).toBe('many'), parts.push([...m])) });
    const quiet = await loadManifestTexts([{ file: 'many.yaml', text }], 'many', { bestPractices: 'off' });

    expect(parts.map((p) => p.length)).toEqual([500, 499, 200]);
    expect(told.stacks[0]!.manifests).toHaveLength(1199);
    expect(new Set(parts.flat())).toEqual(new Set(told.stacks[0]!.manifests));
    expect(told.stacks[0]!.manifests.map((m) => m.object)).toEqual(quiet.stacks[0]!.manifests.map((m) => m.object));
    expect(told.diagnostics).toEqual(quiet.diagnostics);
    expect(told.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.path}`)).toEqual(['many.yaml:5604 invalid-type metadata.name', 'many.yaml:9604 duplicate-object metadata.name']);
  });
});

describe('manifestFileStack', () => {
  it("names a manifest file's stack before reading it, as loadInput does; a program has none", () => {
    expect(manifestFileStack('dir/shop.k8s.yaml')).toBe('shop.k8s');
    expect(manifestFileStack('shop.yml', 'web')).toBe('web');
    expect(manifestFileStack('list.json')).toBe('list');
    expect(manifestFileStack('app.ts')).toBeUndefined();
  });
});

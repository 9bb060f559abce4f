import { describe, expect, it } from 'vitest';
import { loadManifestTexts } from '../../lib/synth/load-input.ts';
import type { Manifest } from '../../lib/synth/manifest.ts';
import { validateInParts } from '../../lib/synth/validate-in-parts.ts';
import { validateManifests, type RawManifest } from '../../lib/synth/validate-manifests.ts';

/** 600 ConfigMaps (more than one part), one invalid, one defined twice. */
function raws(): RawManifest[] {
  const out: RawManifest[] = [];
  for (let i = 0; i < 600; i++) {
    const name = i === 7 ? 'Not_Valid' : i === 400 ? 'cm-3' : `cm-${i}`;
    out.push({ value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { i: String(i) } }, origin: { file: 'f.yaml', line: i + 1, col: 1 } });
  }
  return out;
}

describe('validateInParts', () => {
  it('gives validateManifests\' manifests, diagnostics and order, and tells each valid object once, in parts', async () => {
    const parts: (readonly Manifest[])[] = [];
    const inParts = await validateInParts(raws(), (part) => parts.push(part));
    const atOnce = validateManifests(raws());
    expect(inParts).toEqual(atOnce);
    expect(inParts.diagnostics).toHaveLength(2);
    expect(inParts.diagnostics.map((d) => d.code)).toContain('duplicate-object');
    expect(parts.length).toBeGreaterThan(1);
    // The very objects of the result (a plan begun on them is looked up by identity).
    const told = parts.flat().map((m) => m.object);
    expect(told).toHaveLength(598);
    expect(new Set(told)).toEqual(new Set(inParts.manifests.map((m) => m.object)));
  });

  it('lets loadManifestTexts start the plan of YAML input before its objects are all validated', async () => {
    const text = raws().map((r) => JSON.stringify(r.value)).join('\n---\n');
    const events: string[] = [];
    const told: Manifest[] = [];
    const result = await loadManifestTexts([{ file: 'f.yaml', text }], 'cms', {
      onStackNames: (names) => events.push(`stacks ${names.join(',')}`),
      onManifests: (stack, part) => {
        events.push(`part ${stack}`);
        told.push(...part);
      },
    });
    const without = await loadManifestTexts([{ file: 'f.yaml', text }], 'cms');
    expect(events[0]).toBe('stacks cms');
    expect(events.length).toBeGreaterThan(2);
    // Same objects and diagnostics (origins hold closures: compared by their positions).
    expect(result.diagnostics).toEqual(without.diagnostics);
    expect(result.stacks[0]!.manifests.map((m) => [m.object, m.origin.line, m.origin.locate?.('data.i')])).toEqual(
      without.stacks[0]!.manifests.map((m) => [m.object, m.origin.line, m.origin.locate?.('data.i')]),
    );
    expect(new Set(told.map((m) => m.object))).toEqual(new Set(result.stacks[0]!.manifests.map((m) => m.object)));
  });
});

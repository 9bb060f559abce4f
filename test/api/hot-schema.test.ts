// The compiled schema (z.compile, used once a kind is hot) against zod's interpreter: the same
// output on valid objects (values and key order) and the same issues on every broken one (the
// compiled parser hands what it does not accept back to the interpreter).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMPILE_AFTER, hotSchema } from '../../lib/api/hot-schema.ts';
import { validateManifest } from '../../lib/api/model.ts';
import { MODELLED_KINDS } from '../../lib/api/registry.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
function docsIn(dir: string): { file: string; doc: unknown }[] {
  return readdirSync(join(fixtures, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => {
      try {
        return parseAllDocuments(readFileSync(join(fixtures, dir, f), 'utf8')).map((d) => ({ file: `${dir}/${f}`, doc: d.toJS() as unknown }));
      } catch {
        return []; // not YAML that parses: not a case for the object model
      }
    });
}
const corpus = [...docsIn('seed'), ...docsIn('broken')];
const kindOf = (doc: unknown) => MODELLED_KINDS.find((k) => k.kind === (doc as { kind?: unknown } | null)?.kind);

describe('hotSchema', () => {
  it('covers valid and broken objects of several kinds', () => {
    const kinds = new Set(corpus.map((c) => kindOf(c.doc)?.kind).filter(Boolean));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    expect(corpus.filter((c) => kindOf(c.doc) && !kindOf(c.doc)!.schema.safeParse(c.doc).success).length).toBeGreaterThan(10);
  });

  // First: the cases below make every kind hot.
  it('validateManifest reports the same before and after a kind is hot', () => {
    const cold = corpus.map((c) => validateManifest(c.doc));
    const onePerKind = [...new Map(corpus.filter((c) => kindOf(c.doc)).map((c) => [kindOf(c.doc)!.kind, c.doc])).values()];
    for (let i = 0; i < COMPILE_AFTER; i++) for (const doc of onePerKind) validateManifest(doc);
    const hot = corpus.map((c) => validateManifest(c.doc));
    expect(JSON.stringify(hot)).toBe(JSON.stringify(cold));
  });

  it('is the schema itself until it is hot, then a compiled one', () => {
    const schema = z.object({ a: z.string() }).strict();
    expect(hotSchema(schema, 3)).toBe(schema);
    expect(hotSchema(schema, 3)).toBe(schema);
    expect(hotSchema(schema, 3)).not.toBe(schema);
  });

  for (const { file, doc } of corpus) {
    const kind = kindOf(doc);
    it.skipIf(!kind)(`${file} (${kind?.kind}): the compiled schema parses as the interpreter does`, () => {
      const compiled = hotSchema(kind!.schema, 1);
      expect(compiled).not.toBe(kind!.schema);
      const a = kind!.schema.safeParse(doc, { reportInput: true });
      const b = compiled.safeParse(doc, { reportInput: true });
      expect(b.success).toBe(a.success);
      if (a.success) expect(JSON.stringify(b.data)).toBe(JSON.stringify(a.data));
      else expect(b.error!.issues).toEqual(a.error!.issues);
    });
  }

});

// The broken-manifest corpus: every file in test/fixtures/broken is one small manifest broken in
// exactly one way; its first line `# expect: <path>: <message substring>` names the error that
// validateManifest must report (the same header the CLI test reads).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../lib/api/model.ts';
import { formatFieldError } from '../../lib/api/field-error.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'broken');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('broken-manifest corpus', () => {
  it('has at least 35 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
  });

  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const header = /^# expect: (.+)$/m.exec(text.split('\n', 1)[0] ?? '');
    // Cases owned by others (YAML-syntax level) may not parse into an object; only ours are checked here.
    it.skipIf(!header)(file, () => {
      const expected = header![1]!;
      const docs = parseAllDocuments(text);
      const results = docs.map((d) => validateManifest(d.toJS()));
      const errors = results.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error');
      const rendered = errors.map(formatFieldError);
      expect(rendered.some((r) => r.includes(expected)), `expected an error containing\n  ${expected}\ngot\n  ${rendered.join('\n  ')}`).toBe(true);
      expect(results.every((r) => r.object === undefined)).toBe(true);
      for (const d of errors) expect(d.object).toMatch(/^([a-z0-9-]+\/)?[A-Za-z]+\/\S+$/);
      // "broken in one way": no pile of unrelated errors
      expect(errors.length, rendered.join('\n')).toBeLessThanOrEqual(2);
    });
  }
});

/**
 * The repository's kite.images.yaml runs every seed example as written (test/examples.test.ts
 * shows examples/ say what the seed says): each image maps to a program that exists, each nfs
 * volume to a directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Volume } from '../../lib/api/kinds/volume.ts';
import { openImageCatalog } from '../../runtime/kubelet/backends/process/images.ts';
import { REPO, SEED } from '../support/kite.ts';

/** Every value under a key named `key`, anywhere in `value`. */
function collect(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => collect(v, key, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) out.push(v);
      collect(v, key, out);
    }
  }
  return out;
}

describe('kite.images.yaml', () => {
  it('maps every image and unprovidable volume of the examples', () => {
    const catalog = openImageCatalog({ cwd: REPO });
    expect(catalog.file).toBe(join(REPO, 'kite.images.yaml'));
    expect(catalog.error).toBeUndefined();
    const images = new Set<string>();
    const volumes: Volume[] = [];
    for (const file of readdirSync(SEED).filter((f) => f.endsWith('.yaml'))) {
      const objects = parseAllDocuments(readFileSync(join(SEED, file), 'utf8')).map((d) => d.toJS());
      for (const image of collect(objects, 'image')) images.add(image as string);
      volumes.push(...(collect(objects, 'volumes').flat() as Volume[]));
    }
    expect([...images].sort()).toEqual(['bitnami/apache:latest', 'jonbaier/node-express-info:latest', 'kuard-amd64:blue']);
    for (const image of images) {
      const r = catalog.resolve(image);
      if (!r.ok) throw new Error(r.message);
      const script = r.program.command.find((a) => a.endsWith('.mjs'));
      expect(script && existsSync(script), `${image} runs ${r.program.command.join(' ')}`).toBe(true);
      for (const argv of Object.values(r.program.executables ?? {})) expect(existsSync(argv[1]!)).toBe(true);
    }
    const nfs = volumes.filter((v) => v.nfs);
    expect(nfs).toHaveLength(1);
    expect(catalog.volumeDirectory(nfs[0]!)).toBe(join(REPO, 'examples/apps/data/exports'));
    expect(existsSync(join(REPO, 'examples/apps/data/exports'))).toBe(true);
  });
});

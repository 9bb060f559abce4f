import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiteDependencySpec } from '../../lib/init/kite-spec.ts';
import { REPO } from '../support/kite.ts';

let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kite-spec-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('kiteDependencySpec', () => {
  it('is ^version for a kite installed from a registry (inside a node_modules)', async () => {
    const root = join(base, 'project/node_modules/kite');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'kite', version: '1.2.3' }));
    expect(kiteDependencySpec(root)).toBe('^1.2.3');
  });

  it('is file:<root> for a source checkout, so the new repo installs this very kite offline', () => {
    expect(kiteDependencySpec(REPO)).toBe(`file:${REPO}`);
  });
});

// lib/kubectl's boundary (architecture: printers and describe may use lib/api and lib/kube,
// never runtime/, lib/plan or the CLI's commands). lib/errors.ts is the leaf every layer shares.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/kite.ts';

async function sourcesOf(entry: string): Promise<string[]> {
  const r = await build({ absWorkingDir: REPO, entryPoints: [entry], bundle: true, write: false, outdir: 'out', format: 'esm', platform: 'node', packages: 'external', metafile: true, logLevel: 'silent' });
  return Object.keys(r.metafile.inputs);
}

describe('lib/kubectl boundary', () => {
  it('reaches only lib/kubectl, lib/api, lib/kube and lib/errors.ts', async () => {
    const sources = await sourcesOf('lib/kubectl/index.ts');
    expect(sources.length).toBeGreaterThan(20);
    expect(sources.filter((s) => !/^lib\/((kubectl|api|kube)\/|errors\.ts$)/.test(s))).toEqual([]);
  });
});

/**
 * The CLI imports lib/kube on every cluster command: @kubernetes/client-node (~0.5 s to import)
 * must stay behind a dynamic import, used only for exec / auth-provider / proxy-url contexts.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/kite.ts';

async function importsOf(entry: string): Promise<Array<{ path: string; kind: string }>> {
  const r = await build({
    absWorkingDir: REPO,
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    platform: 'node',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(r.metafile.outputs).flatMap((o) => o.imports.map((i) => ({ path: i.path, kind: i.kind })));
}

describe('import cost', () => {
  it('lib/kube loads @kubernetes/client-node only on demand, and nothing from runtime/', async () => {
    const imports = await importsOf('lib/kube/index.ts');
    expect(imports.filter((i) => i.path.startsWith('@kubernetes/'))).toEqual([{ path: '@kubernetes/client-node', kind: 'dynamic-import' }]);
    const packages = imports.filter((i) => i.kind === 'import-statement').map((i) => i.path);
    expect(packages.sort()).toEqual(['node:fs', 'node:http', 'node:https', 'node:os', 'node:path', 'yaml']);
  });

  it('runtime/apiserver/tls.ts imports only node: builtins (its certificates are built with node:crypto)', async () => {
    const imports = await importsOf('runtime/apiserver/tls.ts');
    expect(imports.filter((i) => i.kind === 'dynamic-import')).toEqual([]);
    expect(imports.every((i) => i.path.startsWith('node:'))).toBe(true);
  });
});

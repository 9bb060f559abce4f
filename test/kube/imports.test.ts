/**
 * The CLI imports lib/kube on every cluster command, so it stays cheap to load; and kite's
 * product code never imports @kubernetes/client-node, a devDependency used only by interop
 * tests: a plain `npm install kite` does not have it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  it('lib/kube imports only node: builtins and yaml, statically, and nothing from runtime/', async () => {
    const imports = await importsOf('lib/kube/index.ts');
    expect(imports.filter((i) => i.kind !== 'import-statement')).toEqual([]);
    const packages = [...new Set(imports.map((i) => i.path))];
    expect(packages.sort()).toEqual(['node:child_process', 'node:crypto', 'node:fs', 'node:http', 'node:https', 'node:net', 'node:os', 'node:path', 'node:tls', 'node:tty', 'yaml']);
  });

  it('the CLI and the library never import @kubernetes/client-node, and every package they import is a dependency', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('@kubernetes/client-node');
    for (const entry of ['cli.ts', 'lib/index.ts']) {
      const imports = await importsOf(entry);
      expect(imports.filter((i) => i.path.includes('@kubernetes/')), entry).toEqual([]);
      const packages = new Set(imports.map((i) => i.path).filter((p) => !p.startsWith('node:') && !p.startsWith('.')).map((p) => (p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : p.split('/')[0]!)));
      for (const p of packages) expect(pkg.dependencies, `${entry} imports ${p}`).toHaveProperty([p]);
    }
  });

  it('runtime/apiserver/tls.ts imports only node: builtins (its certificates are built with node:crypto)', async () => {
    const imports = await importsOf('runtime/apiserver/tls.ts');
    expect(imports.filter((i) => i.kind === 'dynamic-import')).toEqual([]);
    expect(imports.every((i) => i.path.startsWith('node:'))).toBe(true);
  });
});

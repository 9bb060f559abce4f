export interface PackageJsonInput {
  name: string;
  /** The dependency spec for kite: `^0.1.0` or `file:/path/to/kite`. */
  kiteSpec: string;
}

/**
 * `package.json`: private, ES modules, the plan/apply loop as scripts. From a registry, kite's
 * dependencies with install scripts (esbuild's binary, better-sqlite3's native module) are
 * approved for npm's allowScripts; a `file:` kite keeps its own node_modules.
 */
export function packageJson({ name, kiteSpec }: PackageJsonInput): string {
  const fromRegistry = !kiteSpec.startsWith('file:');
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      up: 'kite up --detach',
      down: 'kite down',
      synth: 'kite synth stack.ts',
      validate: 'kite validate stack.ts',
      plan: 'kite plan stack.ts',
      apply: 'kite apply stack.ts',
    },
    dependencies: { kite: kiteSpec },
    ...(fromRegistry ? { allowScripts: { esbuild: true, 'better-sqlite3': true } } : {}),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

import { GITIGNORE } from './templates/gitignore.ts';
import { IMAGES_YAML } from './templates/images-yaml.ts';
import { packageJson } from './templates/package-json.ts';
import { readmeMd } from './templates/readme-md.ts';
import { SERVER_MJS } from './templates/server-mjs.ts';
import { stackTs } from './templates/stack-ts.ts';
import { TSCONFIG_JSON } from './templates/tsconfig-json.ts';

export interface ScaffoldFile {
  /** Relative to the new repo, `/`-separated. */
  path: string;
  text: string;
}

export interface ScaffoldInput {
  /** The npm package name. */
  name: string;
  /** The dependency spec for kite. */
  kiteSpec: string;
}

/** Every file `kite init` writes, in the order it reports them. */
export function scaffoldFiles({ name, kiteSpec }: ScaffoldInput): ScaffoldFile[] {
  const stack = stackName(name);
  return [
    { path: 'package.json', text: packageJson({ name, kiteSpec }) },
    { path: 'tsconfig.json', text: TSCONFIG_JSON },
    { path: 'stack.ts', text: stackTs(stack) },
    { path: 'app/server.mjs', text: SERVER_MJS },
    { path: 'kite.images.yaml', text: IMAGES_YAML },
    { path: '.gitignore', text: GITIGNORE },
    { path: 'README.md', text: readmeMd(name, stack) },
  ];
}

/**
 * The stack's and its namespace's name: a DNS label (the stack names the inventory Secret
 * `kite-stack-<stack>` and, with an App's name, the `app.kubernetes.io/instance` label, at most 63
 * characters: hence 40 here).
 */
export function stackName(packageName: string): string {
  const base = packageName.replace(/^@[^/]+\//, '');
  const label = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40)
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return label || 'infra';
}

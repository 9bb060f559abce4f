import { basename, resolve } from 'node:path';
import { kiteDependencySpec } from '../lib/init/kite-spec.ts';
import { npmPackageName } from '../lib/init/package-name.ts';
import { scaffoldFiles } from '../lib/init/scaffold.ts';
import { writeScaffold } from '../lib/init/write-scaffold.ts';
import { EXIT_OK } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';

export interface InitOptions {
  /** Where the new repo goes (created if missing). */
  dir: string;
  /** The package name; default: the directory's name. */
  name?: string;
  /** The dependency spec for kite; default: this kite (`^version`, or `file:` from a checkout). */
  kite?: string;
  force: boolean;
}

/** `kite init`: scaffolds an infrastructure repo that works with `npm install` then `npx kite plan`. */
export async function initCommand(o: InitOptions, io: Io): Promise<number> {
  const dir = resolve(o.dir);
  const raw = o.name ?? basename(dir);
  const name = npmPackageName(raw);
  if (!name) throw new UserError(`${o.name !== undefined ? '--name' : dir}: "${raw}" cannot be made an npm package name (use --name NAME)`);
  if (o.kite !== undefined && o.kite.trim() === '') throw new UserError('--kite: expected a dependency spec such as ^0.1.0 or file:../kite, got ""');
  const files = scaffoldFiles({ name, kiteSpec: o.kite ?? kiteDependencySpec() });
  await writeScaffold(dir, files, o.force);

  const shown = shellWord(o.dir);
  io.err(`created ${name} in ${shown}:\n${files.map((f) => `  ${f.path}\n`).join('')}`);
  io.err(`\nnext:\n${shown === '.' ? '' : `  cd ${shown}\n`}  npm install\n  npx kite up --detach\n  npx kite plan stack.ts\n`);
  return EXIT_OK;
}

/** A path as one word of a shell command line. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

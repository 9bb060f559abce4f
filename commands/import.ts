import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { importStack } from '../lib/import/import-stack.ts';
import { extname } from 'node:path';
import { PROGRAM_EXTENSIONS, loadInput, loadManifestTexts } from '../lib/synth/load-input.ts';
import type { LoadResult } from '../lib/synth/manifest.ts';
import { FileError } from '../lib/errors.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { reportDiagnostics, UserError, type Io } from './output.ts';

// Importing brings in what exists; the best practices are for `kite validate` and `plan` to point out.
const NO_POLICIES = { bestPractices: 'off' } as const;
import { connect, type TargetFlags } from './target.ts';

export interface ImportOptions {
  /** A YAML/JSON file, a directory, or `-` (stdin); undefined with `fromCluster`. */
  input: string | undefined;
  out: string | undefined;
  force: boolean;
  stack: string | undefined;
  fromCluster?: { namespace: string; selector: string | undefined; target: TargetFlags } | undefined;
}

/** `kite import`: manifests (or a namespace of a cluster) in, a kite program out. */
export async function importCommand(o: ImportOptions, io: Io, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  if (o.out !== undefined && !o.force && existsSync(o.out)) throw new UserError(`${o.out} already exists (--force overwrites it)`);
  let loaded: LoadResult;
  let source: string;
  if (o.fromCluster) {
    const { loadFromCluster } = await import('../lib/import/from-cluster.ts');
    const c = o.fromCluster;
    const client = connect(c.target);
    try {
      loaded = await loadFromCluster(client, { namespace: c.namespace, selector: c.selector, stack: o.stack });
    } finally {
      client.close();
    }
    source = `namespace ${c.namespace}${c.selector ? ` (-l ${c.selector})` : ''} of the cluster`;
  } else if (o.input === '-') {
    loaded = await loadManifestTexts([{ file: '<stdin>', text: await text(stdin) }], o.stack ?? 'stdin', NO_POLICIES);
    source = 'stdin';
  } else {
    if (PROGRAM_EXTENSIONS.has(extname(o.input!))) throw new UserError(`${o.input}: kite import reads YAML or JSON manifests, not a program`);
    loaded = await loadInput(o.input!, { stack: o.stack, ...NO_POLICIES });
    source = o.input!;
    if (loaded.stacks.length === 1 && loaded.stacks[0]!.manifests.length === 0 && loaded.diagnostics.length === 0) {
      throw new UserError(`${o.input}: no objects to import`);
    }
  }
  if (reportDiagnostics(io, loaded.diagnostics)) return EXIT_USER_ERROR;
  const stack = loaded.stacks[0];
  if (loaded.stacks.length !== 1 || !stack) throw new UserError(`${source}: kite import reads YAML or JSON manifests, not a program`);
  const program = importStack(stack, source);
  if (reportDiagnostics(io, program.diagnostics)) return EXIT_USER_ERROR;
  if (o.out === undefined) io.out(program.text);
  else {
    try {
      await writeFile(o.out, program.text, { flag: o.force ? 'w' : 'wx' });
    } catch (e) {
      throw new FileError('write', o.out, e);
    }
    io.err(`imported ${stack.manifests.length} object${stack.manifests.length === 1 ? '' : 's'} into ${o.out} (stack ${stack.name})\n`);
  }
  return EXIT_OK;
}

import { join } from 'node:path';
import type { Diagnostic } from '../api/diagnostics.ts';
import type { BoxedStack } from './box-protocol.ts';
import { bundleProgram } from './bundle-program.ts';
import type { LoadResult } from './manifest.ts';
import { DEFAULT_PROGRAM_TIMEOUT_MS, ProgramBox, toStderr, type ProgramOutput } from './program-box.ts';
import type { SourcePosition } from './user-frame.ts';
import { validateManifests } from './validate-manifests.ts';

export interface ProgramOptions {
  /** How long the program may run before it is killed (default 60s). */
  timeoutMs?: number | undefined;
  /** Where the program's own output goes (default: kite's stderr, each line marked). */
  output?: ProgramOutput | undefined;
}

/**
 * Bundles a user program, runs it in its box (a child process) to synthesize the stacks it
 * exports, and validates their manifests here. Every problem is a diagnostic: a build error at
 * file:line:col, an exception at the user's frame, a program that exits, never finishes or runs
 * out of time, an invalid object at the construct that made it.
 */
export async function loadProgram(entry: string, options: ProgramOptions = {}): Promise<LoadResult> {
  const box = new ProgramBox(entry, options.output ?? toStderr);
  try {
    const bundle = join(box.dir, 'program.mjs');
    const buildErrors = await bundleProgram(entry, bundle);
    if (buildErrors.length > 0) return { stacks: [], diagnostics: buildErrors };
    const reply = await box.run(bundle, options.timeoutMs ?? DEFAULT_PROGRAM_TIMEOUT_MS);
    if (reply.type === 'failed') return { stacks: [], diagnostics: [reply.diagnostic] };
    if (reply.type !== 'result') throw new Error(`program box: unexpected ${reply.type} reply`);
    return await validateBoxed(reply.stacks, reply.diagnostics, box);
  } finally {
    await box.close();
  }
}

/**
 * Validates the program's raw manifests. Sites are fetched from the box only for the objects a
 * diagnostic is about (reading creation stack traces is costly), then validated once more with them.
 */
async function validateBoxed(boxed: BoxedStack[], programDiagnostics: Diagnostic[], box: ProgramBox): Promise<LoadResult> {
  const known = new Map<number, Partial<SourcePosition>>();
  const wanted = new Set<number>();
  const validate = (): LoadResult => {
    const diagnostics = [...programDiagnostics];
    const stacks = boxed.map((s) => {
      const raws = s.raws.map((r) => ({
        value: r.value,
        origin: { construct: r.construct, site: () => known.get(r.id) ?? (wanted.add(r.id), {}) },
      }));
      const valid = validateManifests(raws);
      diagnostics.push(...s.diagnostics, ...valid.diagnostics);
      return { name: s.name, manifests: valid.manifests };
    });
    return { stacks, diagnostics };
  };
  const first = validate();
  if (wanted.size === 0) return first;
  const ids = [...wanted];
  (await box.sites(ids)).forEach((site, i) => known.set(ids[i]!, site));
  return validate();
}

import { join } from 'node:path';
import type { BestPracticesMode } from '../policy/rule.ts';
import { bundleProgram } from './bundle-program.ts';
import type { BoxProgress } from './box-protocol.ts';
import type { LoadResult, Manifest } from './manifest.ts';
import { DEFAULT_PROGRAM_TIMEOUT_MS, ProgramBox, toStderr, type ProgramOutput } from './program-box.ts';

export interface ProgramOptions {
  /** How long the program may run before it is killed (default 60s). */
  timeoutMs?: number | undefined;
  /** Where the program's own output goes (default: kite's stderr, each line marked). */
  output?: ProgramOutput | undefined;
  /** Told the exported stacks' names as soon as the program has run, before they are validated. */
  onStackNames?: ((names: string[]) => void) | undefined;
  /**
   * Told a stack's objects a part at a time as they are validated, each once, before the result:
   * the program may still turn out to have errors.
   */
  onManifests?: ((stack: string, manifests: readonly Manifest[]) => void) | undefined;
  /** `--best-practices`: the mode of kite's best-practice rules over each stack's own. */
  bestPractices?: BestPracticesMode | undefined;
}

/**
 * Bundles a user program and runs it in its box (a child process), which synthesizes the stacks
 * it exports and validates their manifests. Every problem is a diagnostic: a build error at
 * file:line:col, an exception at the user's frame, a program that exits, never finishes or runs
 * out of time, an invalid object at the construct that made it.
 */
export async function loadProgram(entry: string, options: ProgramOptions = {}): Promise<LoadResult> {
  const validated = new Map<string, Manifest[]>();
  const onProgress = (m: BoxProgress) => {
    if (m.type === 'stacks') return options.onStackNames?.(m.names);
    const part = m.manifests.map((b): Manifest => ({ object: b.object, origin: { construct: b.construct } }));
    let all = validated.get(m.stack);
    if (!all) validated.set(m.stack, (all = []));
    for (const p of part) all.push(p);
    options.onManifests?.(m.stack, part);
  };
  const box = new ProgramBox(entry, options.output ?? toStderr, onProgress);
  try {
    const bundle = join(box.dir, 'program.mjs');
    const buildErrors = await bundleProgram(entry, bundle);
    if (buildErrors.length > 0) return { stacks: [], diagnostics: buildErrors };
    const reply = await box.run(bundle, options.timeoutMs ?? DEFAULT_PROGRAM_TIMEOUT_MS, options.bestPractices);
    if (reply.type === 'failed') return { stacks: [], diagnostics: [reply.diagnostic] };
    return {
      stacks: reply.stacks.map((s) => {
        const all = validated.get(s.name) ?? [];
        return { name: s.name, manifests: s.order.map((i) => all[i]!), ...(s.adoptFrom ? { adoptFrom: s.adoptFrom } : {}) };
      }),
      diagnostics: [...reply.diagnostics, ...reply.stacks.flatMap((s) => s.diagnostics)],
    };
  } finally {
    await box.close();
  }
}

import type { Diagnostic } from '../api/diagnostics.ts';
import type { StackManifests } from '../synth/manifest.ts';
import { emitProgram } from './emit-program.ts';
import { recognize } from './recognize.ts';

export interface ImportedProgram {
  /** The program's TypeScript text; empty when there are errors. */
  text: string;
  diagnostics: Diagnostic[];
}

/** A kite program whose one stack synthesizes exactly the given (validated, normalized) objects. */
export function importStack(stack: StackManifests, source: string): ImportedProgram {
  const plan = recognize(stack.name, stack.manifests.map((m) => m.object));
  if (plan.diagnostics.some((d) => d.severity === 'error')) return { text: '', diagnostics: plan.diagnostics };
  return { text: emitProgram(plan, `Imported by \`kite import\` from ${source}.`), diagnostics: plan.diagnostics };
}

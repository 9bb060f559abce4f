import { loadInput, type LoadOptions } from '../lib/synth/load-input.ts';
import { renderStack, writeStacks } from '../lib/synth/render.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { reportDiagnostics, type Io } from './output.ts';

export interface SynthOptions {
  input: string;
  outdir: string;
  stdout: boolean;
  load: LoadOptions;
}

/** `kite synth`: program or YAML in, one `<stack>.k8s.yaml` per stack out (or stdout). */
export async function synthCommand(o: SynthOptions, io: Io): Promise<number> {
  const result = await loadInput(o.input, o.load);
  if (reportDiagnostics(io, result.diagnostics)) return EXIT_USER_ERROR;
  if (o.stdout) {
    io.out(result.stacks.map(renderStack).join('---\n'));
    return EXIT_OK;
  }
  const files = await writeStacks(result.stacks, o.outdir);
  result.stacks.forEach((s, i) => io.err(`synthesized ${s.name}: ${s.manifests.length} objects → ${files[i]}\n`));
  return EXIT_OK;
}

/** `kite validate`: the same checks, nothing written. */
export async function validateCommand(o: { inputs: string[]; load: LoadOptions }, io: Io): Promise<number> {
  let failed = false;
  for (const input of o.inputs) {
    const result = await loadInput(input, o.load);
    if (reportDiagnostics(io, result.diagnostics)) failed = true;
    else {
      const n = result.stacks.reduce((sum, s) => sum + s.manifests.length, 0);
      io.err(`${input}: ${n} object${n === 1 ? '' : 's'} valid\n`);
    }
  }
  return failed ? EXIT_USER_ERROR : EXIT_OK;
}

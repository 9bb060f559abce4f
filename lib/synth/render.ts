import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileError } from '../errors.ts';
import { toYamlStream } from './emit-yaml.ts';
import type { StackManifests } from './manifest.ts';

/** The stack's manifests as one deterministic multi-document YAML stream. */
export function renderStack(stack: StackManifests): string {
  return toYamlStream(stack.manifests.map((m) => m.object));
}

/** Writes `<outdir>/<stack>.k8s.yaml` for each stack; returns the paths written. */
export async function writeStacks(stacks: readonly StackManifests[], outdir: string): Promise<string[]> {
  try {
    await mkdir(outdir, { recursive: true });
  } catch (e) {
    throw new FileError('create the output directory', outdir, e);
  }
  const written: string[] = [];
  for (const s of stacks) {
    const file = join(outdir, `${s.name}.k8s.yaml`);
    try {
      await writeFile(file, renderStack(s));
    } catch (e) {
      throw new FileError('write', file, e);
    }
    written.push(file);
  }
  return written;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toYamlStream } from './emit-yaml.ts';
import type { StackManifests } from './manifest.ts';

/** The stack's manifests as one deterministic multi-document YAML stream. */
export function renderStack(stack: StackManifests): string {
  return toYamlStream(stack.manifests.map((m) => m.object));
}

/** Writes `<outdir>/<stack>.k8s.yaml` for each stack; returns the paths written. */
export async function writeStacks(stacks: readonly StackManifests[], outdir: string): Promise<string[]> {
  await mkdir(outdir, { recursive: true });
  const written: string[] = [];
  for (const s of stacks) {
    const file = join(outdir, `${s.name}.k8s.yaml`);
    await writeFile(file, renderStack(s));
    written.push(file);
  }
  return written;
}

/**
 * The host features block `kite up` and `kite status` print for a runtime that runs pods as
 * processes: what isolation and limits this machine gives them (see
 * runtime/kubelet/backends/process/host-features.ts). Simulated nodes run nothing: no block.
 */
import { detectHostFeatures } from '../runtime/kubelet/backends/process/host-features.ts';

/** The report's lines, or undefined for simulated nodes. */
export async function hostFeatureLines(simulate: boolean | undefined): Promise<string[] | undefined> {
  return simulate ? undefined : (await detectHostFeatures()).report;
}

/** `Host features:` and one indented line per feature, ending in a newline. */
export function formatHostFeatures(lines: string[]): string {
  return `Host features:\n${lines.map((l) => `  ${l}\n`).join('')}`;
}

/** The block for `kite up`'s output; empty for simulated nodes. */
export async function hostFeaturesBlock(simulate: boolean | undefined): Promise<string> {
  const lines = await hostFeatureLines(simulate);
  return lines ? formatHostFeatures(lines) : '';
}

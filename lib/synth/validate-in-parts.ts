import type { Diagnostic } from '../api/diagnostics.ts';
import type { Manifest } from './manifest.ts';
import { ManifestValidation, type RawManifest } from './validate-manifests.ts';

/** Documents validated per turn of the event loop. */
const PART = 250;

/**
 * validateManifests a part at a time, telling `onPart` each part's valid objects and yielding to
 * the event loop between parts: the plan of YAML input reads the cluster and diffs what is
 * validated meanwhile, as it does while a program's box validates (lib/plan/plan-ahead.ts). The
 * manifests, diagnostics and order are validateManifests' own.
 */
export async function validateInParts(
  raws: readonly RawManifest[],
  onPart: (manifests: readonly Manifest[]) => void,
): Promise<{ manifests: Manifest[]; diagnostics: Diagnostic[] }> {
  const validation = new ManifestValidation();
  for (let i = 0; i < raws.length; i += PART) {
    const added = validation.add(raws.slice(i, i + PART));
    if (added.length > 0) onPart(added);
    await new Promise((done) => setImmediate(done));
  }
  return validation.result();
}

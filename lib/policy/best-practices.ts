import { cpuRequests, memoryLimits, noHostPath, readinessProbes } from './rules.ts';
import type { PolicyRule } from './rule.ts';

/**
 * kite's built-in best practices: warnings unless a stack opts in to errors
 * (`policies: { bestPractices: 'error' }`, `--best-practices error`). Each is something the user
 * can fix in their own spec in a line. `image-tag-pinned` is not among them: many public images
 * (the seed's, for one) publish only `latest`, a warning the user could not act on; teams that
 * publish versioned images add `policies.pinnedImageTags()`.
 */
export function bestPractices(): PolicyRule[] {
  return [memoryLimits(), cpuRequests(), readinessProbes(), noHostPath()];
}

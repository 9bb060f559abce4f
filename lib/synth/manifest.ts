import type { Diagnostic } from '../api/diagnostics.ts';
import type { KubeObject } from '../api/model.ts';

/** Where a manifest came from, so that a diagnostic can point at the user's line. */
export interface Origin {
  file?: string;
  line?: number;
  col?: number;
  /** Construct path, for objects synthesized from a program. */
  construct?: string;
  /** Source position computed only when a diagnostic needs it (reading stack traces is costly). */
  site?: () => { file?: string; line?: number; col?: number; via?: string };
  /** For YAML sources: the position of a field path inside the document. */
  locate?: (path: string) => { line: number; col: number } | undefined;
}

/** A validated, normalized object plus its origin. */
export interface Manifest {
  object: KubeObject;
  origin: Origin;
}

/** The desired state of one stack: what plan/apply and synth work on. */
export interface StackManifests {
  name: string;
  manifests: Manifest[];
  /** Stacks whose members this stack takes over where it declares them (`Stack({ adoptFrom })`, `--adopt-from`). */
  adoptFrom?: string[];
}

export interface LoadResult {
  stacks: StackManifests[];
  diagnostics: Diagnostic[];
}

export { objectRef as objectId } from '../api/meta.ts';

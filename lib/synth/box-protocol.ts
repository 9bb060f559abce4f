import type { Diagnostic } from '../api/diagnostics.ts';
import type { SourcePosition } from './user-frame.ts';

/**
 * The messages between kite and the child process that runs a user's program (its box). The
 * child sends raw manifests; kite validates them. Where a construct was created is costly to
 * compute, so kite asks for the sites of the few objects a diagnostic is about.
 */
export type ToBox =
  | { type: 'run'; bundle: string; entry: string }
  | { type: 'sites'; ids: number[] };

export type FromBox =
  | { type: 'result'; stacks: BoxedStack[]; diagnostics: Diagnostic[] }
  /** The program failed: it threw, exited, never settled, or its objects could not be sent. */
  | { type: 'failed'; diagnostic: Diagnostic }
  | { type: 'sites'; sites: Partial<SourcePosition>[] };

export interface BoxedStack {
  name: string;
  raws: BoxedManifest[];
  /** Construct-level problems (`node.addValidation`, a throwing `toManifest`), already located. */
  diagnostics: Diagnostic[];
}

export interface BoxedManifest {
  value: unknown;
  construct: string;
  /** Names the manifest in a `sites` request. */
  id: number;
}

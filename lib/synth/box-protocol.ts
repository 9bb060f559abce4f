import type { Diagnostic } from '../api/diagnostics.ts';
import type { KubeObject } from '../api/meta.ts';

/**
 * The messages between kite and the child process that runs a user's program (its box). The
 * child synthesizes and validates (it has kite's library loaded for the program anyway, and
 * where a construct was created is known only there); kite gets validated manifests and
 * diagnostics already located at the user's lines.
 */
export type ToBox = { type: 'run'; bundle: string; entry: string };

export type FromBox =
  | { type: 'result'; stacks: BoxedStack[]; diagnostics: Diagnostic[] }
  /** The program failed: it threw, exited, never settled, or its objects could not be sent. */
  | { type: 'failed'; diagnostic: Diagnostic };

export interface BoxedStack {
  name: string;
  manifests: BoxedManifest[];
  /** Construct-level problems (`node.addValidation`, a throwing `toManifest`) and invalid objects, located. */
  diagnostics: Diagnostic[];
}

export interface BoxedManifest {
  /** Validated and normalized. */
  object: KubeObject;
  construct: string;
}

import type { Diagnostic } from '../api/diagnostics.ts';
import type { KubeObject } from '../api/meta.ts';
import type { BestPracticesMode } from '../policy/rule.ts';

/**
 * The messages between kite and the child process that runs a user's program (its box). The
 * child synthesizes and validates (it has kite's library loaded for the program anyway, and
 * where a construct was created is known only there); kite gets validated manifests and
 * diagnostics already located at the user's lines.
 */
/** `bestPractices`: `--best-practices`, over each stack's own mode. */
export type ToBox = { type: 'run'; bundle: string; entry: string; bestPractices?: BestPracticesMode };

export type FromBox =
  /**
   * The names of the stacks the program exports, sent before they are synthesized and validated
   * (most of the box's time at thousands of objects): kite can read the cluster meanwhile.
   */
  | { type: 'stacks'; names: string[] }
  /**
   * Validated objects of a stack, a part at a time as validation goes (each object once): kite can
   * plan them while the rest are validated.
   */
  | { type: 'manifests'; stack: string; manifests: BoxedManifest[] }
  | { type: 'result'; stacks: BoxedStack[]; diagnostics: Diagnostic[] }
  /** The program failed: it threw, exited, never settled, or its objects could not be sent. */
  | { type: 'failed'; diagnostic: Diagnostic };

/** How a run ended: what `ProgramBox.run` answers. */
export type BoxReply = Extract<FromBox, { type: 'result' | 'failed' }>;
/** What the box tells while the program's objects are validated. */
export type BoxProgress = Exclude<FromBox, BoxReply>;

export interface BoxedStack {
  name: string;
  /** The stack's valid objects in document order: indices into those its `manifests` messages sent. */
  order: number[];
  /** Construct-level problems (`node.addValidation`, a throwing `toManifest`) and invalid objects, located. */
  diagnostics: Diagnostic[];
  /** `Stack({ adoptFrom })`: stacks whose members this one takes over where it declares them. */
  adoptFrom?: string[];
}

export interface BoxedManifest {
  /** Validated and normalized. */
  object: KubeObject;
  construct: string;
}

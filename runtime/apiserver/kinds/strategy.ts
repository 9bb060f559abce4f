/**
 * A kind's strategy record, as the API server's registry strategies are upstream
 * (pkg/registry/<group>/<kind>/strategy.go): everything the generic machinery (registry, tables,
 * patch, field selectors, discovery, OpenAPI) needs to know about one kind, in one file per kind.
 * Adding a kind is a new file in kinds/ and one line in kinds/index.ts.
 *
 * The REST names, scope and short names come from lib/api's kind registry; validation,
 * defaulting and the update rules (ValidateUpdate) from lib/api too.
 */
import type { KubeObject } from '../../../lib/api/meta.ts';
import type { TypeSchema } from '../patch/schema.ts';
import type { TablePrinter } from '../printers.ts';

export type Subresource = 'status' | 'scale' | 'log' | 'binding' | 'eviction' | 'finalize' | 'exec' | 'attach' | 'portforward';

export interface KindStrategy {
  /** Preferred (stored) apiVersion, e.g. `apps/v1`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Deprecated apiVersions served for the same storage (listed after the preferred one in discovery). */
  readonly aliases?: readonly string[];
  /** Discovery categories (`all`). */
  readonly categories?: readonly string[];
  /** Subresources with their own endpoints. */
  readonly subresources?: readonly Subresource[];
  /** metadata.generation is bumped on spec changes. */
  readonly tracksGeneration?: boolean;
  /** AllowUnconditionalUpdate (default true): false refuses an update without a resourceVersion. */
  readonly allowUnconditionalUpdate?: boolean;
  /** Propagation when a DELETE does not say (Kubernetes: RCs via the core API orphan). */
  readonly defaultPropagation?: 'Background' | 'Orphan';
  /** Verbs discovery reports (default: every verb of a REST resource). */
  readonly verbs?: readonly string[];
  /** PrepareForCreate: what the server sets whatever the client sent (status is the server's). */
  prepareForCreate?(obj: KubeObject): void;
  /** PrepareForUpdate: what the server changes in an update of the main resource before validating it. */
  prepareForUpdate?(next: KubeObject, old: KubeObject): KubeObject;
  /** The table printer (columns and row cells); default: Name and Age. */
  readonly table?: TablePrinter;
  /** The field labels a field selector may use (the conversion func); default metadata.name/namespace. */
  readonly fieldLabels?: FieldLabels;
  /** The kind's own selectable fields (GetAttrs / ToSelectableFields), beside metadata.name/namespace. */
  selectableFields?(o: Readonly<Record<string, unknown>>): Record<string, string>;
  /** Strategic-merge-patch and server-side-apply metadata of the kind's fields. */
  readonly patchSchema?: TypeSchema;
}

export interface FieldLabels {
  /** The labels accepted. */
  readonly labels: readonly string[];
  /** Legacy labels accepted as another (`spec.host` -> `spec.nodeName`). */
  readonly renames?: Readonly<Record<string, string>>;
}

// Accessors for the selectable fields of stored (JSON) objects: absent fields are ''.

export function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

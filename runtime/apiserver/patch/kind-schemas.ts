/**
 * The patch schema of each served kind, read from the kinds' strategy records (kinds/): what the
 * strategic-merge-patch and server-side-apply engines look up by kind.
 */
import { KIND_STRATEGIES } from '../kinds/index.ts';
import type { TypeSchema } from './schema.ts';

export const KIND_SCHEMAS: Readonly<Record<string, TypeSchema>> = Object.fromEntries(
  KIND_STRATEGIES.filter((k) => k.patchSchema).map((k) => [k.kind, k.patchSchema!]),
);

/** Kinds whose `status` is a subresource: writes to the main resource do not change it. */
export const STATUS_SUBRESOURCE_KINDS: ReadonlySet<string> = new Set(KIND_STRATEGIES.filter((k) => k.subresources?.includes('status')).map((k) => k.kind));

export function schemaForKind(kind: string): TypeSchema | undefined {
  return Object.prototype.hasOwnProperty.call(KIND_SCHEMAS, kind) ? KIND_SCHEMAS[kind] : undefined;
}

export function supportsStrategicMergePatch(kind: string): boolean {
  return schemaForKind(kind) !== undefined;
}

import type { Diagnostic } from '../api/diagnostics.ts';
import { validateManifest, documentRank } from '../api/model.ts';
import type { ValidationMemo } from '../api/validate.ts';
import { identityKey } from '../api/meta.ts';
import { keyedPath } from '../api/paths.ts';
import { objectId, type Manifest, type Origin } from './manifest.ts';

export interface RawManifest {
  value: unknown;
  origin: Origin;
}

/**
 * Validates every raw document, collecting all diagnostics (each located at its origin), rejects
 * two definitions of the same object, and returns the manifests in deterministic document order:
 * by kind rank (namespaces first), then namespace, then name.
 */
export function validateManifests(raws: readonly RawManifest[], memo?: ValidationMemo): { manifests: Manifest[]; diagnostics: Diagnostic[] } {
  const validation = new ManifestValidation(memo);
  validation.add(raws);
  return validation.result();
}

/**
 * validateManifests a part at a time (the box sends each part's objects to kite as it goes):
 * the same manifests, diagnostics and order as validating all the parts at once.
 */
export class ManifestValidation {
  private readonly manifests: Manifest[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Map<string, Origin>();

  /** `memo`: valid results of earlier runs (validation-cache.ts), found by the object's content. */
  constructor(private readonly memo?: ValidationMemo) {}

  /** Validates the next raw documents; returns those that are valid and not defined twice. */
  add(raws: readonly RawManifest[]): Manifest[] {
    const added: Manifest[] = [];
    for (const raw of raws) {
      const result = validateManifest(raw.value, this.memo ? { memo: this.memo } : {});
      for (const d of result.diagnostics) this.diagnostics.push(keyed(locate(d, raw.origin), raw.value));
      if (!result.object) continue;
      const { apiVersion, kind, metadata } = result.object;
      const key = identityKey({ apiVersion, kind, namespace: metadata.namespace, name: metadata.name });
      const first = this.seen.get(key);
      if (first) {
        this.diagnostics.push(
          locate(
            { severity: 'error', code: 'duplicate-object', path: 'metadata.name', message: `defined twice (first at ${where(first)})`, object: objectId(result.object) },
            raw.origin,
          ),
        );
        continue;
      }
      this.seen.set(key, raw.origin);
      added.push({ object: result.object, origin: raw.origin });
    }
    this.manifests.push(...added);
    return added;
  }

  /** Every manifest added, in document order, and every diagnostic. */
  result(): { manifests: Manifest[]; diagnostics: Diagnostic[] } {
    return { manifests: [...this.manifests].sort(compareManifests), diagnostics: [...this.diagnostics] };
  }
}

export function compareManifests(a: Manifest, b: Manifest): number {
  const ra = documentRank(a.object.kind);
  const rb = documentRank(b.object.kind);
  if (ra !== rb) return ra - rb;
  if (a.object.kind !== b.object.kind) return a.object.kind < b.object.kind ? -1 : 1;
  const na = a.object.metadata.namespace ?? '';
  const nb = b.object.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.object.metadata.name ?? '';
  const mb = b.object.metadata.name ?? '';
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

function locate(d: Diagnostic, origin: Origin): Diagnostic {
  const pos = (d.path && origin.locate?.(d.path)) || undefined;
  const site = origin.site?.() ?? {};
  const file = origin.file ?? site.file;
  // The field's own position (YAML), else where the object was written (document or construct).
  const at = pos ?? (origin.line !== undefined ? origin : site.line !== undefined ? site : undefined);
  return {
    ...d,
    ...(file !== undefined ? { file } : {}),
    ...(at ? { line: at.line, col: at.col } : {}),
    ...(origin.construct !== undefined ? { construct: origin.construct } : {}),
  };
}

/** The path as plans name it (`containers[web]`), once the index form has located the field. */
function keyed(d: Diagnostic, value: unknown): Diagnostic {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (!d.path || typeof kind !== 'string') return d;
  const path = keyedPath(kind, value, d.path);
  // Some messages quote the path (`unknown field "spec.containers[0].x"`): say it the same way.
  return { ...d, path, message: d.message.replaceAll(`"${d.path}"`, `"${path}"`) };
}

function where(o: Origin): string {
  if (o.construct) {
    const site = o.site?.();
    return site?.file ? `${site.file}:${site.line}, construct ${o.construct}` : `construct ${o.construct}`;
  }
  return o.line ? `${o.file}:${o.line}` : (o.file ?? 'unknown');
}

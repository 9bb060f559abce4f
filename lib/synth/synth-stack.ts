import type { IConstruct } from 'constructs';
import type { Diagnostic } from '../api/diagnostics.ts';
import { Resource } from '../constructs/resource.ts';
import type { Stack } from '../constructs/stack.ts';
import { userFrame, type SourcePosition } from './user-frame.ts';
import type { RawManifest } from './validate-manifests.ts';

/**
 * Turns a stack's construct tree into raw manifests, one per Resource, each tagged with its
 * construct path and the user's source line that created it. Construct-level validations
 * (`node.addValidation`) are collected as diagnostics.
 */
export function synthStack(stack: Stack): { raws: RawManifest[]; diagnostics: Diagnostic[] } {
  const raws: RawManifest[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of stack.node.findAll() as IConstruct[]) {
    const constructPath = `${stack.name}/${c.node.path}`.replace(/\/$/, '');
    for (const message of c.node.validate()) {
      diagnostics.push({ severity: 'error', code: 'construct', path: '', message, construct: constructPath, ...siteOf(c) });
    }
    if (!Resource.isResource(c)) continue;
    let value: Record<string, unknown>;
    try {
      value = c.toManifest();
    } catch (e) {
      diagnostics.push({ severity: 'error', code: 'construct', path: '', message: (e as Error).message, construct: constructPath, ...siteOf(c) });
      continue;
    }
    if (Object.keys(stack.labels).length > 0) {
      const meta = value.metadata as { labels?: Record<string, string> };
      meta.labels = { ...stack.labels, ...meta.labels };
    }
    raws.push({ value, origin: { construct: constructPath, site: () => siteOf(c) } });
  }
  return { raws, diagnostics };
}

function siteOf(c: IConstruct): Partial<SourcePosition> {
  return userFrame((c as Partial<Resource>).creationSite?.stack) ?? {};
}

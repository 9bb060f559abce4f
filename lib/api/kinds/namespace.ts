/** Namespace v1 and ValidateNamespace (name is a DNS-1123 label; cluster-scoped). */
import { z } from 'zod';
import { clusterWritten, type NamespaceStatus } from './status.ts';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName } from '../labels.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { asArr, asObj, invalid, invalidEach, zStr, type Obj, type Out } from './fields.ts';

export const NamespaceSpecSchema = z.strictObject({
  finalizers: z.array(zStr).optional(),
});

export const NamespaceSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Namespace'),
  metadata: ObjectMetaSchema,
  spec: NamespaceSpecSchema.optional(),
  status: clusterWritten<NamespaceStatus>().optional(),
});

export type NamespaceSpec = z.output<typeof NamespaceSpecSchema>;
export type Namespace = z.output<typeof NamespaceSchema>;
export type NamespaceInput = z.input<typeof NamespaceSchema>;

/** ValidateNamespace */
export function validateNamespace(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-label', namespaced: false });
  const path = joinPath('spec', 'finalizers');
  for (const f of asArr(asObj(raw.spec)?.finalizers)) {
    if (typeof f !== 'string') continue;
    // validateFinalizerName: a qualified name, and unqualified ones must be standard.
    invalidEach(out, path, f, isQualifiedName(f));
    if (!f.includes('/') && f !== 'kubernetes' && f !== 'orphan' && f !== 'foregroundDeletion') {
      invalid(out, path, f, 'name is neither a standard finalizer name nor is it fully qualified');
    }
  }
}

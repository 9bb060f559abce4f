import { conditionsField, metadataField } from '../patch/schema.ts';
import { NAMESPACE_TABLE } from '../printers.ts';
import { obj, str, type KindStrategy } from './strategy.ts';

export const namespace: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Namespace',
  subresources: ['status', 'finalize'],
  // The namespace storage has no DeleteCollection (pkg/registry/core/namespace/storage).
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  prepareForCreate(o) {
    o.status = { phase: 'Active' };
  },
  table: NAMESPACE_TABLE,
  fieldLabels: { labels: ['status.phase', 'metadata.name'] },
  selectableFields: (o) => ({ 'status.phase': str(obj(o.status).phase) }),
  patchSchema: {
    name: 'Namespace',
    fields: {
      metadata: metadataField,
      // NamespaceSpec.finalizers: +listType=atomic (unlike metadata.finalizers)
      spec: { type: { name: 'NamespaceSpec', fields: { finalizers: { list: 'atomic' } } } },
      status: { type: { name: 'NamespaceStatus', fields: { conditions: conditionsField } } },
    },
  },
};

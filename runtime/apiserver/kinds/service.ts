import { conditionsField, metadataField, ServiceSpecSchema } from '../patch/schema.ts';
import { SERVICE_TABLE } from '../printers.ts';
import { normalizeServiceUpdate } from '../../../lib/api/update/service.ts';
import { obj, str, type KindStrategy } from './strategy.ts';

export const service: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Service',
  categories: ['all'],
  subresources: ['status'],
  prepareForCreate(o) {
    o.status = { loadBalancer: {} };
  },
  prepareForUpdate: normalizeServiceUpdate,
  table: SERVICE_TABLE,
  fieldLabels: { labels: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'] },
  selectableFields(o) {
    const spec = obj(o.spec);
    return { 'spec.clusterIP': str(spec.clusterIP), 'spec.type': str(spec.type) };
  },
  patchSchema: { name: 'Service', fields: { metadata: metadataField, spec: { type: ServiceSpecSchema }, status: { type: { name: 'ServiceStatus', fields: { conditions: conditionsField } } } } },
};

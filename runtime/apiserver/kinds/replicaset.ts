import { LabelSelectorSchema, metadataField, PodTemplateSpecSchema, WorkloadStatusSchema } from '../patch/schema.ts';
import { REPLICA_SET_TABLE } from '../printers.ts';
import { int, obj, type KindStrategy } from './strategy.ts';

export const replicaSet: KindStrategy = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  // The seed's apiVersion: accepted and stored as apps/v1, served under the old group so kubectl's RESTMapper finds it.
  aliases: ['extensions/v1beta1'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  prepareForCreate(o) {
    o.status = { replicas: 0 };
  },
  table: REPLICA_SET_TABLE,
  // apps/v1 registers no field label conversion: only metadata.name/namespace may be selected.
  selectableFields: (o) => ({ 'status.replicas': String(int(obj(o.status).replicas)) }),
  patchSchema: {
    name: 'ReplicaSet',
    fields: {
      metadata: metadataField,
      spec: { type: { name: 'ReplicaSetSpec', fields: { selector: { type: LabelSelectorSchema }, template: { type: PodTemplateSpecSchema } } } },
      status: { type: WorkloadStatusSchema },
    },
  },
};

import { conditionsField, metadataField, PodTemplateSpecSchema } from '../patch/schema.ts';
import { REPLICATION_CONTROLLER_TABLE } from '../printers.ts';
import { int, obj, type KindStrategy } from './strategy.ts';

export const replicationController: KindStrategy = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  defaultPropagation: 'Orphan',
  prepareForCreate(o) {
    o.status = { replicas: 0 };
  },
  table: REPLICATION_CONTROLLER_TABLE,
  fieldLabels: { labels: ['metadata.name', 'metadata.namespace', 'status.replicas'] },
  selectableFields: (o) => ({ 'status.replicas': String(int(obj(o.status).replicas)) }),
  patchSchema: {
    name: 'ReplicationController',
    fields: {
      metadata: metadataField,
      spec: {
        type: {
          name: 'ReplicationControllerSpec',
          // selector: +mapType=atomic
          fields: { selector: { granularMap: true, atomic: true }, template: { type: PodTemplateSpecSchema } },
        },
      },
      status: { type: { name: 'ReplicationControllerStatus', fields: { conditions: conditionsField } } },
    },
  },
};

import { conditionsField, granularMapField, metadataField } from '../patch/schema.ts';
import { NODE_TABLE } from '../printers.ts';
import { obj, type KindStrategy } from './strategy.ts';

export const node: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Node',
  subresources: ['status'],
  table: NODE_TABLE,
  fieldLabels: { labels: ['metadata.name', 'spec.unschedulable'] },
  selectableFields: (o) => ({ 'spec.unschedulable': obj(o.spec).unschedulable === true ? 'true' : 'false' }),
  patchSchema: {
    name: 'Node',
    fields: {
      metadata: metadataField,
      spec: {
        type: {
          name: 'NodeSpec',
          // podCIDRs: `patchStrategy:"merge"`, +listType=set; taints: atomic
          fields: { podCIDRs: { list: 'set' }, taints: { list: 'atomic' } },
        },
      },
      status: {
        type: {
          name: 'NodeStatus',
          fields: { conditions: conditionsField, addresses: { list: 'merge', mergeKey: 'type' }, capacity: granularMapField, allocatable: granularMapField },
        },
      },
    },
  },
};

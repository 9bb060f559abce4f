import { metadataField } from '../patch/schema.ts';
import { str, type KindStrategy } from './strategy.ts';

export const secret: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Secret',
  fieldLabels: { labels: ['type', 'metadata.namespace', 'metadata.name'] },
  selectableFields: (o) => ({ type: str(o.type) }),
  // The body is plain maps: only metadata has merge semantics.
  patchSchema: { name: 'Secret', fields: { metadata: metadataField } },
};

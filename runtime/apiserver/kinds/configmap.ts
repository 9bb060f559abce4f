import { metadataField } from '../patch/schema.ts';
import type { KindStrategy } from './strategy.ts';

export const configMap: KindStrategy = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  // The body is plain maps: only metadata has merge semantics.
  patchSchema: { name: 'ConfigMap', fields: { metadata: metadataField } },
};

import { metadataField } from '../patch/schema.ts';
import type { KindStrategy } from './strategy.ts';

export const lease: KindStrategy = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  patchSchema: { name: 'Lease', fields: { metadata: metadataField } },
};

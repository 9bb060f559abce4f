import { metadataField } from '../patch/schema.ts';
import { ENDPOINTS_TABLE } from '../printers.ts';
import type { KindStrategy } from './strategy.ts';

export const endpoints: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  table: ENDPOINTS_TABLE,
  // subsets (and the lists inside an EndpointSubset) carry no patchStrategy: atomic.
  patchSchema: { name: 'Endpoints', fields: { metadata: metadataField, subsets: { list: 'atomic' } } },
};

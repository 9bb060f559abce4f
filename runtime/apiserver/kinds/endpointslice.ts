import { metadataField } from '../patch/schema.ts';
import { ENDPOINT_SLICE_TABLE } from '../printers.ts';
import type { KindStrategy } from './strategy.ts';

export const endpointSlice: KindStrategy = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  table: ENDPOINT_SLICE_TABLE,
  // discovery/v1: endpoints and ports are +listType=atomic.
  patchSchema: { name: 'EndpointSlice', fields: { metadata: metadataField, endpoints: { list: 'atomic' }, ports: { list: 'atomic' } } },
};

import { metadataField } from '../patch/schema.ts';
import type { KindStrategy } from './strategy.ts';

export const lease: KindStrategy = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  // leaseStrategy.AllowUnconditionalUpdate (pkg/registry/coordination/lease/strategy.go)
  allowUnconditionalUpdate: false,
  patchSchema: { name: 'Lease', fields: { metadata: metadataField } },
};

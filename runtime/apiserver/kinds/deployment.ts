/** Deployment apps/v1 (pkg/registry/apps/deployment/strategy.go): status and scale subresources, generation tracked. */
import { LabelSelectorSchema, metadataField, PodTemplateSpecSchema, WorkloadStatusSchema } from '../patch/schema.ts';
import { DEPLOYMENT_TABLE } from '../printers.ts';
import type { KindStrategy } from './strategy.ts';

export const deployment: KindStrategy = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  categories: ['all'],
  subresources: ['status', 'scale'],
  tracksGeneration: true,
  prepareForCreate(o) {
    o.status = {};
  },
  table: DEPLOYMENT_TABLE,
  patchSchema: {
    name: 'Deployment',
    fields: {
      metadata: metadataField,
      spec: {
        type: {
          name: 'DeploymentSpec',
          fields: {
            selector: { type: LabelSelectorSchema },
            template: { type: PodTemplateSpecSchema },
            // `patchStrategy:"retainKeys"`: switching to Recreate drops rollingUpdate.
            strategy: { retainKeys: true, type: { name: 'DeploymentStrategy', fields: {} } },
          },
        },
      },
      status: { type: WorkloadStatusSchema },
    },
  },
};

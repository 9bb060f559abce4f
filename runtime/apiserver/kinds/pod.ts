import { qosClass } from '../../../lib/api/qos.ts';
import { metadataField, PodSpecSchema, PodStatusSchema } from '../patch/schema.ts';
import { POD_TABLE } from '../printers.ts';
import { obj, str, type KindStrategy } from './strategy.ts';

export const pod: KindStrategy = {
  apiVersion: 'v1',
  kind: 'Pod',
  categories: ['all'],
  subresources: ['status', 'log', 'binding', 'eviction', 'exec', 'attach', 'portforward'],
  prepareForCreate(o) {
    o.status = { phase: 'Pending', qosClass: qosClass(o) };
  },
  table: POD_TABLE,
  fieldLabels: {
    labels: [
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    renames: { 'spec.host': 'spec.nodeName' },
  },
  selectableFields(o) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    // podIPs[0] (the v1 -> internal conversion fills podIPs from podIP)
    const podIPs = Array.isArray(status.podIPs) ? status.podIPs : [];
    return {
      'spec.nodeName': str(spec.nodeName),
      'spec.restartPolicy': str(spec.restartPolicy),
      'spec.schedulerName': str(spec.schedulerName),
      'spec.serviceAccountName': str(spec.serviceAccountName),
      'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
      'status.phase': str(status.phase),
      'status.podIP': podIPs.length > 0 ? str(obj(podIPs[0]).ip) : str(status.podIP),
      'status.nominatedNodeName': str(status.nominatedNodeName),
    };
  },
  patchSchema: { name: 'Pod', fields: { metadata: metadataField, spec: { type: PodSpecSchema }, status: { type: PodStatusSchema } } },
};

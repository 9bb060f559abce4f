/**
 * Run while the runtime's snapshot is built (commands/up-snapshot.ts): validates one object of each kind
 * the runtime writes as it starts, so that zod's generated parsers (its per-object fast paths,
 * built on an object schema's first parse) are in the snapshot instead of being generated at every
 * start. Valid objects only, and nothing kept: the store and the API server are not involved.
 */
import { validateManifest } from '../../lib/api/validate.ts';
import type { KubeObject } from '../../lib/api/meta.ts';

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), labels: { 'kubernetes.io/metadata.name': name } });

const STARTUP_OBJECTS: unknown[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('kube-system') },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('node-1'),
    spec: { podCIDR: '10.244.1.0/24' },
    status: { capacity: { cpu: '1', memory: '1Gi', pods: '110' }, allocatable: { cpu: '1', memory: '1Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ready' }], addresses: [{ type: 'InternalIP', address: '127.0.0.2' }] },
  },
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('node-1', 'kube-node-lease'), spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' } },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('kubernetes', 'default'), spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('kubernetes', 'default'), subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('kubernetes', 'default'), addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt', 'default'), data: { 'ca.crt': 'x' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', 'default') },
  { apiVersion: 'v1', kind: 'Secret', metadata: meta('s', 'default'), type: 'Opaque', data: { k: 'dg==' } },
  { apiVersion: 'v1', kind: 'Event', metadata: meta('e', 'default'), involvedObject: { kind: 'Node', name: 'node-1' }, reason: 'Starting', message: 'm', type: 'Normal', count: 1 },
];

/** Validates each object once; returns those that validated (for the test that keeps them valid). */
export function warmUp(): KubeObject[] {
  return STARTUP_OBJECTS.map((o) => validateManifest(o, { allowLoopbackIPs: true }).object).filter((o): o is KubeObject => o !== undefined);
}

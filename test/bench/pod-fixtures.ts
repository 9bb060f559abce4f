/** The objects a ReplicaSet scale-up writes per pod, for the benches that time those writes in process. */
import type { KubeObject } from '../../lib/api/meta.ts';

const at = '2026-12-07T00:00:00Z';

/** A pod of ReplicaSet `web`, as the controller creates it. */
export const replicaPod = (name: string) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }] },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
  }) as KubeObject;

/** The status the kubelet writes once the pod runs and is ready. */
export const runningStatus = {
  phase: 'Running',
  conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: at })),
  hostIP: '127.0.0.1',
  podIP: '127.1.0.5',
  podIPs: [{ ip: '127.1.0.5' }],
  startTime: at,
  containerStatuses: [{ name: 'web', state: { running: { startedAt: at } }, ready: true, restartCount: 0, image: 'docker.io/library/nginx:1.25', imageID: '', containerID: 'kite://1', started: true }],
  qosClass: 'BestEffort',
};

/** One of the kubelet's Events about pod `pod`. */
export const podEvent = (pod: string, uid: string, reason: string, name: string) =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod, namespace: 'default', uid },
    reason,
    message: `${reason} web`,
    type: 'Normal',
    source: { component: 'kubelet', host: 'kite-node-1' },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  }) as KubeObject;

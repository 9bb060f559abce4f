// The API server records status.qosClass on create with lib/api's qosClass (ComputePodQOS):
// requests of other resources than cpu and memory, and zero requests, leave a Pod BestEffort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, ResourceRequirements } from '../../../lib/api/model.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp?.close();
});

const pod = (name: string, resources: ResourceRequirements): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'app:1', resources }] },
});

describe('status.qosClass of a created Pod', () => {
  it.each([
    ['only ephemeral-storage requested', pod('storage', { requests: { 'ephemeral-storage': '1Gi' } }), 'BestEffort'],
    ['cpu "0" requested', pod('zero', { requests: { cpu: '0' } }), 'BestEffort'],
    ['cpu requested', pod('cpu', { requests: { cpu: '100m' } }), 'Burstable'],
    ['equal requests and limits', pod('equal', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed'],
  ])('%s: %s', async (_name, body, qos) => {
    const created = await cp.client.create('pods', 'default', body);
    expect(created.status?.qosClass).toBe(qos);
  });
});

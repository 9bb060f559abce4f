import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventRecorder } from '../../../runtime/client/events.ts';
import { startControlPlane, type TestControlPlane } from '../harness.ts';

let cp: TestControlPlane;

beforeEach(async () => {
  cp = await startControlPlane();
});

afterEach(async () => {
  await cp.close();
});

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' } };

describe('EventRecorder', () => {
  it('records one Event per object, type, reason and message; a repeat bumps its count', async () => {
    const recorder = new EventRecorder(cp.client, 'kubelet', 'kite-node-1');
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.record(pod, 'Normal', 'Pulled', 'Container image "nginx" already present on machine');
    const events = cp.client.list('events', 'default').items;
    expect(events.map((e) => `${e.type} ${e.reason} x${e.count}`).sort()).toEqual(['Normal Pulled x1', 'Warning BackOff x2']);
    const backOff = events.find((e) => e.reason === 'BackOff')!;
    expect(backOff.involvedObject).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' });
    expect(backOff.source).toEqual({ component: 'kubelet', host: 'kite-node-1' });
    expect(backOff.reportingComponent).toBe('kubelet');
    expect(backOff.reportingInstance).toBe('kite-node-1');
  });

  it('records anew when the Event it would bump is gone', async () => {
    const recorder = new EventRecorder(cp.client, 'scheduler');
    await recorder.record(pod, 'Warning', 'FailedScheduling', 'no nodes');
    const first = cp.client.list('events', 'default').items[0]!;
    await cp.client.delete('events', 'default', first.metadata.name!);
    await recorder.record(pod, 'Warning', 'FailedScheduling', 'no nodes');
    const events = cp.client.list('events', 'default').items;
    expect(events).toHaveLength(1);
    expect(events[0]!.count).toBe(1);
    expect(events[0]!.metadata.name).not.toBe(first.metadata.name);
  });

  it('never throws: a failure to record is dropped', async () => {
    const recorder = new EventRecorder(cp.client, 'scheduler');
    await expect(recorder.record({ ...pod, metadata: { ...pod.metadata, namespace: 'nope' } }, 'Normal', 'X', 'y')).resolves.toBeUndefined();
  });
});

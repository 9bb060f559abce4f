/**
 * The wait for a deleted object to be gone (a replace's), against the real local runtime: it names
 * the dependent that holds up a foreground deletion and why, stops when its signal aborts, and
 * ends as soon as the object is gone.
 */
import { expect, it } from 'vitest';
import type { KubeObject } from '../../lib/api/meta.ts';
import { waitDeleted, whyNotGone } from '../../lib/plan/deletion-wait.ts';
import { DeadlineExceededError } from '../../lib/plan/stop.ts';
import { eventually } from '../runtime/harness.ts';
import { runtimeForFile } from '../support/runtime-client.ts';

const env = runtimeForFile({ nodes: 1 });

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'default', name: 'hold' };
const PODS = { apiVersion: 'v1', kind: 'Pod' };

it('names the pod that holds up a foreground deletion and why; stops on its signal; ends when the object is gone', async () => {
  const { client } = env;
  const rs = await client.create<KubeObject>({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'hold', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'hold' } }, template: { metadata: { labels: { app: 'hold' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  } as KubeObject);
  const pod = await eventually(async () => (await client.list<KubeObject>(PODS, { namespace: 'default', labelSelector: 'app=hold' })).items[0], { what: 'the pod' });
  await client.patch(PODS, 'default', pod.metadata.name!, 'merge', { metadata: { finalizers: ['example.com/hold'] } }, { fieldManager: 'test' });
  await client.delete(RS, 'default', 'hold', { propagationPolicy: 'Foreground' });

  const expected = `waiting for default/Pod/${pod.metadata.name} to terminate: finalizers example.com/hold`;
  await eventually(async () => (await whyNotGone(client, await client.get<KubeObject>(RS, 'default', 'hold'))) === expected, { what: 'the pod named as the hold-up' });

  const said: string[] = [];
  const ctl = new AbortController();
  const stopped = await waitDeleted(client, RS, rs.metadata.uid, {
    signal: ctl.signal,
    onWaiting: (m) => {
      said.push(m);
      ctl.abort(new DeadlineExceededError(3000));
    },
  }).catch((e: unknown) => e);
  expect(said).toEqual([expected]);
  expect((stopped as Error).message).toBe(`the --timeout of 3 s passed while ${expected}`);

  // Once the finalizer goes, so do the pod and the ReplicaSet: the wait ends.
  const gone = waitDeleted(client, RS, rs.metadata.uid);
  await client.patch(PODS, 'default', pod.metadata.name!, 'merge', { metadata: { finalizers: null } }, { fieldManager: 'test' });
  await gone;
}, 60_000);

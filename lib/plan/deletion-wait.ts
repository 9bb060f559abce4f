/**
 * Waiting for a deleted object to be gone (a replace deletes, then creates again), and saying why
 * it is not yet. A replace deletes in the foreground, so the object stays until its dependents are
 * gone: for a ReplicaSet its pods, for a Deployment the pods of its ReplicaSets. What usually holds
 * one up, in the cluster's terms:
 *
 *  - a pod on a node that is not Ready: nothing runs there to stop its containers, so the pod stays
 *    Terminating until the node comes back (or the node object is deleted);
 *  - finalizers: the object stays until whoever put them there removes them;
 *  - the grace period of a pod's containers.
 *
 * The object itself is watched (its deletion ends the wait at once); the reason is looked up again
 * every EXPLAIN_EVERY_MS and reported when it changes.
 */
import type { KubeObject } from '../api/meta.ts';
import { isNotFound, type KubeClient, type ResourceRef } from '../kube/index.ts';
import { refOf } from './inventory.ts';
import { refId, type ObjectRef } from './plan.ts';
import { stopReason } from './stop.ts';

export interface DeletionWaitOptions {
  /** Ends the wait; it then rejects with an error naming the reason and what it was waiting for. */
  signal?: AbortSignal;
  /** What it waits for, each time that changes: `waiting for prod/Pod/web-x to terminate: node kite-node-2 is NotReady`. */
  onWaiting?: (message: string) => void;
}

const EXPLAIN_EVERY_MS = 2000;
const FOREGROUND = 'foregroundDeletion';
const PODS: ResourceRef = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
const REPLICA_SETS: ResourceRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true };
const NODES: ResourceRef = { apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };

/** Resolves when the object with this uid (any, if unknown) no longer exists. */
export async function waitDeleted(client: KubeClient, ref: ObjectRef, uid: string | undefined, opts: DeletionWaitOptions = {}): Promise<void> {
  let said = '';
  for (;;) {
    const obj = await getIfExists(client, ref);
    if (!obj || (uid && obj.metadata.uid !== uid)) return;
    const why = await whyNotGone(client, obj).catch(() => `waiting for ${refId(ref)} to be deleted`);
    if (why !== said) opts.onWaiting?.(why);
    said = why;
    if (opts.signal?.aborted) throw new Error(`${stopReason(opts.signal).message} while ${said}`, { cause: opts.signal.reason });
    if (await watchForDeletion(client, ref, obj.metadata.resourceVersion!, opts.signal)) return;
  }
}

/** Watches the object for up to EXPLAIN_EVERY_MS (or until the signal aborts); true if it was deleted. */
async function watchForDeletion(client: KubeClient, ref: ObjectRef, resourceVersion: string, signal: AbortSignal | undefined): Promise<boolean> {
  let deleted = false;
  const w = client.watch<KubeObject>(
    ref,
    { ...(ref.namespace ? { namespace: ref.namespace } : {}), fieldSelector: `metadata.name=${ref.name}`, resourceVersion, timeoutSeconds: Math.ceil(EXPLAIN_EVERY_MS / 1000) },
    (ev) => {
      if (ev.type === 'DELETED' || ev.type === 'ERROR') {
        deleted = ev.type === 'DELETED';
        w.stop();
      }
    },
  );
  const stop = () => w.stop();
  const timer = setTimeout(stop, EXPLAIN_EVERY_MS);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await w.done;
  } catch {
    /* a lost or refused watch: look again */
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
  return deleted;
}

/** `waiting for <what> to terminate: <why>`, naming the first dependent (or the object) still there. */
export async function whyNotGone(client: KubeClient, obj: KubeObject): Promise<string> {
  const ref = refOf(obj);
  if (ref.kind === 'Pod' && ref.apiVersion === 'v1') return `waiting for ${refId(ref)} to terminate${await podHoldUp(client, obj)}`;
  const own = finalizersOf(obj);
  if (own.length > 0) return `waiting for ${refId(ref)} to be deleted: finalizers ${own.join(', ')}`;
  const pods = obj.metadata.finalizers?.includes(FOREGROUND) ? await dependentPods(client, obj) : [];
  const pod = pods.find((p) => p.metadata.deletionTimestamp) ?? pods[0];
  if (pod) return `waiting for ${refId(refOf(pod))} to terminate${await podHoldUp(client, pod)}`;
  return `waiting for ${refId(ref)} to be deleted`;
}

/** `: node kite-node-2 is NotReady`, `: finalizers example.com/hold`, `: grace period 30 s`, or ''. */
async function podHoldUp(client: KubeClient, pod: KubeObject): Promise<string> {
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (nodeName) {
    const node = await getIfExists(client, { apiVersion: 'v1', kind: 'Node', name: nodeName }, NODES);
    if (!node) return `: its node ${nodeName} no longer exists`;
    const ready = ((node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
    if (ready?.status !== 'True') return `: node ${nodeName} is NotReady`;
  }
  const finalizers = finalizersOf(pod);
  if (finalizers.length > 0) return `: finalizers ${finalizers.join(', ')}`;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  return pod.metadata.deletionTimestamp && grace ? `: grace period ${grace} s` : '';
}

/** The pods the object owns, directly or (a Deployment) through its ReplicaSets. */
async function dependentPods(client: KubeClient, obj: KubeObject): Promise<KubeObject[]> {
  const ns = obj.metadata.namespace;
  if (!ns) return [];
  const owners = new Set([obj.metadata.uid]);
  if (obj.kind === 'Deployment') {
    for (const rs of (await client.list<KubeObject>(REPLICA_SETS, { namespace: ns })).items) if (ownedBy(rs, owners)) owners.add(rs.metadata.uid);
  }
  return (await client.list<KubeObject>(PODS, { namespace: ns })).items.filter((p) => ownedBy(p, owners));
}

function ownedBy(o: KubeObject, owners: Set<string | undefined>): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => owners.has(r.uid));
}

/** Finalizers other than the garbage collector's own foreground marker. */
function finalizersOf(o: KubeObject): string[] {
  return (o.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND);
}

async function getIfExists(client: KubeClient, ref: ObjectRef, resource: ResourceRef = ref): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(resource, ref.namespace, ref.name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Admission of a status subresource write (PUT/PATCH <resource>/{name}/status) as upstream
 * validates it: each kind's status strategy (podStatusStrategy in pkg/registry/core/pod/
 * strategy.go, replicaSetStatusStrategy in pkg/registry/apps/replicaset/strategy.go, …) runs
 * ValidateXStatusUpdate (pkg/apis/core/validation, pkg/apis/apps/validation), which checks the
 * object metadata against the old object's and the status — not the spec, which the status
 * strategy's PrepareForUpdate copied from the stored object and which was validated when it was
 * written.
 *
 * The kinds below are those whose status kite models loosely (any object: `clusterWritten`) and
 * whose validators never read it, so what is left to decide for such a write is that the status
 * is an object, after `field: null` members are dropped as decoding does, and its defaults. The
 * spec and metadata of the stored object are kept as they are (the stored, frozen values: no
 * copy, no re-validation).
 */
import { applyDefaults } from './defaults.ts';
import type { KubeObject } from './meta.ts';
import { DeploymentSchema } from './kinds/deployment.ts';
import { PodSchema } from './kinds/pod.ts';
import { ReplicaSetSchema } from './kinds/replicaset.ts';
import { ReplicationControllerSchema } from './kinds/replicationcontroller.ts';
import { stripNulls } from './validate.ts';

/** `apiVersion|kind` → the kind's (loose) status schema. */
const LOOSE_STATUS = new Map([
  ['v1|Pod', PodSchema.shape.status],
  ['v1|ReplicationController', ReplicationControllerSchema.shape.status],
  ['apps/v1|ReplicaSet', ReplicaSetSchema.shape.status],
  ['apps/v1|Deployment', DeploymentSchema.shape.status],
]);

const KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/**
 * The admitted object of a status write whose spec and metadata are the stored object's own (as
 * the status strategy leaves them), or undefined when `next` is anything else — then the
 * caller validates the whole object as before, so every refusal keeps its wording.
 */
export function admitStatusWrite(next: KubeObject, old: KubeObject): KubeObject | undefined {
  const schema = LOOSE_STATUS.get(`${next.apiVersion}|${next.kind}`);
  if (!schema || old.apiVersion !== next.apiVersion || old.kind !== next.kind) return undefined;
  const n = next as unknown as Record<string, unknown>;
  const o = old as unknown as Record<string, unknown>;
  if (n.spec === undefined || n.spec !== o.spec || !sameMembers(next.metadata, old.metadata)) return undefined;
  for (const k of Object.keys(n)) if (!KEYS.has(k)) return undefined;
  let status: unknown;
  if (n.status !== null && n.status !== undefined) {
    const parsed = schema.safeParse(stripNulls(n.status));
    if (!parsed.success) return undefined;
    status = parsed.data;
  }
  // The kind's defaults of its status (`status: {}`, `replicas: 0`), on a shell without the
  // stored spec: defaulting that spec again would change nothing.
  const shell = applyDefaults({ apiVersion: next.apiVersion, kind: next.kind, metadata: {}, ...(status !== undefined ? { status } : {}) } as KubeObject, { mode: 'update', owned: true });
  return { apiVersion: next.apiVersion, kind: next.kind, metadata: { ...old.metadata }, spec: o.spec, status: (shell as { status?: unknown }).status } as KubeObject;
}

/** Whether two objects have the same keys with identical (===) values. */
function sameMembers(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k] || !(k in b)) return false;
  return true;
}

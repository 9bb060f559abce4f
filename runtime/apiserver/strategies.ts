import { jsonEqual } from '../../lib/api/equal.ts';
import { qosClass } from '../../lib/api/qos.ts';
import type { KubeObject } from '../../lib/api/meta.ts';
import type { ResourceDef } from './resources.ts';
import { errors, type StatusCause } from './status.ts';

type Obj = Record<string, any>;

/**
 * Per-kind rules of the real API server's registry strategies (PrepareForCreate,
 * PrepareForUpdate, ValidateUpdate) that are not validation of a single object.
 */

/** What the server sets on create, whatever the client sent (status is the server's). */
export function prepareForCreate(r: ResourceDef, obj: Obj): void {
  switch (r.kind) {
    case 'Pod':
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
      break;
    case 'ReplicaSet':
    case 'ReplicationController':
      obj.status = { replicas: 0 };
      break;
    case 'Service':
      obj.status = { loadBalancer: {} };
      break;
    case 'Namespace':
      obj.status = { phase: 'Active' };
      break;
  }
}

/** An update of the main resource keeps the stored status; a status update keeps the rest. */
export function prepareForUpdate(r: ResourceDef, next: Obj, old: Obj, subresource: 'status' | undefined): Obj {
  const hasStatus = r.subresources.includes('status');
  let out: Obj;
  if (subresource === 'status') {
    out = { ...old, status: next.status };
    // Metadata changes through /status are ignored, except what the status writer may not touch anyway.
    out.metadata = { ...old.metadata };
  } else {
    out = { ...next };
    if (hasStatus) {
      if (old.status === undefined) delete out.status;
      else out.status = old.status;
    }
  }
  // Identity and server-owned metadata cannot be changed by a client.
  const m = (out.metadata = { ...out.metadata });
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
    if (old.metadata[f] === undefined) delete m[f];
    else m[f] = old.metadata[f];
  }
  if (r.tracksGeneration && subresource !== 'status' && !jsonEqual(specOf(out), specOf(old))) {
    m.generation = (old.metadata.generation ?? 1) + 1;
  }
  return out;
}

function specOf(o: Obj): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

/** Immutable fields, as ValidateUpdate of each kind. Throws 422 Invalid. */
export function validateUpdate(r: ResourceDef, next: Obj, old: Obj): void {
  const causes: StatusCause[] = [];
  const immutable = (field: string, a: unknown, b: unknown) => {
    if (!jsonEqual(a, b)) causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(a ?? null)}: field is immutable` });
  };
  switch (r.kind) {
    case 'ReplicaSet':
      immutable('spec.selector', next.spec?.selector, old.spec?.selector);
      break;
    case 'Service': {
      const wasExternal = old.spec?.type === 'ExternalName';
      const isExternal = next.spec?.type === 'ExternalName';
      if (!wasExternal && !isExternal && old.spec?.clusterIP && next.spec?.clusterIP !== undefined) {
        immutable('spec.clusterIP', next.spec.clusterIP, old.spec.clusterIP);
      }
      break;
    }
    case 'Pod':
      validatePodUpdate(next, old, causes);
      break;
  }
  if (causes.length > 0) throw errors.invalid(r, old.metadata.name, causes);
}

const POD_UPDATE_MESSAGE =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validatePodUpdate(next: Obj, old: Obj, causes: StatusCause[]): void {
  if (old.spec?.nodeName && next.spec?.nodeName !== old.spec.nodeName) {
    causes.push({ reason: 'FieldValueForbidden', field: 'spec.nodeName', message: 'Forbidden: field is immutable once set' });
    return;
  }
  // Compare with the mutable fields taken from the old spec: anything else differing is forbidden.
  const mutableFromOld = (spec: Obj): Obj => {
    const s = { ...spec };
    const images = (list: Obj[] | undefined, from: Obj[] | undefined) =>
      list?.map((c, i) => ({ ...c, image: from?.[i]?.image ?? c.image }));
    s.containers = images(spec.containers, old.spec?.containers);
    if (spec.initContainers) s.initContainers = images(spec.initContainers, old.spec?.initContainers);
    s.activeDeadlineSeconds = old.spec?.activeDeadlineSeconds;
    s.tolerations = old.spec?.tolerations;
    s.nodeName = old.spec?.nodeName;
    for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
    return s;
  };
  if (!jsonEqual(mutableFromOld(next.spec ?? {}), mutableFromOld(old.spec ?? {}))) {
    causes.push({ reason: 'FieldValueForbidden', field: 'spec', message: POD_UPDATE_MESSAGE });
  }
}


export type { KubeObject };

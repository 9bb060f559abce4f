/**
 * What kite applied before: each stack is an ApplySet (KEP-3659), so kite knows its objects,
 * deletes what left the program, never touches what it did not create, and interoperates with
 * `KUBECTL_APPLYSET=true kubectl apply --prune --applyset=secret/kite-stack-<stack> -n default`.
 *
 *  - The parent is a Secret `kite-stack-<stack>` in `default` (a namespace every cluster has),
 *    labelled `applyset.kubernetes.io/id=<id>` and annotated with the tooling (`kite/<version>`),
 *    the members' group-kinds (`contains-group-kinds`, sorted, `Kind.group`, core kinds bare) and
 *    their namespaces other than the parent's (`additional-namespaces`, sorted).
 *  - Each member carries the label `applyset.kubernetes.io/part-of=<id>`, and the annotation
 *    `kite.dev/last-applied`: the manifest kite applied (compact JSON, without that annotation),
 *    which is the three-way diff's "last applied".
 *  - A member is an object with that label that kite applied (field manager `kite`): controllers
 *    copy labels onto what they make (a Service's Endpoints, a template's pods), and those copies
 *    are never kite's to prune.
 *
 * Members are found as kubectl finds them: one LIST per group-kind per namespace (and one per
 * cluster-scoped group-kind) with the part-of label selector — never an object-by-object walk.
 */
import { createHash } from 'node:crypto';
import { isDNS1123Subdomain } from '../api/names.ts';
import { groupOf, identityKey, type KubeObject } from '../api/meta.ts';
import { isNotFound, type ApiResource, type KubeClient } from '../kube/index.ts';
import { KiteError } from '../errors.ts';
import { mapLimit } from './order.ts';
import { refId, type ObjectRef } from './plan.ts';

export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
/** The manifest kite applied last (compact JSON): the diff's `lastApplied`. */
export const LAST_APPLIED_ANNOTATION = 'kite.dev/last-applied';
/** On the parent: the stack's name (the parent's name may not say it exactly). */
export const STACK_ANNOTATION = 'kite.dev/stack';
/** Where parents (and locks) live: a namespace every cluster has. */
export const PARENT_NAMESPACE = 'default';
export const TOOLING_NAME = 'kite';
/** kite's server-side apply field manager. */
export const FIELD_MANAGER = 'kite';

/** Kubernetes' limit on the total size of an object's annotations. */
const ANNOTATIONS_MAX_BYTES = 262_144;
/** LIST page size (kubectl's). */
const PAGE_SIZE = 500;
/** Requests in flight at once while reading the inventory. */
const CONCURRENCY = 16;

export interface ApplySet {
  stack: string;
  /** `applyset-<base64url(sha256("<name>.<namespace>.Secret."))>-v1` */
  id: string;
  /** The parent Secret. */
  parent: ObjectRef;
}

/** The parent or its members are not kite's to manage (another tool's ApplySet, a mislabelled parent). */
export class ApplySetError extends KiteError {
  constructor(message: string) {
    super(message, { code: 'applyset' });
  }
}

/** KEP-3659's ApplySet id of a parent object: `applyset-<base64url(sha256(name.namespace.Kind.group))>-v1`. */
export function applySetId(parent: { name: string; namespace?: string; kind: string; group: string }): string {
  const hash = createHash('sha256').update(`${parent.name}.${parent.namespace ?? ''}.${parent.kind}.${parent.group}`).digest('base64url');
  return `applyset-${hash}-v1`;
}

/** The ApplySet of a stack: parent Secret `default/kite-stack-<stack>`. */
export function applySetFor(stack: string): ApplySet {
  const name = `kite-stack-${stack}`;
  const problems = isDNS1123Subdomain(name);
  if (problems.length > 0) {
    throw new ApplySetError(`stack name "${stack}" cannot name its inventory Secret "${name}": ${problems.join('; ')}`);
  }
  const parent: ObjectRef = { apiVersion: 'v1', kind: 'Secret', namespace: PARENT_NAMESPACE, name };
  return { stack, id: applySetId({ name, namespace: PARENT_NAMESPACE, kind: 'Secret', group: '' }), parent };
}

export { groupOf };

/** `ReplicaSet.apps`, `Service` (core kinds without a group): the ApplySet annotation's spelling. */
export function groupKindOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): string {
  const group = groupOf(ref.apiVersion);
  return group ? `${ref.kind}.${group}` : ref.kind;
}

export function parseGroupKind(gk: string): { group: string; kind: string } {
  const dot = gk.indexOf('.');
  return dot < 0 ? { group: '', kind: gk } : { group: gk.slice(dot + 1), kind: gk.slice(0, dot) };
}

/** The reference of an object. */
export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? '' };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** Identity of an object regardless of the API version it is read at: `group/Kind/namespace/name`. */
export const keyOf: (ref: ObjectRef) => string = identityKey;

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return keyOf(a) === keyOf(b);
}

/**
 * True if the object is a member of this ApplySet: labelled part-of it, and applied by kite. The
 * label alone is not proof, because controllers copy labels onto what they make: the endpoints
 * controller copies a Service's labels onto its Endpoints (and the EndpointSlice controllers onto
 * slices, with the annotations too when mirroring), a ReplicaSet's pods and a Deployment's
 * ReplicaSets carry their template's labels. Pruning such a copy would delete what a controller
 * owns (a Service's Endpoints: its traffic). So an object is kite's only if kite's field manager
 * wrote it.
 */
export function isMember(obj: KubeObject, applySet: ApplySet): boolean {
  return obj.metadata.labels?.[APPLYSET_PART_OF_LABEL] === applySet.id && appliedByKite(obj);
}

/**
 * kite wrote the object: `kite` is one of its field managers. On a server that records no field
 * managers at all (managedFields empty), kite's `last-applied` record stands in, unless a
 * controller owns the object (a mirrored EndpointSlice copies its Endpoints' annotations, that
 * record included).
 */
export function appliedByKite(obj: KubeObject): boolean {
  const managers = obj.metadata.managedFields ?? [];
  if (managers.length > 0) return managers.some((m) => m.manager === FIELD_MANAGER);
  const controlled = obj.metadata.ownerReferences?.some((o) => o.controller === true) ?? false;
  return !controlled && obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined;
}

/**
 * The manifest as kite applies it: the ApplySet's part-of label, and the `kite.dev/last-applied`
 * annotation recording exactly that (without the annotation itself). When the record would
 * overflow Kubernetes' 256 KiB limit on annotations, it is left out (the diff then has no "last
 * applied" for the object and cannot tell drift from change).
 */
export function decorate(manifest: KubeObject, applySet: ApplySet): KubeObject {
  const base = withoutLastApplied(manifest);
  const labels = { ...base.metadata.labels, [APPLYSET_PART_OF_LABEL]: applySet.id };
  const applied: KubeObject = { ...base, metadata: { ...base.metadata, labels } };
  const record = JSON.stringify(applied);
  const annotations = { ...applied.metadata.annotations, [LAST_APPLIED_ANNOTATION]: record };
  if (annotationsTooLarge(annotations)) return applied;
  const decorated = { ...applied, metadata: { ...applied.metadata, annotations } };
  recorded.set(decorated, applied);
  return decorated;
}

/**
 * A decorated object → the object its record is the text of (the same object without the
 * annotation): the planner diffs that for every object of every plan, so it is kept, not rebuilt.
 * Objects are not changed once made, so the pair stays true.
 */
const recorded = new WeakMap<KubeObject, KubeObject>();

/** The object without the `kite.dev/last-applied` annotation (what the diff compares). */
export function withoutLastApplied(obj: KubeObject): KubeObject {
  const annotations = obj.metadata.annotations;
  if (!annotations || !(LAST_APPLIED_ANNOTATION in annotations)) return obj;
  const applied = recorded.get(obj);
  if (applied !== undefined) return applied;
  // A loop, not a rest pattern with a computed key: this runs for every object of every plan.
  const rest: Record<string, string> = {};
  let kept = 0;
  for (const k in annotations) {
    if (k === LAST_APPLIED_ANNOTATION) continue;
    rest[k] = annotations[k]!;
    kept++;
  }
  const metadata = { ...obj.metadata };
  if (kept > 0) metadata.annotations = rest;
  else delete metadata.annotations;
  return { ...obj, metadata };
}

/** What kite applied last, from the live object's annotation (undefined if absent or unreadable). */
export function lastAppliedOf(live: KubeObject): KubeObject | undefined {
  const raw = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === 'object' && v !== null && typeof (v as KubeObject).metadata === 'object') return v as KubeObject;
  } catch {
    /* someone edited it: no record */
  }
  return undefined;
}

/** Over Kubernetes' limit on the annotations' total size (UTF-8 bytes of keys and values). */
function annotationsTooLarge(annotations: Record<string, string>): boolean {
  let units = 0;
  for (const k in annotations) units += k.length + annotations[k]!.length;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: most objects are far below without counting.
  if (units * 3 <= ANNOTATIONS_MAX_BYTES) return false;
  let bytes = 0;
  for (const k in annotations) bytes += Buffer.byteLength(k) + Buffer.byteLength(annotations[k]!);
  return bytes > ANNOTATIONS_MAX_BYTES;
}

// ---- the parent ------------------------------------------------------------------------------

export interface ParentState {
  groupKinds: string[];
  /** Member namespaces other than the parent's. */
  namespaces: string[];
}

/** The group-kinds and additional namespaces recorded on a parent. */
export function parentState(parent: KubeObject | undefined): ParentState {
  const a = parent?.metadata.annotations ?? {};
  return { groupKinds: splitList(a[APPLYSET_GROUP_KINDS_ANNOTATION]), namespaces: splitList(a[APPLYSET_NAMESPACES_ANNOTATION]) };
}

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The parent state that covers these objects: their group-kinds, and their namespaces other than the parent's. */
export function stateFor(refs: Iterable<ObjectRef>): ParentState {
  const gks = new Set<string>();
  const nss = new Set<string>();
  for (const r of refs) {
    gks.add(groupKindOf(r));
    if (r.namespace && r.namespace !== PARENT_NAMESPACE) nss.add(r.namespace);
  }
  return { groupKinds: sortedUnique(gks), namespaces: sortedUnique(nss) };
}

/** Union of two parent states. */
export function widen(a: ParentState, b: ParentState): ParentState {
  return { groupKinds: sortedUnique([...a.groupKinds, ...b.groupKinds]), namespaces: sortedUnique([...a.namespaces, ...b.namespaces]) };
}

/** The parent Secret, as kite writes it (server-side apply body). */
export function parentManifest(applySet: ApplySet, state: ParentState, toolVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: applySet.parent.name,
      namespace: applySet.parent.namespace!,
      labels: { [APPLYSET_ID_LABEL]: applySet.id },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: `${TOOLING_NAME}/${toolVersion}`,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: sortedUnique(state.groupKinds).join(','),
        [APPLYSET_NAMESPACES_ANNOTATION]: sortedUnique(state.namespaces).join(','),
        [STACK_ANNOTATION]: applySet.stack,
      },
    },
  };
}

/** True if the live parent already records exactly this state (the tooling version aside). */
export function parentIsCurrent(parent: KubeObject | undefined, applySet: ApplySet, state: ParentState): boolean {
  if (!parent || parent.metadata.deletionTimestamp) return false;
  const a = parent.metadata.annotations ?? {};
  if (parent.metadata.labels?.[APPLYSET_ID_LABEL] !== applySet.id) return false;
  if (toolingName(a[APPLYSET_TOOLING_ANNOTATION]) !== TOOLING_NAME) return false;
  if (a[APPLYSET_GROUP_KINDS_ANNOTATION] !== sortedUnique(state.groupKinds).join(',')) return false;
  if ((a[APPLYSET_NAMESPACES_ANNOTATION] ?? '') !== sortedUnique(state.namespaces).join(',')) return false;
  return a[STACK_ANNOTATION] === applySet.stack;
}

function toolingName(tooling: string | undefined): string | undefined {
  if (tooling === undefined) return undefined;
  const slash = tooling.indexOf('/');
  return slash < 0 ? tooling : tooling.slice(0, slash);
}

/**
 * Writes the parent (server-side apply, so it is created or updated alike) unless it is already
 * current; returns the parent as it now is.
 */
export async function writeParent(
  client: KubeClient,
  applySet: ApplySet,
  state: ParentState,
  opts: { toolVersion: string; current?: KubeObject | undefined },
): Promise<{ parent: KubeObject; written: boolean }> {
  if (opts.current && parentIsCurrent(opts.current, applySet, state)) return { parent: opts.current, written: false };
  const body = parentManifest(applySet, state, opts.toolVersion);
  const parent = await client.patch<KubeObject>(applySet.parent, applySet.parent.namespace, applySet.parent.name, 'apply', body, {
    fieldManager: FIELD_MANAGER,
    force: true,
  });
  return { parent, written: true };
}

/** Refuses a parent that is not a kite ApplySet with this id (as kubectl refuses another tool's set). */
export function checkParent(parent: KubeObject, applySet: ApplySet): void {
  const id = parent.metadata.labels?.[APPLYSET_ID_LABEL];
  const tooling = parent.metadata.annotations?.[APPLYSET_TOOLING_ANNOTATION];
  const where = `${refId(applySet.parent)}`;
  if (id === undefined) {
    throw new ApplySetError(`${where} exists but is not an ApplySet parent (no ${APPLYSET_ID_LABEL} label): kite will not take it over as stack ${applySet.stack}'s inventory`);
  }
  if (id !== applySet.id) {
    throw new ApplySetError(`${where} has ${APPLYSET_ID_LABEL}=${id}, expected ${applySet.id}: it is not stack ${applySet.stack}'s inventory`);
  }
  if (tooling === undefined) {
    throw new ApplySetError(`${where} is missing the ${APPLYSET_TOOLING_ANNOTATION} annotation: kite will not manage an ApplySet of unknown tooling`);
  }
  if (toolingName(tooling) !== TOOLING_NAME) {
    throw new ApplySetError(`${where} is managed by "${toolingName(tooling)}" (${APPLYSET_TOOLING_ANNOTATION}: ${tooling}), not kite: kite will not change another tool's ApplySet`);
  }
}

// ---- reading -------------------------------------------------------------------------------

export interface Inventory {
  applySet: ApplySet;
  /** The parent Secret; undefined before the first apply. */
  parent: KubeObject | undefined;
  /** What the parent records. */
  state: ParentState;
  /** The members (objects labelled part-of this set that kite applied), each at its kind's preferred version. */
  members: KubeObject[];
  /** Recorded group-kinds the server no longer serves (a CRD removed): their members cannot be seen. */
  unavailable: string[];
}

/** The server's preferred resource for a group-kind. */
export async function resourceForGroupKind(client: KubeClient, group: string, kind: string): Promise<ApiResource | undefined> {
  const find = (t: Awaited<ReturnType<KubeClient['discover']>>) => {
    const all = t.resources.filter((r) => r.group === group && r.kind === kind);
    return all.find((r) => r.preferred) ?? all[0];
  };
  return find(await client.discover()) ?? find(await client.discover({ refresh: true }));
}

/**
 * The parent, then every member: a LIST per recorded group-kind per recorded namespace (the
 * parent's and the additional ones; once for cluster-scoped kinds), selected by the part-of label.
 */
export async function readInventory(client: KubeClient, applySet: ApplySet): Promise<Inventory> {
  let parent: KubeObject | undefined;
  try {
    parent = await client.get<KubeObject>(applySet.parent, applySet.parent.namespace, applySet.parent.name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (!parent) return { applySet, parent: undefined, state: { groupKinds: [], namespaces: [] }, members: [], unavailable: [] };
  checkParent(parent, applySet);
  const state = parentState(parent);
  const namespaces = sortedUnique([applySet.parent.namespace!, ...state.namespaces]);
  const unavailable: string[] = [];
  const lists: Array<{ resource: ApiResource; namespace?: string }> = [];
  for (const gk of state.groupKinds) {
    const { group, kind } = parseGroupKind(gk);
    const resource = await resourceForGroupKind(client, group, kind);
    if (!resource) {
      unavailable.push(gk);
      continue;
    }
    if (resource.namespaced) for (const namespace of namespaces) lists.push({ resource, namespace });
    else lists.push({ resource });
  }
  const pages = await mapLimit(lists, CONCURRENCY, ({ resource, namespace }) =>
    listMembers(client, resource, applySet, namespace),
  );
  return { applySet, parent, state, members: pages.flat(), unavailable };
}

async function listMembers(client: KubeClient, r: ApiResource, applySet: ApplySet, namespace: string | undefined): Promise<KubeObject[]> {
  const ref = { apiVersion: r.apiVersion, kind: r.kind, plural: r.plural, namespaced: r.namespaced };
  const list = await client.listAll<KubeObject>(ref, {
    ...(namespace ? { namespace } : {}),
    labelSelector: `${APPLYSET_PART_OF_LABEL}=${applySet.id}`,
    pageSize: PAGE_SIZE,
  });
  // Lists leave out each item's apiVersion and kind. A labelled object kite did not write is a
  // controller's copy (or someone else's), never a member.
  return list.items.filter(appliedByKite).map((o) => ({ ...o, apiVersion: r.apiVersion, kind: r.kind }));
}

/** Fewer lookups than this of one kind in one namespace are GETs; more, one LIST of the kind there. */
const LIST_INSTEAD_OF_GETS = 16;

/**
 * The live objects for `refs`: members of the inventory, and the others looked up directly
 * (GETs, or one LIST per kind and namespace when many are missing, as on a first apply).
 * Keyed by `keyOf`; an absent key means the object does not exist.
 */
export async function observe(client: KubeClient, inventory: Inventory, refs: readonly ObjectRef[]): Promise<Map<string, KubeObject>> {
  const live = new Map<string, KubeObject>();
  for (const m of inventory.members) live.set(keyOf(refOf(m)), m);
  const wanted = new Map<string, ObjectRef>();
  for (const ref of refs) {
    const key = keyOf(ref);
    const member = live.get(key);
    // A member read at another version than the one it is declared at: read it at that version.
    if (member && member.apiVersion === ref.apiVersion) continue;
    live.delete(key);
    wanted.set(key, ref);
  }
  const groups = new Map<string, ObjectRef[]>();
  for (const ref of wanted.values()) {
    const g = `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
    groups.set(g, [...(groups.get(g) ?? []), ref]);
  }
  const gets: ObjectRef[] = [];
  const listed: Array<{ refs: ObjectRef[] }> = [];
  for (const g of groups.values()) {
    if (g.length >= LIST_INSTEAD_OF_GETS) listed.push({ refs: g });
    else gets.push(...g);
  }
  await Promise.all([
    mapLimit(listed, CONCURRENCY, async ({ refs: group }) => {
      const first = group[0]!;
      const r = await client.resourceFor(first);
      const list = await client.listAll<KubeObject>(
        { apiVersion: first.apiVersion, kind: first.kind, plural: r.plural, namespaced: r.namespaced },
        { ...(r.namespaced && first.namespace ? { namespace: first.namespace } : {}), pageSize: PAGE_SIZE },
      );
      const names = new Set(group.map((x) => x.name));
      for (const o of list.items) {
        if (!names.has(o.metadata.name ?? '')) continue;
        const obj = { ...o, apiVersion: first.apiVersion, kind: first.kind };
        live.set(keyOf(refOf(obj)), obj);
      }
    }),
    mapLimit(gets, CONCURRENCY, async (ref) => {
      try {
        const o = await client.get<KubeObject>(ref, ref.namespace, ref.name);
        live.set(keyOf(ref), { ...o, apiVersion: ref.apiVersion, kind: ref.kind });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }),
  ]);
  return live;
}

/** The name of the ApplySet parent with this id, if a Secret carries it (for messages). */
export async function findParentOf(client: KubeClient, id: string): Promise<string | undefined> {
  try {
    const list = await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Secret' }, { labelSelector: `${APPLYSET_ID_LABEL}=${id}` });
    const p = list.items[0];
    if (!p) return undefined;
    const stack = p.metadata.annotations?.[STACK_ANNOTATION];
    const where = `${p.metadata.namespace}/Secret/${p.metadata.name}`;
    return stack ? `kite stack ${stack} (${where})` : where;
  } catch {
    return undefined;
  }
}

/**
 * Three-way diff of one object: the desired manifest, what kite applied last time, and the live
 * object. Only what the program owns is compared — fields present in the desired manifest, and
 * fields present in the last-applied one that the program has since dropped (removals) — so
 * server defaults, status, allocated IPs and ports and other writers' fields are never noise.
 *
 * Values are compared after the API server's defaulting of the desired manifest
 * (lib/api applyDefaults, create mode), quantities by value (`1000m` == `1`), and keyed lists
 * (containers by name, ports by number, env by name, …; see paths.ts) item by item. A value that
 * the program did not change since the last apply but that differs live was changed outside kite:
 * the change carries `drift`. Changes the API server would refuse as an update (immutable.ts)
 * mark the object for replacement. Secret values are masked (sensitive.ts).
 */
import { applyDefaults } from '../api/defaults.ts';
import type { KubeObject } from '../api/meta.ts';
import { parseQuantity } from '../api/quantity.ts';
import { isAdmissionDefaultToleration, predictReplacement } from './immutable.ts';
import { formatPath, genericPath, isQuantityPath, mergeKeyFor, type ItemSegment, type MergeKey, type PathSegment } from '../api/paths.ts';
import type { FieldChange } from './plan.ts';
import { isSensitivePath, maskChange, MANIFEST_COPY_ANNOTATIONS } from './sensitive.ts';

export interface ObjectDiffInput {
  /** What the program wants now (normalized by lib/api; kite's labels/annotations included). */
  desired: KubeObject;
  /** What kite applied last time (from the live object's `kite.dev/last-applied` annotation), if any. */
  lastApplied?: KubeObject;
  /** The object in the cluster. */
  live: KubeObject;
}

export interface ObjectDiff {
  changes: FieldChange[];
  /** Some change cannot be made in place. */
  replace: boolean;
  /** For replace: which field forces it, e.g. `spec.selector is immutable`. */
  reason?: string;
}

/** Three-way diff of one object; no server defaults or status as noise. */
export function diffObject(input: ObjectDiffInput): ObjectDiff {
  const { kind, apiVersion } = input.desired;
  const ownD = prepare(input.desired);
  // Unchanged since the last apply (the same object): defaulted once.
  const same = input.lastApplied === input.desired;
  const ownL = same ? ownD : input.lastApplied ? prepare(input.lastApplied) : undefined;
  const D = defaulted(ownD);
  const L = same ? D : ownL ? defaulted(ownL) : undefined;
  const V = input.live as unknown as Obj;

  const walker = new Walker(kind);
  walker.object([], ownD, ownL, D, L, V);

  const { reason, forces } = predictReplacement({ kind, apiVersion, desired: D, live: V }, walker.out);
  const changes = walker.out.map((c, i): FieldChange => {
    let fc: FieldChange = { path: formatPath(c.path), op: c.op };
    if (c.op !== 'add') fc.before = clone(c.live);
    if (c.op !== 'remove') fc.after = clone(c.shown);
    if (c.drift) fc.drift = { lastApplied: clone(c.drift.lastApplied) };
    if (forces[i]) fc.forcesReplacement = true;
    if (isSensitivePath(kind, apiVersion, c.path)) fc = maskChange(fc);
    return fc;
  });
  const out: ObjectDiff = { changes, replace: reason !== undefined };
  if (reason !== undefined) out.reason = reason;
  return out;
}

// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

interface RawChange {
  path: PathSegment[];
  op: 'add' | 'change' | 'remove';
  /** Live value (not for add). */
  live?: unknown;
  /** Desired value after defaulting (not for remove): what is compared. */
  desired?: unknown;
  /** Desired value as the program wrote it (`1000m`, not `1`): what is shown. */
  shown?: unknown;
  drift?: { lastApplied: unknown };
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const asObj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
const asArr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const present = (v: unknown): unknown => (v === null ? undefined : v);
const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** An empty list or map is what the server omits (Go `omitempty`): as good as absent. */
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

/** The manifest as a plain object; a Secret's stringData folded into data, as the server stores it. */
function prepare(obj: KubeObject): Obj {
  // Read-only from here on: only a Secret with stringData needs a changed copy.
  const o = obj as unknown as Obj;
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1' && isObj(o.stringData)) {
    return foldStringData({ ...o });
  }
  return o;
}

/** `o` is a shallow copy of the Secret: its stringData becomes base64 data. */
function foldStringData(o: Obj): Obj {
  const data: Obj = { ...(asObj(o.data) ?? {}) };
  for (const [k, v] of Object.entries(asObj(o.stringData) ?? {})) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  delete o.stringData;
  o.data = data;
  return o;
}

function defaulted(o: Obj): Obj {
  try {
    return applyDefaults(o as unknown as KubeObject, { mode: 'create' }) as unknown as Obj;
  } catch {
    return structuredClone(o);
  }
}

/** Top-level fields never compared: identity and what the server owns. */
const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
/** metadata fields the program owns (name and namespace are the identity). */
const OWNED_META = new Set(['labels', 'annotations', 'ownerReferences', 'finalizers']);
const SKIP_ANNOTATIONS = new Set<string>(MANIFEST_COPY_ANNOTATIONS);

/**
 * Service fields the server allocates: dropping them from the program keeps the allocated value
 * (the registry carries it over on update), and an empty value asks for an allocation.
 */
const ALLOCATED = new Set(['spec.clusterIP', 'spec.clusterIPs', 'spec.ipFamilies', 'spec.ipFamilyPolicy', 'spec.healthCheckNodePort', 'spec.ports[].nodePort']);
/** `spec.ports[].nodePort`: four segments; every other ALLOCATED path has two. */
const ALLOCATED_ITEM_DEPTH = 4;

class Walker {
  readonly out: RawChange[] = [];
  constructor(private readonly kind: string) {}

  private skip(segs: readonly PathSegment[], key: string): boolean {
    if (segs.length === 0) return SKIP_TOP.has(key);
    if (segs.length === 1 && segs[0] === 'metadata') return !OWNED_META.has(key);
    if (segs.length === 2 && segs[0] === 'metadata' && segs[1] === 'annotations') return SKIP_ANNOTATIONS.has(key);
    return false;
  }

  private allocated(segs: readonly PathSegment[]): boolean {
    // Only paths of ALLOCATED's lengths are spelled out: this runs for every value of every Service.
    if (this.kind !== 'Service' || segs[0] !== 'spec' || (segs.length !== 2 && segs.length !== ALLOCATED_ITEM_DEPTH)) return false;
    return ALLOCATED.has(genericPath(segs));
  }

  /**
   * Compares the keys the program owns (in desired, or in last-applied) of one object. `segs` is
   * the path walked so far, one array pushed and popped for the whole walk (a change keeps a copy):
   * a new array per visited value was most of the walk's garbage.
   */
  object(segs: PathSegment[], ownD: Obj | undefined, ownL: Obj | undefined, D: Obj | undefined, L: Obj | undefined, V: Obj | undefined): void {
    for (const key of orderedKeys(D, ownD, ownL)) {
      if (this.skip(segs, key)) continue;
      const inD = ownD !== undefined && present(ownD[key]) !== undefined;
      const inL = ownL !== undefined && present(ownL[key]) !== undefined;
      if (!inD && !inL) continue;
      segs.push(key);
      this.value(segs, inD ? ownD![key] : undefined, inL ? ownL![key] : undefined, D?.[key], L?.[key], V?.[key]);
      segs.pop();
    }
  }

  private value(segs: PathSegment[], ownD: unknown, ownL: unknown, d: unknown, l: unknown, v: unknown): void {
    const D = present(d);
    const L = present(l);
    let V = present(v);
    if (this.allocated(segs) && (D === undefined || D === '' || D === 0)) return;
    if (D === undefined) {
      // The program dropped the field (it is only in last-applied) and nothing defaults it.
      if (!isEmpty(V)) this.out.push({ path: [...segs], op: 'remove', live: V });
      return;
    }
    if (V === undefined) {
      if (isEmpty(D)) return;
      this.out.push(this.withDrift({ path: [...segs], op: 'add', desired: D, shown: ownD ?? D }, D, L, ownL));
      return;
    }
    if (isObj(D) && isObj(V)) {
      this.object(segs, asObj(ownD), asObj(ownL), D, asObj(L), V);
      return;
    }
    if (Array.isArray(D) && Array.isArray(V)) {
      const key = mergeKeyFor(this.kind, segs);
      if (key && keyable(key, [D, V, asArr(L), asArr(ownD), asArr(ownL)])) {
        this.list(segs, key, asArr(ownD), asArr(ownL), D, asArr(L), V);
        return;
      }
      V = this.liveAtomicList(segs, D, V);
    }
    if (!equal(segs, D, V)) this.out.push(this.withDrift({ path: [...segs], op: 'change', live: V, desired: D, shown: ownD ?? D }, D, L, ownL));
  }

  /** The live value of an atomic list without items other writers are known to add. */
  private liveAtomicList(segs: readonly PathSegment[], D: unknown[], V: unknown[]): unknown[] {
    const g = genericPath(segs);
    if ((this.kind === 'Pod' && g === 'spec.tolerations') || g === 'spec.template.spec.tolerations') {
      return V.filter((t) => !(isObj(t) && isAdmissionDefaultToleration(t) && !D.some((x) => equal(segs, x, t))));
    }
    return V;
  }

  /** A keyed list: items matched by key; the program's items compared, others' ignored. */
  private list(segs: PathSegment[], key: MergeKey, ownD: unknown[] | undefined, ownL: unknown[] | undefined, D: unknown[], L: unknown[] | undefined, V: unknown[]): void {
    const dMap = index(key, D);
    const lMap = L === D ? dMap : index(key, L);
    const vMap = index(key, V);
    const odMap = index(key, ownD);
    const olMap = ownL === ownD ? odMap : index(key, ownL);
    for (const id of mergeOrder([...dMap.keys()], [...olMap.keys()])) {
      if (!odMap.has(id) && !olMap.has(id)) continue;
      const item = (dMap.get(id) ?? lMap.get(id) ?? vMap.get(id))!;
      const seg: ItemSegment = { id, display: key.display(item) };
      segs.push(seg);
      this.value(segs, odMap.get(id), olMap.get(id), dMap.get(id), lMap.get(id), vMap.get(id));
      segs.pop();
    }
  }

  /** Marks a change as drift when the program's value is what kite applied last time. */
  private withDrift(c: RawChange, D: unknown, L: unknown, ownL: unknown): RawChange {
    if (L !== undefined && equal(c.path, D, L)) c.drift = { lastApplied: ownL ?? L };
    return c;
  }
}

/** Every list holds objects with a unique key (else the list is compared whole). */
function keyable(key: MergeKey, lists: readonly (unknown[] | undefined)[]): boolean {
  for (const [i, list] of lists.entries()) {
    // The same list twice (desired and last-applied of an unchanged object) is checked once.
    if (!list || lists.indexOf(list) !== i) continue;
    if (list.length === 1) {
      if (!isObj(list[0]) || key.identity(list[0]) === undefined) return false;
      continue;
    }
    const seen = new Set<string>();
    for (const item of list) {
      if (!isObj(item)) return false;
      const id = key.identity(item);
      if (id === undefined || seen.has(id)) return false;
      seen.add(id);
    }
  }
  return true;
}

function index(key: MergeKey, list: unknown[] | undefined): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const item of list ?? []) if (isObj(item)) m.set(key.identity(item)!, item);
  return m;
}

/** `primary` in its order, then what only `extra` has, each after its predecessor in `extra`. */
function mergeOrder(primary: string[], extra: string[]): string[] {
  // Usually `extra` has nothing of its own (the program's keys are all in the defaulted object's).
  if (extra.every((k) => primary.includes(k))) return primary;
  const out = [...primary];
  const have = new Set(out);
  let prev: string | undefined;
  for (const k of extra) {
    if (!have.has(k)) {
      const at = prev === undefined ? 0 : out.indexOf(prev) + 1;
      out.splice(at, 0, k);
      have.add(k);
    }
    prev = k;
  }
  return out;
}

/** Keys in the defaulted desired object's (canonical) order, then the program's, then last-applied's. */
function orderedKeys(D: Obj | undefined, ownD: Obj | undefined, ownL: Obj | undefined): string[] {
  const base = mergeOrder(Object.keys(D ?? {}), Object.keys(ownD ?? {}));
  return ownL === undefined || ownL === ownD ? base : mergeOrder(base, Object.keys(ownL));
}

/** Semantic equality: quantities by value, null/empty as absent. */
function equal(segs: readonly PathSegment[], a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (isQuantityPath(segs) && (typeof a === 'string' || typeof a === 'number') && (typeof b === 'string' || typeof b === 'number')) {
    try {
      return parseQuantity(a).cmp(parseQuantity(b)) === 0;
    } catch {
      return a === b;
    }
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    return a.every((x, i) => equal([...segs, { id: String(i), display: String(i) }], x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!equal([...segs, k], a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

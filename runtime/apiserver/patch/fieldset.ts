/**
 * Field sets in the managedFields `FieldsV1` format (sigs.k8s.io/structured-merge-diff):
 *
 *   f:<name>          a struct/map field
 *   k:{"name":"x"}    an item of an associative list (`+listType=map`), keys JSON, sorted
 *   v:"foo"           an item of a set (`+listType=set`)
 *   i:3               an item of a list with no usable key (only for malformed live data)
 *   .                 the node itself is in the set (needed when it also has children)
 *
 * A node is a *member* when the set contains that exact path; leaves (`{}`) are members.
 */
import { isObject, type JsonObject, type JsonValue } from './json.ts';

export type PathElement = string;

export class FieldSet {
  member = false;
  readonly children = new Map<PathElement, FieldSet>();

  static fromFieldsV1(v: unknown): FieldSet {
    const set = new FieldSet();
    if (!isObject(v)) return set;
    for (const k of Object.keys(v)) {
      if (k === '.') {
        set.member = true;
        continue;
      }
      const raw = v[k];
      const child = FieldSet.fromFieldsV1(raw);
      if (isObject(raw) && Object.keys(raw).length === 0) child.member = true;
      if (!child.isEmpty()) set.children.set(k, child);
    }
    return set;
  }

  /**
   * FieldsToSet: undefined when `v` is not a FieldsV1 trie (a key that is not `.`, `f:`, `i:`,
   * or `k:`/`v:` with JSON after it).
   */
  static parseFieldsV1(v: unknown): FieldSet | undefined {
    if (!isObject(v)) return undefined;
    for (const k of Object.keys(v)) {
      if (k === '.') continue;
      if (!validPathElement(k) || FieldSet.parseFieldsV1(v[k]) === undefined) return undefined;
    }
    return FieldSet.fromFieldsV1(v);
  }

  static of(paths: ReadonlyArray<readonly PathElement[]>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    const keys = [...this.children.keys()].filter((k) => !this.children.get(k)!.isEmpty()).sort();
    if (this.member && keys.length > 0) out['.'] = {};
    for (const k of keys) out[k] = this.children.get(k)!.toFieldsV1();
    return out;
  }

  get(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  child(pe: PathElement): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  insert(path: readonly PathElement[]): void {
    let n: FieldSet = this;
    for (const pe of path) n = n.child(pe);
    n.member = true;
  }

  has(path: readonly PathElement[]): boolean {
    let n: FieldSet | undefined = this;
    for (const pe of path) {
      n = n.children.get(pe);
      if (!n) return false;
    }
    return n.member;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  union(o: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    out.member = this.member || (o?.member ?? false);
    const keys = new Set([...this.children.keys(), ...(o ? o.children.keys() : [])]);
    for (const k of keys) {
      const a = this.children.get(k);
      const b = o?.children.get(k);
      const u = a ? a.union(b) : b!.union(undefined);
      if (!u.isEmpty()) out.children.set(k, u);
    }
    return out;
  }

  difference(o: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !(o?.member ?? false);
    for (const [k, c] of this.children) {
      const d = c.difference(o?.children.get(k));
      if (!d.isEmpty()) out.children.set(k, d);
    }
    return out;
  }

  intersection(o: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    if (!o) return out;
    out.member = this.member && o.member;
    for (const [k, c] of this.children) {
      const other = o.children.get(k);
      if (!other) continue;
      const i = c.intersection(other);
      if (!i.isEmpty()) out.children.set(k, i);
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  /** Every member path, depth first, children in sorted order. */
  paths(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = [];
    if (this.member) out.push(prefix);
    for (const k of [...this.children.keys()].sort()) out.push(...this.children.get(k)!.paths([...prefix, k]));
    return out;
  }
}

function validPathElement(k: string): boolean {
  const body = k.slice(2);
  if (k.startsWith('f:')) return true;
  if (k.startsWith('i:')) return /^\d+$/.test(body);
  if (!k.startsWith('k:') && !k.startsWith('v:')) return false;
  try {
    const parsed: unknown = JSON.parse(body);
    return !k.startsWith('k:') || isObject(parsed);
  } catch {
    return false;
  }
}

export function fieldPE(name: string): PathElement {
  return `f:${name}`;
}

/** `k:{...}` with keys sorted by name (structured-merge-diff's canonical form). */
export function keyPE(key: Record<string, JsonValue>): PathElement {
  const sorted: JsonObject = {};
  for (const k of Object.keys(key).sort()) sorted[k] = key[k]!;
  return `k:${JSON.stringify(sorted)}`;
}

export function valuePE(v: JsonValue): PathElement {
  return `v:${JSON.stringify(v)}`;
}

export function indexPE(i: number): PathElement {
  return `i:${i}`;
}

/**
 * fieldpath.Path.String(): `.spec.containers[name="nginx"].image`,
 * `.spec.ports[port=80,protocol="TCP"]`, `.metadata.finalizers[="a"]`, `.x[3]`.
 */
export function pathToString(path: readonly PathElement[]): string {
  let s = '';
  for (const pe of path) {
    const body = pe.slice(2);
    if (pe.startsWith('f:')) {
      s += `.${body}`;
    } else if (pe.startsWith('k:')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      s += isObject(parsed)
        ? `[${Object.keys(parsed)
            .map((k) => `${k}=${JSON.stringify(parsed[k])}`)
            .join(',')}]`
        : `[${body}]`;
    } else if (pe.startsWith('v:')) {
      s += `[=${body}]`;
    } else if (pe.startsWith('i:')) {
      s += `[${body}]`;
    } else {
      s += pe;
    }
  }
  return s;
}

/**
 * Items indexed by label pair (`key=value`), so that the readiness wait and the scheduler find the pods a Service
 * selects, and the Services selecting a pod, without scanning every pod or every Service of the
 * namespace on each change (with 2,500 Services and their pods in one namespace, a scan per pod
 * event is millions of selector matches).
 *
 * An index only narrows: callers still check `selector.matches` on what it returns.
 */
import type { Selector } from './selector.ts';

/** The label pairs of which every object matching `selector` has one, or undefined if no such pairs can be named (no `=`/`in` requirement). */
export function anchorPairs(selector: Selector): string[] | undefined {
  let best: string[] | undefined;
  for (const r of selector.requirements) {
    if (r.operator !== '=' && r.operator !== '==' && r.operator !== 'in') continue;
    const pairs = r.values.map((v) => pairKey(r.key, v));
    if (!best || pairs.length < best.length) best = pairs;
  }
  return best;
}

/** Every label pair of `labels`. */
export function labelPairs(labels: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => pairKey(k, v));
}

// Label keys and values never hold a NUL.
const pairKey = (key: string, value: string) => `${key}\0${value}`;

/** A set of items, each filed under some label pairs (or none: `loose`, returned by every lookup). */
export class PairIndex<T> {
  readonly #byPair = new Map<string, Set<T>>();
  readonly #loose = new Set<T>();
  readonly #all = new Set<T>();

  /** Files `item` under `pairs`; undefined pairs: loose. */
  add(item: T, pairs: readonly string[] | undefined): void {
    this.#all.add(item);
    if (!pairs) {
      this.#loose.add(item);
      return;
    }
    for (const p of pairs) {
      let s = this.#byPair.get(p);
      if (!s) this.#byPair.set(p, (s = new Set()));
      s.add(item);
    }
  }

  /** Removes `item`, filed under `pairs` (as given to add). */
  delete(item: T, pairs: readonly string[] | undefined): void {
    this.#all.delete(item);
    if (!pairs) {
      this.#loose.delete(item);
      return;
    }
    for (const p of pairs) {
      const s = this.#byPair.get(p);
      s?.delete(item);
      if (s?.size === 0) this.#byPair.delete(p);
    }
  }

  /** The items filed under any of `pairs`, and the loose ones; every item if `pairs` is undefined. */
  lookup(pairs: readonly string[] | undefined): Set<T> {
    if (!pairs) return this.#all;
    const out = new Set(this.#loose);
    for (const p of pairs) for (const item of this.#byPair.get(p) ?? []) out.add(item);
    return out;
  }
}

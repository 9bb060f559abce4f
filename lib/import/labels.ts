import type { IdentifierPool } from './identifiers.ts';
import { Ref, type Literal } from './literal.ts';

type LabelMap = Record<string, string>;

export function isLabelMap(v: unknown): v is LabelMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string');
}

const LABEL_KEYS = new Set(['labels', 'selector', 'matchLabels']);
const keyOf = (m: LabelMap) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Label maps written more than once across the objects, each given a `const` of its own. */
export class SharedLabels {
  private readonly byKey = new Map<string, Ref>();
  readonly consts: { name: string; value: LabelMap }[] = [];

  /** Counts the label maps of the generated props, so a const is made only for maps the program writes. */
  constructor(props: readonly Literal[], ids: IdentifierPool) {
    const counts = new Map<string, { n: number; map: LabelMap }>();
    const count = (value: Literal, key: string): void => {
      if (value instanceof Ref || value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) return value.forEach((v) => count(v, ''));
      if (LABEL_KEYS.has(key) && isLabelMap(value)) {
        const k = keyOf(value);
        const c = counts.get(k) ?? { n: 0, map: value };
        c.n++;
        counts.set(k, c);
        return;
      }
      for (const [k, v] of Object.entries(value)) count(v, k);
    };
    props.forEach((p) => count(p, ''));
    for (const [k, { n, map }] of counts) {
      if (n < 2) continue;
      const name = ids.take(`${map['app.kubernetes.io/name'] ?? map.app ?? map.name ?? map[Object.keys(map)[0]!]}-labels`);
      this.byKey.set(k, new Ref(name, map));
      this.consts.push({ name, value: map });
    }
  }

  /** The shared const for this map, if it is one; else the map itself. */
  ref(m: LabelMap): Literal {
    return this.byKey.get(keyOf(m)) ?? m;
  }

  /** The data with every shared label map (at a labels/selector/matchLabels key) replaced by its const. */
  hoist(value: Literal, key = ''): Literal {
    if (value instanceof Ref || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.hoist(v));
    if (LABEL_KEYS.has(key) && isLabelMap(value)) return this.ref(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.hoist(v, k)]));
  }
}

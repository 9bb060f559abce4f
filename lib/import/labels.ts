import type { KubeObject } from '../api/meta.ts';
import type { IdentifierPool } from './identifiers.ts';
import { Ref, type Literal } from './literal.ts';

type LabelMap = Record<string, string>;

/** Where label maps sit in an object: metadata, selectors, pod templates. */
function labelMapsOf(o: KubeObject): LabelMap[] {
  const spec = o.spec as { selector?: unknown; template?: { metadata?: { labels?: unknown } } } | undefined;
  const maps = [o.metadata.labels, spec?.template?.metadata?.labels, spec?.selector, (spec?.selector as { matchLabels?: unknown } | undefined)?.matchLabels];
  return maps.filter(isLabelMap);
}

export function isLabelMap(v: unknown): v is LabelMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string');
}

const keyOf = (m: LabelMap) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Label maps written more than once across the objects, each given a `const` of its own. */
export class SharedLabels {
  private readonly byKey = new Map<string, Ref>();
  readonly consts: { name: string; value: LabelMap }[] = [];

  constructor(objects: readonly KubeObject[], ids: IdentifierPool) {
    const counts = new Map<string, { n: number; map: LabelMap }>();
    for (const o of objects) {
      for (const m of labelMapsOf(o)) {
        const k = keyOf(m);
        const c = counts.get(k) ?? { n: 0, map: m };
        c.n++;
        counts.set(k, c);
      }
    }
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
    if ((key === 'labels' || key === 'selector' || key === 'matchLabels') && isLabelMap(value)) return this.ref(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.hoist(v, k)]));
  }
}

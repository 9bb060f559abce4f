import type { Construct } from 'constructs';

/**
 * The props a construct accepts, as a tree: `true` is a leaf (any value), a nested shape is an
 * object whose keys are checked in turn, `'free'` an object of user-chosen keys (labels, env).
 */
export type PropsShape = { readonly [key: string]: PropsShape | true | 'free' };

/**
 * TypeScript checks props at compile time, but a program run without a type check (or an
 * object built at run time) can still pass `replica: 2`, which would be ignored silently. This
 * adds a validation to the construct, reported at synth with its path and the user's line.
 */
export function checkProps(c: Construct, propsName: string, props: unknown, shape: PropsShape): void {
  const problems = unknownProps(props, shape, '');
  if (problems.length === 0) return;
  c.node.addValidation({
    validate: () => problems.map((p) => `${propsName}: unknown property "${p.path}"${p.suggestion ? `; did you mean "${p.suggestion}"?` : ''}`),
  });
}

interface UnknownProp {
  path: string;
  suggestion: string | undefined;
}

function unknownProps(value: unknown, shape: PropsShape, prefix: string): UnknownProp[] {
  if (!isPlainObject(value)) return [];
  const out: UnknownProp[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (rule === undefined) {
      const near = closest(key, Object.keys(shape));
      out.push({ path, suggestion: near === undefined ? undefined : prefix ? `${prefix}.${near}` : near });
    } else if (rule !== true && rule !== 'free') {
      out.push(...unknownProps(v, rule, path));
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The known key nearest to a misspelling: same letters in another case, or a few edits away. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < editDistance(lower, best.toLowerCase()))) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** MetadataProps as a shape. */
export const METADATA_SHAPE: PropsShape = { name: true, labels: 'free', annotations: 'free' };

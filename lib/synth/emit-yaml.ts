/**
 * YAML emitter for plain JSON-shaped manifests (maps, arrays, strings, numbers, booleans, null).
 *
 * Why not `yaml.stringify`: at 10,000 objects it costs ~2 s, an order of magnitude more than
 * everything else in `kite synth`, and manifests need none of its generality. The output is
 * checked against the `yaml` parser in tests (YAML 1.2 core and 1.1 readings must agree).
 */

const YAML_SPECIAL =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|=)$/;
// Anything a YAML 1.1 or 1.2 resolver could read as a number or a timestamp.
const NUMBER_LIKE =
  /^(?:[-+]?(?:\.?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF)|0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)|\.(?:nan|NaN|NAN)|\d{4}-\d\d?-\d\d?.*)$/;
const PLAIN_SAFE = /^[A-Za-z0-9_/$][A-Za-z0-9 _./:@$-]*$/;

const plainCache = new Map<string, boolean>();

function isPlainSafe(s: string): boolean {
  let ok = plainCache.get(s);
  if (ok === undefined) {
    ok =
      PLAIN_SAFE.test(s) &&
      !s.endsWith(' ') &&
      !s.endsWith(':') &&
      !s.includes(': ') &&
      !s.includes(' #') &&
      !YAML_SPECIAL.test(s) &&
      !NUMBER_LIKE.test(s);
    if (plainCache.size < 100_000) plainCache.set(s, ok);
  }
  return ok;
}

/** A scalar as YAML text: plain when unambiguous, otherwise a JSON (= YAML double-quoted) string. */
export function yamlScalar(v: unknown): string {
  if (typeof v === 'string') return isPlainSafe(v) ? v : JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  throw new TypeError(`cannot emit ${typeof v} as YAML`);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyCollection(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (!isMapping(v)) return false;
  // Not Object.keys(v).length: no array of keys for every mapping of every object.
  for (const _ in v) return false;
  return true;
}

function emitMapping(obj: Record<string, unknown>, indent: string, out: string[], firstPrefix: string | undefined): void {
  let first = true;
  for (const key in obj) {
    const v = obj[key];
    if (v === undefined) continue;
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    const k = yamlScalar(key);
    if (isEmptyCollection(v)) out.push(`${lead}${k}: ${Array.isArray(v) ? '[]' : '{}'}\n`);
    else if (Array.isArray(v)) {
      out.push(`${lead}${k}:\n`);
      emitSequence(v, indent + '  ', out);
    } else if (isMapping(v)) {
      out.push(`${lead}${k}:\n`);
      emitMapping(v, indent + '  ', out, undefined);
    } else out.push(`${lead}${k}: ${yamlScalar(v)}\n`);
  }
  if (first) out.push(`${firstPrefix ?? indent}{}\n`);
}

function emitSequence(arr: unknown[], indent: string, out: string[]): void {
  for (const item of arr) {
    if (isEmptyCollection(item)) out.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}\n`);
    else if (isMapping(item)) emitMapping(item, indent + '  ', out, `${indent}- `);
    else if (Array.isArray(item)) {
      out.push(`${indent}-\n`);
      emitSequence(item, indent + '  ', out);
    } else out.push(`${indent}- ${yamlScalar(item)}\n`);
  }
}

/** One document, without the `---` separator. Keys are emitted in the object's own order. */
export function toYamlDocument(value: unknown): string {
  const out: string[] = [];
  if (isEmptyCollection(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  if (isMapping(value)) emitMapping(value, '', out, undefined);
  else if (Array.isArray(value)) emitSequence(value, '', out);
  else out.push(`${yamlScalar(value)}\n`);
  return out.join('');
}

/** A multi-document stream, `---` between documents. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYamlDocument).join('---\n');
}

/**
 * Go's encoding/json as the API server and kubectl write JSON (HTML escaping on, map keys in Go
 * string order): what a Kubernetes component's JSON text must match byte for byte.
 */
import { compareGoStrings } from './label-format.ts';

/** encoding/json's string encoding (HTMLEscape on): `\n \r \t \" \\`, other controls and `<>&` U+2028/9 as \u00XX. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** A string, number, boolean or null as encoding/json writes it; undefined for lists and objects. */
export function goJsonScalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** `json.NewEncoder(w).Encode(obj)`: compact, keys in Go string order, HTML-escaped, plus newline. */
export function goJsonLine(value: unknown): string {
  const enc = (v: unknown): string => {
    const scalar = goJsonScalar(v);
    if (scalar !== undefined) return scalar;
    if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort(compareGoStrings);
    return `{${keys.map((k) => `${goJsonString(k)}:${enc(o[k])}`).join(',')}}`;
  };
  return enc(value) + '\n';
}

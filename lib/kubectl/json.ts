/** `kubectl -o json`: encoding/json's MarshalIndent (4 spaces, keys in Go string order, HTML-escaped). */
import { goJsonScalar, goJsonString } from '../api/go-json.ts';
import { compareGoStrings } from '../api/label-format.ts';

/** `json.MarshalIndent(obj, "", "    ")` of a decoded object, as `kubectl -o json` prints it (plus newline). */
export function goJson(value: unknown): string {
  const enc = (v: unknown, indent: string): string => {
    const scalar = goJsonScalar(v);
    if (scalar !== undefined) return scalar;
    const inner = indent + '    ';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => inner + enc(x, inner)).join(',\n')}\n${indent}]`;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort(compareGoStrings);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${inner}${goJsonString(k)}: ${enc(o[k], inner)}`).join(',\n')}\n${indent}}`;
  };
  return enc(value, '') + '\n';
}

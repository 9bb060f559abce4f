/**
 * `kubectl -o yaml`: sigs.k8s.io/yaml over go-yaml v2, i.e. go-yaml v2's emitter for JSON-shaped
 * data: its key order, quoting rules and folding at 80 columns.
 */
import { goFloat } from './go-sprint.ts';
import { runeCount } from './tabwriter.ts';

const BEST_WIDTH = 80;

/** go-yaml v2 keyList.Less for string keys: letters by rune, digit runs numerically, non-letters first. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

function yamlKeyCompare(a: string, b: string): number {
  return yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0;
}

const YAML_SPECIAL = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** go-yaml v2's timestamp forms: `2006-1-2`, `2006-1-2T15:4:5[.9]Z07:00` (t too), `2006-1-2 15:4:5[.9]`. */
const YAML_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;

/** Would go-yaml v2 read `s`, unquoted, as something other than a string? */
function resolvesToNonString(s: string): boolean {
  const c = s[0];
  const hint = s === '' ? 'N' : c === '+' || c === '-' ? 'S' : c !== undefined && c >= '0' && c <= '9' ? 'D' : c === '.' ? '.' : 'yYnNtTfFoO~'.includes(c ?? '') ? 'M' : '';
  if (!hint) return false;
  if (YAML_SPECIAL.has(s)) return true;
  if (hint === '.') return YAML_FLOAT.test(s);
  if (hint === 'D' || hint === 'S') {
    if (YAML_TIMESTAMP.test(s)) return true;
    const plain = s.replace(/_/g, '');
    if (GO_INT.test(plain)) return true;
    if (YAML_FLOAT.test(plain)) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

const isBreakCp = (cp: number | undefined) => cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;

function analyzeScalar(value: string): ScalarAnalysis {
  if (value === '') return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const cps = [...value].map((c) => c.codePointAt(0)!);
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  const isBlank = (cp: number | undefined) => cp === 0x20 || cp === 0x09;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const ch = String.fromCodePoint(cp);
    const followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]) || isBreakCp(cps[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      else if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(cp)) special = true;
    if (cp === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCp(cp)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(cp) || isBreakCp(cp);
  }
  const a: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) a.blockPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function scalarStyle(s: string, simpleKey: boolean): Style {
  let style: Style = s.includes('\n') ? 'literal' : !resolvesToNonString(s) && !BASE60_FLOAT.test(s) ? 'plain' : 'double';
  const a = analyzeScalar(s);
  if (style === 'plain') {
    if (!a.blockPlainAllowed || (s === '' && simpleKey)) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

/** The emitter's output and column, for go-yaml's folding at BEST_WIDTH. */
class YamlOut {
  text = '';
  column = 0;
  put(s: string): void {
    this.text += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl >= 0 ? runeCount(s.slice(nl + 1)) : this.column + runeCount(s);
  }
  /** yaml_emitter_write_indent: a new line unless at the start of an empty one, then `n` spaces. */
  indent(n: number): void {
    if (this.text !== '' && !(this.column === 0 && this.text.endsWith('\n'))) this.put('\n');
    this.put(' '.repeat(Math.max(0, n - this.column)));
  }
}

const DOUBLE_ESCAPES: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };

/** Writes a scalar after the indicator that precedes it (`key:` or `-`), continuing lines at `indent`. */
function writeScalar(out: YamlOut, s: string, style: Style, indent: number, allowBreaks: boolean): void {
  const cps = [...s];
  if (style === 'plain') {
    out.put(' ');
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && out.column > BEST_WIDTH && cps[i + 1] !== ' ') out.indent(indent);
        else out.put(c);
        spaces = true;
      } else {
        out.put(c);
        spaces = false;
      }
    }
    return;
  }
  if (style === 'single') {
    out.put(" '");
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && out.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== ' ') out.indent(indent);
        else out.put(c);
        spaces = true;
      } else {
        out.put(c === "'" ? "''" : c);
        spaces = false;
      }
    }
    out.put("'");
    return;
  }
  if (style === 'double') {
    out.put(' "');
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      const cp = c.codePointAt(0)!;
      if (!isPrintable(cp) || isBreakCp(cp) || c === '"' || c === '\\') {
        const e = DOUBLE_ESCAPES[cp];
        if (e !== undefined) out.put('\\' + e);
        else if (cp <= 0xff) out.put('\\x' + cp.toString(16).toUpperCase().padStart(2, '0'));
        else if (cp <= 0xffff) out.put('\\u' + cp.toString(16).toUpperCase().padStart(4, '0'));
        else out.put('\\U' + cp.toString(16).toUpperCase().padStart(8, '0'));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && out.column > BEST_WIDTH && i !== 0 && i !== cps.length - 1) {
          out.indent(indent);
          if (cps[i + 1] === ' ') out.put('\\');
        } else out.put(c);
        spaces = true;
      } else {
        out.put(c);
        spaces = false;
      }
    }
    out.put('"');
    return;
  }
  // literal block: `|` with go-yaml's indentation and chomping hints, then the lines
  let hints = '';
  if (cps[0] === ' ' || cps[0] === '\n') hints += '2';
  if (!s.endsWith('\n')) hints += '-';
  else if (s === '\n' || s.endsWith('\n\n')) hints += '+';
  out.put(` |${hints}\n`);
  let breaks = true;
  for (const c of cps) {
    if (c === '\n') {
      out.put('\n');
      breaks = true;
    } else {
      if (breaks) out.put(' '.repeat(indent));
      out.put(c);
      breaks = false;
    }
  }
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort(yamlKeyCompare);
}

function isEmptyCollection(v: object): boolean {
  return Array.isArray(v) ? v.length === 0 : definedKeys(v as Record<string, unknown>).length === 0;
}

function yamlNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n > 0 ? '+.inf' : '-.inf';
  return goFloat(n);
}

/** The entries of a mapping whose keys go at `indent`; the first at the current position. */
function emitMapping(out: YamlOut, o: Record<string, unknown>, indent: number): void {
  definedKeys(o).forEach((k, i) => {
    if (i > 0) out.indent(indent);
    const key = new YamlOut();
    key.column = out.column;
    writeScalar(key, k, scalarStyle(k, true), indent, false);
    out.put(key.text.slice(1) + ':');
    emitValue(out, o[k], indent + 2, false);
  });
}

/** The items of a sequence whose dashes go at `indent`; the first at the current position. */
function emitSequence(out: YamlOut, a: readonly unknown[], indent: number): void {
  a.forEach((item, i) => {
    if (i > 0) out.indent(indent);
    out.put('-');
    emitValue(out, item, indent + 2, true);
  });
}

/**
 * The value after `key:` (inSequence false) or `-` (true), `indent` being where a mapping's keys
 * or a scalar's continuation lines go. A mapping under a key starts on the next line; a sequence
 * under a key is not indented (go-yaml's indentless sequences); a collection in a sequence
 * starts on the dash's line.
 */
function emitValue(out: YamlOut, v: unknown, indent: number, inSequence: boolean): void {
  if (v === null || v === undefined) return out.put(' null');
  if (typeof v === 'boolean') return out.put(v ? ' true' : ' false');
  if (typeof v === 'number') return out.put(' ' + yamlNumber(v));
  if (typeof v === 'string') return writeScalar(out, v, scalarStyle(v, false), indent, true);
  if (typeof v !== 'object') return out.put(' ' + String(v));
  if (isEmptyCollection(v)) return out.put(Array.isArray(v) ? ' []' : ' {}');
  if (inSequence) {
    out.put(' ');
    if (Array.isArray(v)) emitSequence(out, v, indent);
    else emitMapping(out, v as Record<string, unknown>, indent);
    return;
  }
  if (Array.isArray(v)) {
    out.indent(indent - 2);
    emitSequence(out, v, indent - 2);
  } else {
    out.indent(indent);
    emitMapping(out, v as Record<string, unknown>, indent);
  }
}

/** `kubectl -o yaml` of a decoded object (sigs.k8s.io/yaml.Marshal: JSON, then go-yaml v2). */
export function goYaml(value: unknown): string {
  const out = new YamlOut();
  if (value === null || value === undefined || typeof value !== 'object') {
    emitValue(out, value, 0, false);
    return out.text.slice(1) + '\n';
  }
  if (isEmptyCollection(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  if (Array.isArray(value)) emitSequence(out, value, 0);
  else emitMapping(out, value as Record<string, unknown>, 0);
  return out.text.endsWith('\n') ? out.text : out.text + '\n';
}

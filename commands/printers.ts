/**
 * Output formatting shared by `kite get`, `describe`, `status` and `node`, written to be
 * byte-for-byte what kubectl prints, so users (and their scripts) feel at home:
 *
 * - `tabwrite`: Go's text/tabwriter (the algorithm, column blocks included), which kubectl uses
 *   for tables (minwidth 6, padding 3) and for describe (minwidth 0, padding 2);
 * - `renderTable`: kubectl's printer for server-side `meta.k8s.io/v1` Tables (cli-runtime
 *   printers/tableprinter.go: uppercased headers, `-o wide` columns, the NAMESPACE column of
 *   `-A`, the `pod/` prefixes of `get all`);
 * - `goJson` / `goYaml`: `-o json` (encoding/json MarshalIndent, sorted keys, HTML-escaped) and
 *   `-o yaml` (sigs.k8s.io/yaml over go-yaml v2: its key order, quoting and 80-column folding);
 * - `rfc1123z`, and the `Error from server (Reason): message` lines of API failures.
 */
import { KubeApiError, KubeNoMatchError, KubeUnreachableError, KubeconfigError } from '../lib/kube/index.ts';
import type { Table } from '../lib/kube/index.ts';
import { UserError, type Io } from './output.ts';
import { compareGoStrings } from '../lib/api/label-format.ts';

// ---------------------------------------------------------------------------------------------
// text/tabwriter

export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  minwidth: number;
  /** Added to the widest cell of a column. */
  padding: number;
}

/** kubectl get: printers.GetNewTabWriter. */
export const TABLE_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe: tabbedString's tabwriter.Init(buf, 0, 8, 2, ' ', 0). */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

interface Cell {
  text: string;
  width: number;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Aligns tab-separated cells exactly as Go's text/tabwriter does for `text` written and then
 * flushed: a column is a block of consecutive lines having a cell in it (the text after a line's
 * last tab is no cell), its width the widest cell plus padding, at least minwidth.
 */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const lines: Cell[][] = text.split('\n').map((l) => l.split('\t').map((t) => ({ text: t, width: runeCount(t) })));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        out.push(c.text);
        if (j < widths.length) out.push(' '.repeat(Math.max(0, widths[j]! - c.width)));
      });
      if (i + 1 < lines.length) out.push('\n');
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue;
      // a cell in this column: print the lines before the block, then size the block
      writeLines(line0, row);
      line0 = row;
      let width = opts.minwidth;
      for (; row < line1; row++) {
        const line = lines[row]!;
        if (column >= line.length - 1) break;
        const w = line[column]!.width + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, row);
      widths.pop();
      line0 = row;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('');
}

/** A tabwriter that is flushed at points (as kubectl's describe flushes before Events). */
export class TabBuffer {
  #done = '';
  #pending = '';
  constructor(private readonly opts: TabwriterOptions) {}
  write(text: string): void {
    this.#pending += text;
  }
  flush(): void {
    this.#done += tabwrite(this.#pending, this.opts);
    this.#pending = '';
  }
  toString(): string {
    this.flush();
    return this.#done;
  }
}

// ---------------------------------------------------------------------------------------------
// kubectl's Table printer

export interface RenderTableOptions {
  /** `-o wide`: also the priority > 0 columns. */
  wide?: boolean;
  /** `-A` on a namespaced resource: a NAMESPACE column first, from each row's object. */
  withNamespace?: boolean;
  /** `get all` / several kinds: the name prefixed with `kind[.group]/`. */
  kindPrefix?: string;
  noHeaders?: boolean;
}

/** Go's fmt.Sprint of a decoded JSON value (numbers from JSON print as integers when whole). */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort(compareGoStrings)
      .map((k) => `${k}:${goSprint(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** %v of a float64 (strconv 'g' with the shortest precision; exponent at >= 1e21 or < 1e-4). */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(n);
  if (abs < 1e-4 || abs >= 1e21) {
    const [m, e] = n.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/**
 * The lines of one table as kubectl's printTable writes them into its tabwriter (tab-separated,
 * one per row, header first); empty when the table has no rows.
 */
export function tableLines(table: Table, o: RenderTableOptions = {}): string {
  if (table.rows.length === 0) return '';
  const columns = table.columnDefinitions.map((c, i) => ({ ...c, index: i })).filter((c) => o.wide || c.priority === 0);
  const nameColumn = table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string');
  let text = '';
  if (!o.noHeaders) {
    const header = columns.map((c) => c.name.toUpperCase());
    if (o.withNamespace) header.unshift('NAMESPACE');
    text += header.join('\t') + '\n';
  }
  for (const row of table.rows) {
    const cells: string[] = [];
    if (o.withNamespace) {
      const meta = (row.object as { metadata?: { namespace?: string } } | undefined)?.metadata;
      cells.push(escapeTerminal(meta?.namespace ?? ''));
    }
    for (const c of columns) {
      if (c.index >= row.cells.length) break;
      let cell = row.cells[c.index];
      if (c.index === nameColumn && o.kindPrefix) cell = `${o.kindPrefix}/${goSprint(cell)}`;
      cells.push(cellText(cell));
    }
    text += cells.join('\t') + '\n';
  }
  return text;
}

/** A cell as printTable writes it: strings cut at the first line break (`...` appended). */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const br = cell.search(/[\f\n\r]/);
    return br >= 0 ? `${escapeTerminal(cell.slice(0, br))}...` : escapeTerminal(cell);
  }
  return escapeTerminal(goSprint(cell));
}

/** One table, aligned as `kubectl get` prints it. */
export function renderTable(table: Table, o: RenderTableOptions = {}): string {
  return tabwrite(tableLines(table, o), TABLE_TABWRITER);
}

/** printers.WriteEscaped: ESC shown as `^[` and CR as `\r`, so object contents cannot drive the terminal. */
export function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

// ---------------------------------------------------------------------------------------------
// -o json


/** encoding/json's string encoding (HTMLEscape on): `\n \r \t \" \\`, other controls and `<>&` U+2028/9 as \u00XX. */
function goJsonString(s: string): string {
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

/** `json.MarshalIndent(obj, "", "    ")` of a decoded object, as `kubectl -o json` prints it (plus newline). */
export function goJson(value: unknown): string {
  const enc = (v: unknown, indent: string): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return goJsonString(v);
    if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    if (typeof v === 'boolean') return String(v);
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

// ---------------------------------------------------------------------------------------------
// -o yaml: go-yaml v2's emitter (as used by sigs.k8s.io/yaml), for JSON-shaped data

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

// ---------------------------------------------------------------------------------------------
// times

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in local time (`Mon, 02 Jan 2006 15:04:05 -0700`), as describe prints times. */
export function rfc1123z(ts: unknown): string {
  const t = typeof ts === 'string' && ts !== '' ? Date.parse(ts) : NaN;
  // metav1.Time's zero value formats as Go's zero time
  if (Number.isNaN(t)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${DAYS[d.getDay()]}, ${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`;
}

// ---------------------------------------------------------------------------------------------
// errors

/**
 * Prints an API failure as kubectl does (`Error from server (NotFound): pods "x" not found`)
 * and returns exit code 1; other client failures become UserErrors (`error: ...`); anything else
 * is rethrown (a bug).
 */
export function reportKubeError(io: Io, e: unknown): number {
  if (e instanceof KubeApiError) {
    io.err(`Error from server (${e.reason}): ${e.message}\n`);
    return 1;
  }
  if (e instanceof KubeUnreachableError || e instanceof KubeconfigError || e instanceof KubeNoMatchError) throw new UserError(e.message);
  throw e;
}

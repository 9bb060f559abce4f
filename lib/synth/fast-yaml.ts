import { Document, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * A fast reader for the block-style subset of YAML that kite, kubectl and most people write:
 * block mappings and sequences, single-line plain / quoted scalars, `{}` / `[]`, comments, `---`.
 *
 * Why: the `yaml` library builds a CST, then a Document of node objects, then plain values; on a
 * 5,000-object file that is seconds. This reads the same subset straight into plain values, with
 * the position of every node recorded as the strict parser's `locate` would report it.
 *
 * It either reads a whole file or gives up (returns undefined) on anything outside the subset
 * (anchors, aliases, tags, block scalars, flow collections, multi-line scalars, quoted keys,
 * directives, tabs, CR, duplicate keys, any error): the caller then parses the file strictly, so
 * every error, warning and unusual reading stays the strict parser's. Plain scalars resolve with
 * the strict parser's own YAML 1.1 schema tags, so `yes`, `0777`, `1e3`… read identically.
 */

export interface Position {
  line: number;
  col: number;
}

/** Where a node starts (1-based), and for a mapping or sequence where each child starts. */
export interface PositionNode extends Position {
  children?: Map<string, PositionNode> | PositionNode[];
}

export interface FastDocument {
  /** 0-based position of the document in the stream, as the strict parser counts documents. */
  index: number;
  value: unknown;
  positions: PositionNode;
}

/** The options of the strict parse; the fast reader resolves scalars with the same schema. */
export function strictOptions(refusedTags: ReadonlySet<string>): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    uniqueKeys: true,
    prettyErrors: false,
    // YAML 1.1, as Kubernetes reads manifests (sigs.k8s.io/yaml): `0644` is octal, `yes` a
    // boolean. Only the plain JSON-compatible tags resolve; timestamps stay strings and
    // !!binary/!!set/!!omap/!!pairs and every custom tag are refused.
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t === 'object' && !refusedTags.has(t.tag)),
  };
}

interface ScalarTag {
  test: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: unknown) => unknown;
}

class Resolver {
  private readonly tags: ScalarTag[];
  private readonly options: unknown;
  private readonly cache = new Map<string, { value: unknown } | null>();

  constructor(options: ParseOptions & DocumentOptions & SchemaOptions) {
    const doc = new Document(null, options);
    this.options = doc.options;
    this.tags = (doc.schema.tags as unknown as (ScalarTag & { default?: unknown; collection?: unknown })[]).filter(
      (t) => t.default === true && !t.collection && t.test instanceof RegExp,
    );
  }

  /** A plain scalar's value as the strict parser resolves it; null when that would not be clean. */
  plain(text: string): { value: unknown } | null {
    let hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    const tag = this.tags.find((t) => t.test.test(text));
    if (!tag) hit = { value: text };
    else {
      let failed = false;
      const res = tag.resolve(text, () => (failed = true), this.options);
      const value = isScalar(res) ? res.value : res;
      hit = failed || (typeof value === 'object' && value !== null) ? null : { value };
    }
    if (this.cache.size < 50_000) this.cache.set(text, hit);
    return hit;
  }

  /** A plain key that the strict parser reads as this very string. */
  isStringKey(text: string): boolean {
    const hit = this.plain(text);
    return hit !== null && hit.value === text;
  }
}

class GiveUp extends Error {}

const giveUp = (): never => {
  throw new GiveUp();
};

// Plain-scalar starts the subset leaves to the strict parser: indicators, quotes handled apart.
const BAD_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?:']);
const KEY = /^[A-Za-z0-9_$/][A-Za-z0-9_$./-]*$/;
// Tabs, CR, a BOM, control characters and the line breaks YAML 1.1 adds (NEL, LS, PS).
const OUTSIDE_CHARS = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;

interface Line {
  /** 0-based line number. */
  no: number;
  indent: number;
  /** The line after its indentation. */
  text: string;
}

/** Reads `text` if it is all in the subset, else undefined. */
export function readFastYaml(text: string, options: ParseOptions & DocumentOptions & SchemaOptions): FastDocument[] | undefined {
  if (OUTSIDE_CHARS.test(text)) return undefined;
  try {
    return new FastReader(text, new Resolver(options)).read();
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

/** Scalars remembered by their text: a file of many objects repeats most of its values. */
const SCALAR_CACHE_MAX = 50_000;

class FastReader {
  private lines: Line[] = [];
  private i = 0;
  /** Keys already found to be plain string keys. */
  private readonly keys = new Set<string>();
  /** Single-line scalars (never `{}` / `[]`, which are new objects each time) by their text. */
  private readonly scalars = new Map<string, unknown>();

  constructor(
    private readonly text: string,
    private readonly resolver: Resolver,
  ) {}

  read(): FastDocument[] {
    const docs: FastDocument[] = [];
    const raw = this.text.split('\n');
    let current: Line[] = [];
    let index = 0;
    let afterMarker = false;
    const flush = () => {
      // Before the first `---`, comments alone are not a document of their own.
      if (current.length > 0 || afterMarker) {
        if (current.length > 0) docs.push(this.document(current, index));
        index++;
      }
      current = [];
    };
    for (let no = 0; no < raw.length; no++) {
      const line = raw[no]!;
      if (line === '---') {
        flush();
        afterMarker = true;
        continue;
      }
      if (line.startsWith('---') || line.startsWith('...') || line.startsWith('%')) giveUp();
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      if (indent === line.length || line.charCodeAt(indent) === 35 /* # */) continue;
      current.push({ no, indent, text: line.slice(indent) });
    }
    flush();
    return docs;
  }

  private document(lines: Line[], index: number): FastDocument {
    this.lines = lines;
    this.i = 0;
    const first = lines[0]!;
    if (first.indent !== 0) giveUp();
    const node = this.block(first.indent);
    if (this.i < lines.length) giveUp();
    return { index, value: node.value, positions: node.pos };
  }

  /** A block mapping or sequence whose first line is the current one, at `indent`. */
  private block(indent: number): { value: unknown; pos: PositionNode } {
    const line = this.lines[this.i]!;
    if (isSeqItem(line.text)) return this.sequence(indent);
    return this.mapping(line);
  }

  private sequence(indent: number): { value: unknown; pos: PositionNode } {
    const value: unknown[] = [];
    const children: PositionNode[] = [];
    const first = this.lines[this.i]!;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      // A non-item line at the sequence's indent ends it (a sequence at its key's own indent).
      if (line.indent < indent || (line.indent === indent && !isSeqItem(line.text))) break;
      if (line.indent > indent) giveUp();
      let off = 1;
      while (line.text.charCodeAt(off) === 32) off++;
      if (off === line.text.length) giveUp(); // `-` alone: a nested block or an empty item
      const rest = line.text.slice(off);
      if (isSeqItem(rest)) giveUp();
      if (looksLikeEntry(rest)) {
        // `- key: value`: a compact mapping whose keys line up with this first one.
        const node = this.mapping({ no: line.no, indent: line.indent + off, text: rest });
        value.push(node.value);
        children.push(node.pos);
      } else {
        const item = this.scalar(rest);
        this.i++;
        this.noContinuation(indent);
        value.push(item);
        children.push(pos(line, off));
      }
    }
    return { value, pos: { line: first.no + 1, col: first.indent + 1, children } };
  }

  /** A block mapping; `first` is the current line, or the compact rest of a `- ` line. */
  private mapping(first: Line): { value: unknown; pos: PositionNode } {
    const value: Record<string, unknown> = {};
    const children = new Map<string, PositionNode>();
    const indent = first.indent;
    let line: Line | undefined = first;
    while (line) {
      const colon = entryColon(line.text);
      if (colon < 0) giveUp();
      const key = line.text.slice(0, colon);
      if (!this.keys.has(key)) {
        if (!KEY.test(key) || key === '__proto__' || !this.resolver.isStringKey(key)) giveUp();
        this.keys.add(key);
      }
      if (children.has(key)) giveUp();
      let off = colon + 1;
      while (line.text.charCodeAt(off) === 32) off++;
      this.i++;
      if (off === line.text.length || line.text.charCodeAt(off) === 35 /* # */) {
        // The value is a block on the next lines: deeper, or a sequence at the key's own indent.
        const next = this.lines[this.i];
        if (!next || next.indent < indent || (next.indent === indent && !isSeqItem(next.text))) giveUp();
        const node = this.block(next!.indent);
        value[key] = node.value;
        children.set(key, node.pos);
      } else {
        value[key] = this.scalar(line.text.slice(off));
        children.set(key, { line: line.no + 1, col: line.indent + off + 1 });
        this.noContinuation(indent);
      }
      const next: Line | undefined = this.lines[this.i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent) giveUp();
      if (isSeqItem(next.text)) giveUp();
      line = next;
    }
    return { value, pos: { line: first.no + 1, col: indent + 1, children } };
  }

  /** After a single-line scalar, a deeper line would continue it (a multi-line scalar). */
  private noContinuation(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) giveUp();
  }

  /** A single-line scalar (plain, quoted, `{}` or `[]`), with only a comment after it. */
  private scalar(text: string): unknown {
    const known = this.scalars.get(text);
    if (known !== undefined || this.scalars.has(text)) return known;
    const value = this.readScalar(text);
    if (typeof value !== 'object' || value === null) {
      if (this.scalars.size < SCALAR_CACHE_MAX) this.scalars.set(text, value);
    }
    return value;
  }

  private readScalar(text: string): unknown {
    const c = text[0]!;
    if (c === '"') {
      const m = /^"((?:[^"\\]|\\["\\nrtbfu])*)"( *(?: #.*)?)$/.exec(text);
      if (!m) giveUp();
      try {
        return JSON.parse(`"${m![1]!}"`) as string;
      } catch {
        return giveUp();
      }
    }
    if (c === "'") {
      const m = /^'((?:[^']|'')*)'( *(?: #.*)?)$/.exec(text);
      if (!m) giveUp();
      return m![1]!.replaceAll("''", "'");
    }
    if (c === '{' || c === '[') {
      const m = /^(\{\}|\[\])( *(?: #.*)?)$/.exec(text);
      if (!m) giveUp();
      return m![1] === '{}' ? {} : [];
    }
    if (BAD_PLAIN_START.has(c) || (c === '-' && (text.length === 1 || text[1] === ' '))) giveUp();
    let plain = text;
    const comment = plain.indexOf(' #');
    if (comment >= 0) plain = plain.slice(0, comment);
    plain = plain.trimEnd();
    if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t')) giveUp();
    const hit = this.resolver.plain(plain);
    if (!hit) giveUp();
    return hit!.value;
  }
}

function pos(line: Line, off: number): Position {
  return { line: line.no + 1, col: line.indent + off + 1 };
}

function isSeqItem(text: string): boolean {
  return text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** The index of a `key:` entry's colon (followed by a space or the line's end), or -1. */
function entryColon(text: string): number {
  const c = text[0];
  if (c === '"' || c === "'" || c === '?' || c === '[' || c === '{') return -1;
  const sp = text.indexOf(': ');
  if (sp >= 0) return sp;
  return text.endsWith(':') ? text.length - 1 : -1;
}

function looksLikeEntry(text: string): boolean {
  const c = text[0];
  if (c === '"' || c === "'") {
    // A quoted key (`- "a": 1`) is outside the subset; a quoted item is a scalar.
    return /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*') *:( |$)/.test(text) ? giveUp() : false;
  }
  const hash = text.indexOf(' #');
  const body = hash >= 0 ? text.slice(0, hash) : text;
  return body.includes(': ') || body.endsWith(':');
}

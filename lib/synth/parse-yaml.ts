import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../api/diagnostics.ts';
import { readFastYaml, strictOptions, type PositionNode } from './fast-yaml.ts';

/** Bounded alias expansion: a "billion laughs" document is refused instead of eating memory. */
export const MAX_ALIAS_COUNT = 100;

const REFUSED_TAGS = new Set(['binary', 'omap', 'pairs', 'set', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`));
const OPTIONS = strictOptions(REFUSED_TAGS);

/** One YAML document of a file, with what is needed to point a later diagnostic at its line. */
export interface SourceDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  value: unknown;
  /** Line and column (1-based) of the node at a field path such as `spec.ports[0].port`. */
  locate(path: string): { line: number; col: number } | undefined;
}

export interface ParsedYaml {
  documents: SourceDocument[];
  diagnostics: Diagnostic[];
}

/**
 * Parses multi-document YAML (or JSON) strictly: duplicate keys are errors, custom tags are
 * refused rather than resolved, and alias expansion is bounded. Empty documents are skipped.
 * A file in the plain block-style subset is read by the fast reader (fast-yaml.ts), which gives
 * the same values and positions; any other file, and so every error, goes to the `yaml` library.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const fast = readFastYaml(text, OPTIONS);
  if (!fast) return parseYamlStrict(text, file);
  return {
    documents: fast.map((d) => ({ file, index: d.index, value: d.value, locate: (path) => locatePosition(d.positions, path) })),
    diagnostics: [],
  };
}

/** parseYaml through the `yaml` library alone (what the fast reader is tested against). */
export function parseYamlStrict(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  const docs = parseAllDocuments(text, { lineCounter, ...OPTIONS });
  // A stream with a fatal error comes back as a single EmptyStream-like array.
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const at = (offset: number) => lineCounter.linePos(offset);
    let failed = false;
    for (const e of [...doc.errors, ...doc.warnings]) {
      const pos = at(e.pos[0]);
      failed = true;
      diagnostics.push({
        severity: 'error',
        code: 'yaml',
        path: '',
        message: yamlMessage(e.code, e.message),
        file,
        line: pos.line,
        col: pos.col,
      });
    }
    if (failed || doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const pos = at(doc.contents.range[0]);
      diagnostics.push({
        severity: 'error',
        code: 'yaml',
        path: '',
        message: (e as Error).message.replace(/^Excessive alias count.*/, `too many aliases (more than ${MAX_ALIAS_COUNT}); alias expansion is bounded`),
        file,
        line: pos.line,
        col: pos.col,
      });
      return;
    }
    if (value === null || value === undefined) return;
    documents.push({ file, index, value, locate: (path) => locateNode(doc, path, at) });
  });
  return { documents, diagnostics };
}

function yamlMessage(code: string, message: string): string {
  // The library appends " at line N, column M:" plus a source excerpt; we print the position ourselves.
  const first = message.split(/ at line \d+, column \d+/)[0] ?? message;
  return code === 'TAG_RESOLVE_FAILED' || /Unresolved tag/.test(first)
    ? `${first.replace('Unresolved tag: ', 'unsupported tag ').replace('tag:yaml.org,2002:', '!!')} (custom tags are not allowed)`
    : first;
}

/** Splits `spec.containers[0].ports[1].name` into `['spec','containers',0,'ports',1,'name']`. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  // Map keys appear in brackets as Kubernetes prints them: `metadata.labels[app.kubernetes.io/name]`.
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]*)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

function locateNode(
  doc: Document,
  path: string,
  at: (offset: number) => { line: number; col: number },
): { line: number; col: number } | undefined {
  // Walk as deep as the path exists, so an error about a missing field points at its parent.
  let node: unknown = doc.contents;
  let found: Node | undefined = isNodeLike(node) ? node : undefined;
  for (const seg of splitPath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      node = pair.value;
      if (isNodeLike(pair.value)) found = pair.value;
      else if (isNodeLike(pair.key)) found = pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!isNodeLike(node)) break;
      found = node;
    } else break;
  }
  const range = found?.range;
  return range ? at(range[0]) : undefined;
}

/** locateNode's walk over the fast reader's positions. */
function locatePosition(root: PositionNode, path: string): { line: number; col: number } | undefined {
  let node = root;
  for (const seg of splitPath(path)) {
    const children = node.children;
    const child = children instanceof Map ? children.get(String(seg)) : Array.isArray(children) && typeof seg === 'number' ? children[seg] : undefined;
    if (!child) break;
    node = child;
  }
  return { line: node.line, col: node.col };
}

function isNodeLike(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x;
}

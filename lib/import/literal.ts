import { propertyKey, quote } from './identifiers.ts';

/** A name in the generated program standing for a value: a hoisted label map, a construct. */
export class Ref {
  constructor(
    readonly name: string,
    /** What the name stands for when the program runs (so an import can be checked in-process). */
    readonly value: unknown,
  ) {}
}

/** Plain JSON data, possibly holding Refs: what a generated construct's props are. */
export type Literal = string | number | boolean | null | Ref | Literal[] | { [key: string]: Literal };

const INLINE_WIDTH = 72;

/**
 * A TypeScript expression for the data: objects and arrays short enough stay on one line, longer
 * ones break one entry a line (the formatter then indents them).
 */
export function printLiteral(value: Literal): string {
  if (value instanceof Ref) return value.name;
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map(printLiteral);
    return fits(items, 2) ? `[${items.join(', ')}]` : `[\n${items.map((i) => `${i},\n`).join('')}]`;
  }
  const entries = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${printLiteral(v)}`);
  if (entries.length === 0) return '{}';
  return fits(entries, 4) ? `{ ${entries.join(', ')} }` : `{\n${entries.map((e) => `${e},\n`).join('')}}`;
}

function fits(items: string[], brackets: number): boolean {
  return !items.some((i) => i.includes('\n')) && items.reduce((n, i) => n + i.length + 2, brackets) <= INLINE_WIDTH;
}

/** The data a program builds from the literal when it runs (Refs replaced by what they stand for). */
export function evaluate(value: Literal): unknown {
  if (value instanceof Ref) return value.value;
  if (Array.isArray(value)) return value.map(evaluate);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v)]));
  return value;
}

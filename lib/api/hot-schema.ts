/**
 * A kind's zod schema, compiled (`z.compile`: zod generates a parser function for the schema)
 * once the kind has been validated often enough for the compile to pay off. A program of a
 * thousand Apps validates a thousand ReplicaSets: the compiled parser takes about half the time
 * of zod's interpreter. A handful of objects never pay the compile (a few ms per kind).
 *
 * The compiled parser is only a fast path: on any input it does not accept it hands the parse
 * back to zod's interpreter, so every issue (and so every diagnostic) is the interpreter's own.
 * test/api/hot-schema.test.ts checks both agree on valid and invalid objects.
 */
import { z } from 'zod';

/** Parses of one schema before it is compiled. */
export const COMPILE_AFTER = 64;

interface Hot {
  uses: number;
  compiled?: z.ZodType;
}

const hot = new WeakMap<z.ZodType, Hot>();

/** The schema to parse with: the compiled one once `schema` is hot (and compiles), else `schema`. */
export function hotSchema(schema: z.ZodType, after = COMPILE_AFTER): z.ZodType {
  let h = hot.get(schema);
  if (!h) hot.set(schema, (h = { uses: 0 }));
  if (h.compiled) return h.compiled;
  if (++h.uses < after) return schema;
  // Never throws: a schema zod cannot compile comes back unchanged, on the interpreter.
  h.compiled = z.compile(schema);
  return h.compiled;
}

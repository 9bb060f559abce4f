/**
 * A kind's zod schema, compiled (`z.compile`: zod generates a parser function for the schema)
 * once the kind has been validated often enough for the compile to pay off. Warm, the compiled
 * parser takes about half the time of zod's interpreter; but compiling the ReplicaSet schema
 * costs ~0.1 s and the generated code its own JIT warm-up, so in a one-shot `kite synth` it
 * pays only beyond a thousand or two objects of a kind (measured with
 * `test/bench/synth-phases.ts --cold`: compiled after 64 parses, 1,000 Apps validated 10-15%
 * slower and 5,000 Apps 15-25% faster).
 *
 * The compiled parser is only a fast path: on any input it does not accept it hands the parse
 * back to zod's interpreter, so every issue (and so every diagnostic) is the interpreter's own.
 * test/api/hot-schema.test.ts checks both agree on valid and invalid objects.
 */
import { z } from 'zod';

/** Parses of one schema before it is compiled. */
export const COMPILE_AFTER = 1024;

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

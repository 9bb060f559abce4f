/**
 * Valid objects' validation results kept between runs, so that a re-plan or re-synth validates only
 * the objects that changed (validating thousands of objects is most of a program's box's CPU).
 *
 * Exact by construction: an object is found by a SHA-256 of the exact text of everything its
 * validation reads (lib/api/validate.ts `ValidationMemo`: the stripped input as JSON, key order
 * included, its apiVersion and kind, the options; an object JSON cannot write exactly is not
 * remembered); what was stored for it is the V8 serialization of the very result (normalized
 * object and warnings) computed for it, which deserializes to an identical one. Only valid results are kept:
 * an invalid object is validated again, so every error is the validator's own. The file is tied to
 * the code that made it (`codeIdentity`: the bundle that holds kite's validation, content-hashed
 * chunks included, and Node's version) and ignored when it differs; a file that cannot be read is
 * ignored too. It holds the last run's objects only: old entries go when the file is rewritten.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { ValidateResult, ValidationMemo } from '../api/validate.ts';
import { findUp } from './find-up.ts';

const FORMAT = 'kite-validated-1';

let identity: string | null | undefined;

/**
 * What the results depend on besides the input: this bundle's own text (it imports kite's validation
 * and zod from chunks whose names are hashes of their content) and Node's version. Undefined when
 * kite runs from its TypeScript sources (tests, benches in process): nothing identifies them.
 */
export function codeIdentity(): string | undefined {
  if (identity !== undefined) return identity ?? undefined;
  const self = fileURLToPath(import.meta.url);
  identity = self.endsWith('.js') ? createHash('sha256').update(readFileSync(self)).update(process.version).digest('hex') : null;
  return identity ?? undefined;
}

/** The cache file for a program or YAML input: in the project's node_modules/.cache/kite, like the type check's build info. */
export function validationCacheFile(inputs: readonly string[]): string | undefined {
  if (inputs.length === 0) return undefined;
  const files = inputs.map((f) => resolve(f));
  const modules = findUp(dirname(files[0]!), 'node_modules');
  if (!modules) return undefined;
  const key = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  return join(modules, '.cache', 'kite', `validated-${key}.bin`);
}

export class ValidationCache implements ValidationMemo {
  /** This run's entries: what `save` writes. */
  private readonly used = new Map<string, Uint8Array>();
  private added = 0;

  private constructor(
    private readonly file: string | undefined,
    private readonly identity: string,
    private readonly stored: Map<string, Uint8Array>,
  ) {}

  /** The cache in `file` for code `identity` (empty if there is none, it is another code's, or unreadable); `file` undefined: this run only. */
  static open(file: string | undefined, identity = codeIdentity()): ValidationCache | undefined {
    if (identity === undefined) return undefined;
    return new ValidationCache(file, identity, file ? read(file, identity) : new Map());
  }

  get(input: string): ValidateResult | undefined {
    const key = hash(input);
    const bytes = this.used.get(key) ?? this.stored.get(key);
    if (!bytes) return undefined;
    let result: ValidateResult;
    try {
      result = deserialize(bytes) as ValidateResult;
    } catch {
      return undefined;
    }
    this.used.set(key, bytes);
    return result;
  }

  set(input: string, result: ValidateResult): void {
    try {
      this.used.set(hash(input), serialize(result));
      this.added++;
    } catch {
      // not serializable: not remembered
    }
  }

  /** Objects validated this run that were not in the file. */
  get misses(): number {
    return this.added;
  }

  /**
   * Writes this run's entries when they differ from the file's (atomically: a kite killed meanwhile
   * leaves the old file). Never fails the run: a cache that cannot be written is only slower.
   */
  save(): void {
    if (!this.file || (this.added === 0 && this.used.size === this.stored.size)) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, serialize({ format: FORMAT, identity: this.identity, entries: this.used }));
      renameSync(tmp, this.file);
    } catch {
      // read-only project, full disk: validated again next time
    }
  }
}

/** Entries are found by a hash of their input: the inputs themselves would double the file. */
function hash(input: string): string {
  return createHash('sha256').update(input).digest('base64');
}

function read(file: string, identity: string): Map<string, Uint8Array> {
  try {
    const data = deserialize(readFileSync(file)) as { format?: unknown; identity?: unknown; entries?: unknown };
    if (data.format === FORMAT && data.identity === identity && data.entries instanceof Map) return data.entries as Map<string, Uint8Array>;
  } catch {
    // missing, truncated or not ours
  }
  return new Map();
}

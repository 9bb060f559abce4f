import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../api/diagnostics.ts';
import type { BestPracticesMode } from '../policy/rule.ts';
import { loadProgram, type ProgramOptions } from './load-program.ts';
import type { LoadResult } from './manifest.ts';
import type { ProgramOutput } from './program-box.ts';
import { typecheckProgram } from './typecheck.ts';
import type { RawManifest } from './validate-manifests.ts';

export const PROGRAM_EXTENSIONS = new Set(['.ts', '.mts', '.tsx', '.js', '.mjs', '.jsx']);
export const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface LoadOptions {
  /** Stack name for YAML input. Default: the file or directory name without extension. */
  stack?: string | undefined;
  /** Type-check a TypeScript program (default true); its errors are diagnostics like any other. */
  typecheck?: boolean | undefined;
  /** How long a program may run (default 60s); then it is killed and that is an error. */
  programTimeoutMs?: number | undefined;
  /** Where a program's own output goes (default: kite's stderr, each line marked with its file). */
  programOutput?: ProgramOutput | undefined;
  /** Told a program's stack names as soon as it has run, before its objects are validated. */
  onStackNames?: ((names: string[]) => void) | undefined;
  /** Told the valid objects a part at a time as they are validated (ProgramOptions.onManifests; YAML's too). */
  onManifests?: ProgramOptions['onManifests'];
  /** kite's best-practice rules: the mode for YAML input (default `warning`), over a program's stacks' own. */
  bestPractices?: BestPracticesMode | undefined;
}

/**
 * Loads the desired state from a TypeScript/JavaScript program (every exported Stack) or from
 * YAML/JSON files (a file or a directory, one stack), validated and in deterministic order.
 */
export async function loadInput(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return fail(path, `no such file or directory`);
  }
  if (info.isDirectory()) return loadManifestFiles(await manifestFilesIn(path), options.stack ?? basename(resolve(path)), path, options);
  const ext = extname(path);
  if (PROGRAM_EXTENSIONS.has(ext)) return loadProgramStacks(path, options);
  if (MANIFEST_EXTENSIONS.has(ext)) return loadManifestFiles([path], options.stack ?? basename(path, ext), path, options);
  return fail(path, `unsupported input: expected a program (${[...PROGRAM_EXTENSIONS].join(' ')}), manifests (${[...MANIFEST_EXTENSIONS].join(' ')}) or a directory`);
}

/**
 * The stack a manifest file is loaded as (`--stack`, else its name without the extension), known
 * before it is read; undefined for a program. (A directory named like a file is named in full by
 * loadInput: a wrong guess here only reads a stack the plan does not use.)
 */
export function manifestFileStack(path: string, stack?: string): string | undefined {
  const ext = extname(path);
  return MANIFEST_EXTENSIONS.has(ext) ? (stack ?? basename(path, ext)) : undefined;
}

function fail(file: string, message: string): LoadResult {
  return { stacks: [], diagnostics: [{ severity: 'error', code: 'input', path: '', message, file }] };
}

async function loadProgramStacks(file: string, options: LoadOptions): Promise<LoadResult> {
  // The check runs in its own process while the program is bundled and run in its box.
  const [typeErrors, program] = await Promise.all([
    (options.typecheck ?? true) ? typecheckProgram(file) : [],
    loadProgram(file, { timeoutMs: options.programTimeoutMs, output: options.programOutput, onStackNames: options.onStackNames, onManifests: options.onManifests, bestPractices: options.bestPractices }),
  ]);
  return { stacks: program.stacks, diagnostics: [...typeErrors, ...program.diagnostics] };
}

async function loadManifestFiles(files: string[], stack: string, input: string, options: LoadOptions): Promise<LoadResult> {
  if (files.length === 0) return fail(input, 'no manifest files (.yaml, .yml, .json) found');
  const sources = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
  return loadManifestTexts(sources, stack, { bestPractices: options.bestPractices, onManifests: options.onManifests, cacheValidation: true });
}

/**
 * YAML/JSON texts (files already read, or stdin) as one stack, validated as `loadInput` does.
 * `cacheValidation`: the sources are files, whose objects validated by an earlier run on them are
 * not validated again (validation-cache.ts).
 */
export async function loadManifestTexts(
  sources: readonly { file: string; text: string }[],
  stack: string,
  options: Pick<LoadOptions, 'bestPractices' | 'onManifests'> & { cacheValidation?: boolean } = {},
): Promise<LoadResult> {
  const raws: RawManifest[] = [];
  const diagnostics: Diagnostic[] = [];
  // The YAML parser and the object model load only for YAML: a program is validated in its box.
  const [{ parseYaml }, { ManifestValidation }, { checkBuiltIns }, { ValidationCache, validationCacheFile }] = await Promise.all([
    import('./parse-yaml.ts'),
    import('./validate-manifests.ts'),
    import('../policy/check.ts'),
    import('./validation-cache.ts'),
  ]);
  for (const { file, text } of sources) {
    const parsed = parseYaml(text, file);
    diagnostics.push(...parsed.diagnostics);
    for (const doc of parsed.documents) {
      const start = doc.locate('');
      const items = expandList(doc.value);
      items.forEach((value, i) => {
        const prefix = items.length > 1 || value !== doc.value ? `items[${i}].` : '';
        raws.push({
          value,
          origin: { file, line: start?.line, col: start?.col, locate: (p) => doc.locate(prefix + p) ?? (prefix ? doc.locate(`items[${i}]`) : undefined) },
        });
      });
    }
  }
  // Objects validated by an earlier run on the same files, unchanged since, are not validated again.
  const cache = options.cacheValidation ? ValidationCache.open(validationCacheFile(sources.map((s) => s.file))) : undefined;
  // A part at a time, the event loop turning between parts: what the caller began meanwhile (a
  // plan's cluster reads: the API server answers on another core) goes on while this validates.
  const validation = new ManifestValidation(cache);
  for (let i = 0; i < raws.length; i += VALIDATION_PART) {
    if (i > 0) await new Promise((next) => setImmediate(next));
    const added = validation.add(raws.slice(i, i + VALIDATION_PART));
    if (added.length > 0) options.onManifests?.(stack, added);
  }
  const valid = validation.result();
  cache?.save();
  const policy = checkBuiltIns(valid.manifests, options.bestPractices ?? 'warning');
  return { stacks: [{ name: stack, manifests: valid.manifests }], diagnostics: [...diagnostics, ...valid.diagnostics, ...policy] };
}

/** Documents validated between two turns of the event loop (the box sends its objects 500 at a time too). */
const VALIDATION_PART = 500;

/** `kind: List` (what `kubectl get -o yaml` writes) stands for its items. */
function expandList(value: unknown): unknown[] {
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'List') {
    const items = (value as { items?: unknown }).items;
    if (Array.isArray(items)) return items;
  }
  return [value];
}

async function manifestFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (MANIFEST_EXTENSIONS.has(extname(e.name))) out.push(p);
    }
  };
  await walk(dir);
  return out.map((p) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p)));
}

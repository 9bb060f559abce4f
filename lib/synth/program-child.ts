// The box a user's program runs in: a child process of kite (see program-box.ts). It imports the
// bundled program, synthesizes its stacks, validates them and sends the manifests back over the IPC
// channel.
// Its stdout and stderr are the program's own: kite shows them on its stderr, marked. Anything
// the program does to end or stall this process is reported to kite as a failed program.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../api/diagnostics.ts';
import { Stack } from '../constructs/stack.ts';
import type { BoxedStack, FromBox, ToBox } from './box-protocol.ts';
import { packageRoot } from './package-root.ts';
import { programError } from './program-error.ts';
import { synthStack } from './synth-stack.ts';
import { checkStackPolicies } from '../policy/check-stack.ts';
import type { BestPracticesMode } from '../policy/rule.ts';
import { setProgramEntry, userFrame, type SourcePosition } from './user-frame.ts';
import type { Manifest } from './manifest.ts';
import { ManifestValidation } from './validate-manifests.ts';
import { ValidationCache, validationCacheFile } from './validation-cache.ts';

/** waiting for kite's `run` → running the program → synthesized, or failed. */
let phase: 'waiting' | 'running' | 'synthesized' | 'failed' = 'waiting';
let entry = '';
const exit = process.exit.bind(process);

/** Thrown by the program's `process.exit()` so that its code stops there, as it would have. */
class ProgramExited extends Error {}

function send(message: FromBox): Promise<void> {
  return new Promise((done, fail) => process.send!(message, undefined, {}, (e) => (e ? fail(e) : done())));
}

/** The first failure while the program runs is reported, and ends the box. */
async function fail(diagnostic: Diagnostic): Promise<void> {
  if (phase !== 'running') return;
  phase = 'failed';
  await send({ type: 'failed', diagnostic }).catch(() => undefined);
  exit(1);
}

function failure(message: string, at?: Partial<SourcePosition>): Diagnostic {
  return { severity: 'error', code: 'program', path: '', message, file: at?.file ?? entry, line: at?.line, col: at?.col };
}

process.exit = ((code?: number | string | null) => {
  const shown = code ?? process.exitCode ?? 0;
  void fail(failure(`the program called process.exit(${shown}): a program must not exit (kite runs it to read the stacks it exports)`, userFrame(new Error().stack)));
  throw new ProgramExited(`process.exit(${shown})`);
}) as typeof process.exit;

const onError = (e: unknown) => {
  if (e instanceof ProgramExited) return;
  void programError(e, entry).then(fail);
};
process.on('uncaughtException', onError);
process.on('unhandledRejection', onError);

// Nothing left to run while the program's module has not finished: it awaits a promise that
// nothing will settle (Node would exit with code 13 and no message).
process.on('beforeExit', () => {
  void fail(failure('the program never finished: it awaits a promise that nothing settles (a top-level await that never resolves?)'));
});

// While kite bundles the program, load kite's library: a program importing `kite` from the
// same install (the usual case) then finds it loaded, as it did when programs ran inside kite.
const warm = import(pathToFileURL(join(packageRoot(), 'build', 'index.js')).href).catch(() => undefined);

process.once('message', (m: ToBox) => {
  if (m.type !== 'run') return;
  // While the program runs, the channel must not keep this process alive (see beforeExit).
  process.channel?.unref();
  void run(m.bundle, m.entry, m.bestPractices);
});

async function run(bundle: string, file: string, bestPractices?: BestPracticesMode): Promise<void> {
  phase = 'running';
  entry = file;
  setProgramEntry(file);
  let result: Extract<FromBox, { type: 'result' }> | undefined;
  try {
    await warm;
    // Only now, for the program's bundle (its inline map points at the user's .ts lines): kite's own
    // chunks, loaded before, are not mapped, which spares reading their maps and mapping their frames
    // in every stack the constructs capture (user-frame.ts skips kite's frames either way).
    process.setSourceMapsEnabled(true);
    const exports = (await import(pathToFileURL(bundle).href)) as Record<string, unknown>;
    // A promise the program rejected without handling it is reported after this tick.
    await new Promise((done) => setImmediate(done));
    if (phase !== 'running') return;
    result = await synthesize(exports, bestPractices);
  } catch (e) {
    if (!(e instanceof ProgramExited)) await fail(await programError(e, entry));
    return;
  }
  if (!result || phase !== 'running') return;
  try {
    await send(result);
  } catch (e) {
    await unsendable(e);
    return;
  }
  phase = 'synthesized';
  process.channel?.ref();
  // kite ends this process when it is done; if kite itself is gone, so is its reason to run.
  process.on('disconnect', () => exit(0));
}

/** Objects validated between two messages to kite: small enough that kite plans while the rest are validated. */
const PART = 500;

/** The program's stacks, their objects sent to kite a part at a time as validated; undefined if the box failed meanwhile. */
async function synthesize(exports: Record<string, unknown>, bestPractices?: BestPracticesMode): Promise<Extract<FromBox, { type: 'result' }> | undefined> {
  const found = collectStacks(exports);
  if (found.length === 0) {
    const message = 'the program exports no Stack (export default a Stack, or export stacks by name)';
    return { type: 'result', stacks: [], diagnostics: [{ severity: 'error', code: 'input', path: '', message, file: entry }] };
  }
  void send({ type: 'stacks', names: [...new Set(found.map((s) => s.name))] }).catch(() => undefined);
  const stacks: BoxedStack[] = [];
  const diagnostics: Diagnostic[] = [];
  const names = new Set<string>();
  // Objects validated by an earlier run of this program, unchanged since, are not validated again.
  const cache = ValidationCache.open(validationCacheFile([entry]));
  for (const stack of found) {
    if (names.has(stack.name)) {
      diagnostics.push({ severity: 'error', code: 'duplicate-stack', path: '', message: `two stacks are named "${stack.name}"`, file: entry });
      continue;
    }
    names.add(stack.name);
    const synth = synthStack(stack);
    const validation = new ManifestValidation(cache);
    const sent = new Map<Manifest, number>();
    for (let i = 0; i < synth.raws.length; i += PART) {
      const valid = validation.add(synth.raws.slice(i, i + PART));
      for (const m of valid) sent.set(m, sent.size);
      // Not awaited: the part goes out while the next is validated.
      send({ type: 'manifests', stack: stack.name, manifests: valid.map((m) => ({ object: m.object, construct: m.origin.construct! })) }).catch(unsendable);
      await new Promise((done) => setImmediate(done));
      if (phase !== 'running') return undefined;
    }
    const valid = validation.result();
    const policy = checkStackPolicies(stack, valid.manifests, bestPractices);
    stacks.push({
      name: stack.name,
      order: valid.manifests.map((m) => sent.get(m)!),
      diagnostics: [...synth.diagnostics, ...valid.diagnostics, ...policy],
      ...(stack.adoptFrom.length > 0 ? { adoptFrom: [...stack.adoptFrom] } : {}),
    });
  }
  cache?.save();
  return { type: 'result', stacks, diagnostics };
}

function unsendable(e: unknown): Promise<void> {
  return fail(failure(`the program's objects cannot be sent to kite: ${(e as Error).message}`));
}

/** The default export (a Stack or an array of them) first, then named exports, each once. */
function collectStacks(exports: Record<string, unknown>): Stack[] {
  const out: Stack[] = [];
  const add = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(add);
    else if (Stack.isStack(v) && !out.includes(v)) out.push(v);
  };
  add(exports.default);
  for (const [k, v] of Object.entries(exports)) if (k !== 'default') add(v);
  return out;
}

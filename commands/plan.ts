import pkg from '../package.json' with { type: 'json' };
import type { KubeClient } from '../lib/kube/index.ts';
import type { PlanAhead } from '../lib/plan/plan-ahead.ts';
import type { Plan } from '../lib/plan/plan.ts';
import { loadInput, manifestFileStack, type LoadOptions } from '../lib/synth/load-input.ts';
import type { BestPracticesMode } from '../lib/policy/rule.ts';
import type { Manifest, StackManifests } from '../lib/synth/manifest.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { reportDiagnostics, UserError, type Io } from './output.ts';
import type { TargetFlags } from './target.ts';

/** Exit code of `--detailed-exitcode` when the plan has changes (Terraform's). */
export const EXIT_CHANGES = 2;

export interface PlanOptions {
  input: string;
  stack?: string;
  typecheck: boolean;
  /** How long the program may run (default 60s). */
  programTimeoutMs?: number;
  /** `--best-practices`. */
  bestPractices?: BestPracticesMode;
  out?: string;
  output?: string;
  detailedExitcode: boolean;
  /** `--no-roll`: the plan does not count (nor continue) rollouts of ReplicaSets / ReplicationControllers. */
  noRoll?: boolean;
  /** `--adopt-from`: stacks whose members the planned stacks take over where they declare them. */
  adoptFrom?: string[];
  color: boolean;
  target: TargetFlags;
}

/** Loads the desired stacks (program or YAML); diagnostics are printed and are a user error. */
export async function loadStacks(input: string, load: LoadOptions, io: Io): Promise<StackManifests[]> {
  const { stack } = load;
  const result = await loadInput(input, load);
  if (reportDiagnostics(io, result.diagnostics)) throw new ExitError(EXIT_USER_ERROR);
  if (stack !== undefined && !input.match(/\.(ya?ml|json)$/) && result.stacks.length > 1) {
    const chosen = result.stacks.filter((s) => s.name === stack);
    if (chosen.length === 0) throw new UserError(`${input}: no stack named "${stack}" (the program has ${result.stacks.map((s) => s.name).join(', ')})`);
    return chosen;
  }
  return result.stacks;
}

/** Ends a command with a given exit code after its output was already printed. */
export class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Each stack's plan; `liveHashes: false` for a plan that is only shown as text (see PlanOptions);
 * `ahead`: stacks whose plan was begun while the program's objects were validated.
 */
export async function computePlans(
  stacks: StackManifests[],
  client: KubeClient,
  opts: { liveHashes?: boolean; ahead?: ReadonlyMap<string, Promise<PlanAhead>>; noRoll?: boolean; adoptFrom?: readonly string[] } = {},
): Promise<Plan[]> {
  const { planStack } = await import('../lib/plan/planner.ts');
  const plans: Plan[] = [];
  for (const stack of stacks) {
    const ahead = await opts.ahead?.get(stack.name)?.catch(() => undefined);
    await ahead?.settled();
    plans.push(
      await planStack(stack, client, {
        context: client.target.context,
        server: client.target.server,
        toolVersion: pkg.version,
        now: new Date(),
        liveHashes: opts.liveHashes,
        inventory: ahead?.inventory,
        planned: ahead?.planned,
        ...(opts.noRoll ? { noRoll: true } : {}),
        ...(opts.adoptFrom ? { adoptFrom: opts.adoptFrom } : {}),
      }),
    );
  }
  return plans;
}

/**
 * Begins each named stack's plan (its inventory read, then its objects diffed as the box sends
 * them) while the program's objects are still being validated: at thousands of objects
 * validating and planning take about as long, and each has a core.
 */
function planAhead(names: string[], connected: Promise<KubeClient>, into: Map<string, Promise<PlanAhead>>): void {
  for (const name of names) {
    const ahead = Promise.all([connected, import('../lib/plan/plan-ahead.ts'), import('../lib/plan/inventory.ts')]).then(
      ([client, { PlanAhead }, { applySetFor }]) => new PlanAhead(client, applySetFor(name)),
    );
    ahead.catch(() => undefined); // a target that cannot be reached is reported by the plan
    into.set(name, ahead);
  }
}

/** `kite plan`: what apply would do, as text or JSON; `--out` saves it for `kite apply plan.json`. */
export async function planCommand(o: PlanOptions, io: Io): Promise<number> {
  if (o.output !== undefined && o.output !== 'json' && o.output !== 'text') throw new UserError(`--output: expected json or text, got "${o.output}"`);
  // The planner and the client load while the program runs in its box, not before the box starts.
  const planning = Promise.all([import('../lib/plan/plan.ts'), import('../lib/plan/render.ts'), import('./target.ts'), import('./saved-plan.ts'), import('../lib/plan/planner.ts')]);
  let client: KubeClient | undefined;
  let ended = false;
  const aheads = new Map<string, Promise<PlanAhead>>();
  const connectOnce = async () => {
    const [, , { connect }] = await planning;
    // A plan that ended early (bad input) does not start reading the cluster afterwards.
    if (ended) throw new UserError('the plan has ended');
    return (client ??= connect(o.target));
  };
  try {
    // A target that cannot be reached is reported once the program's diagnostics are, not here.
    const onStackNames = (names: string[]) => planAhead(names, connectOnce(), aheads);
    // Discovery while the program is bundled and run (kite waits for it anyway); YAML names its
    // stack up front, so its inventory is read while the files are parsed and validated.
    const manifestStack = manifestFileStack(o.input, o.stack);
    if (manifestStack !== undefined) onStackNames([manifestStack]);
    else connectOnce().then((c) => c.discover(), () => undefined).catch(() => undefined);
    // Parts arrive in order, and each ahead's `then` runs in the order it was registered.
    const onManifests = (stack: string, manifests: readonly Manifest[]) =>
      void aheads.get(stack)?.then((a) => a.add(manifests.map((m) => m.object)), () => undefined);
    const stacks = await loadStacks(o.input, { stack: o.stack, typecheck: o.typecheck, programTimeoutMs: o.programTimeoutMs, bestPractices: o.bestPractices, onStackNames, onManifests }, io);
    if (o.out && stacks.length !== 1) {
      throw new UserError(`--out saves one stack's plan; ${o.input} has ${stacks.length} (${stacks.map((s) => s.name).join(', ')}): choose one with --stack`);
    }
    const [{ hasChanges }, { renderPlan, renderPlanJson }, , { writeSavedPlan }] = await planning;
    const c = await connectOnce();
    // Hashes of the live objects are for applying a plan: saved (--out), or read as JSON.
    const plans = await computePlans(stacks, c, { liveHashes: o.out !== undefined || o.output === 'json', ahead: aheads, ...(o.noRoll ? { noRoll: true } : {}), ...(o.adoptFrom ? { adoptFrom: o.adoptFrom } : {}) });
    if (o.output === 'json') io.out(plans.length === 1 ? renderPlanJson(plans[0]!) : `[${plans.map(renderPlanJson).join(',\n')}]\n`);
    else io.out(plans.map((p) => renderPlan(p, { color: o.color })).join('\n'));
    if (o.out) {
      await writeSavedPlan(o.out, plans[0]!);
      io.err(`Saved the plan to ${o.out}. To perform exactly these actions, run: kite apply ${o.out}\n`);
    }
    const changes = plans.some(hasChanges);
    return o.detailedExitcode && changes ? EXIT_CHANGES : EXIT_OK;
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    throw e;
  } finally {
    ended = true;
    client?.close();
  }
}

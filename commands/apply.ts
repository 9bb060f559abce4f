import type { KubeObject } from '../lib/api/meta.ts';
import { StatusError } from '../lib/api/status.ts';
import { KiteError } from '../lib/errors.ts';
import type { KubeClient } from '../lib/kube/index.ts';
import { applyPlan, refuseReplace } from '../lib/plan/apply.ts';
import { acquireLock, forceUnlock, LockedError, LockNotReleasedError, readLock, type LockOptions } from '../lib/plan/lock.ts';
import { hasChanges, refId, type ObjectRef, type Plan } from '../lib/plan/plan.ts';
import { planDestroy } from '../lib/plan/planner.ts';
import { createProgress, type Operation } from '../lib/plan/progress.ts';
import { renderPlan } from '../lib/plan/render.ts';
import { recordRun, type HistoryOptions } from '../lib/plan/history/record.ts';
import { RolloutError } from '../lib/plan/rollout/roll.ts';
import { DeadlineExceededError, InterruptedError, stopReason } from '../lib/plan/stop.ts';
import { waitForReady, type WaitResult } from '../lib/plan/wait.ts';
import pkg from '../package.json' with { type: 'json' };
import { confirm, interactive } from './confirm.ts';
import { exitCodeOf, trapInterrupts } from './interrupt.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';
import type { BestPracticesMode } from '../lib/policy/rule.ts';
import { computePlans, ExitError, loadStacks } from './plan.ts';
import { isSavedPlan, readSavedPlan } from './saved-plan.ts';
import { connect, type TargetFlags } from './target.ts';

export interface ApplyOptions {
  input: string;
  stack?: string;
  typecheck: boolean;
  /** How long the program may run (default 60s). */
  programTimeoutMs?: number;
  /** `--best-practices`. */
  bestPractices?: BestPracticesMode;
  yes: boolean;
  allowReplace: boolean;
  forceUnlock: boolean;
  wait: boolean;
  /** `--no-roll`: write ReplicaSets / ReplicationControllers without replacing their pods. */
  noRoll?: boolean;
  /** `--adopt-from`: stacks whose members the applied stacks take over where they declare them. */
  adoptFrom?: string[];
  timeoutMs: number;
  color: boolean;
  target: TargetFlags;
  /** The stack lock's lease (tests shorten its duration). */
  lock?: Pick<LockOptions, 'durationSeconds'>;
  /** How the run is recorded in the stack's history (lib/plan/history). */
  history?: HistoryOptions;
}

/**
 * `kite apply`: plan (or read a saved plan), confirm, then apply under the stack's lock, in
 * order, and wait until what was applied is ready (all within --timeout).
 */
export async function applyCommand(o: ApplyOptions, io: Io): Promise<number> {
  try {
    const saved = (await isSavedPlan(o.input)) ? await readSavedPlan(o.input) : undefined;
    const client = connect(o.target);
    try {
      if (saved && saved.target.server !== client.target.server) {
        throw new UserError(`${o.input} was planned against ${saved.target.server} (context ${saved.target.context}), not ${client.target.server}: run kite plan against this cluster`);
      }
      const plans = saved ? [saved] : await computePlans(await loadStacks(o.input, { stack: o.stack, typecheck: o.typecheck, programTimeoutMs: o.programTimeoutMs, bestPractices: o.bestPractices }, io), client, { ...(o.noRoll ? { noRoll: true } : {}), ...(o.adoptFrom ? { adoptFrom: o.adoptFrom } : {}) });
      let code = EXIT_OK;
      for (const plan of plans) code = Math.max(code, await applyOne(plan, client, o, io, !!saved, 'apply'));
      return code;
    } finally {
      client.close();
    }
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    throw e;
  }
}

/** `kite destroy`: every object of the stack, in reverse order, then its inventory. */
export async function destroyCommand(o: Omit<ApplyOptions, 'allowReplace' | 'wait' | 'typecheck'> & { stackName?: string }, io: Io): Promise<number> {
  try {
    const names = o.stackName ? [o.stackName] : (await loadStacks(o.input, { stack: o.stack, typecheck: false }, io)).map((s) => s.name);
    const client = connect(o.target);
    try {
      let code = EXIT_OK;
      for (const name of names) {
        const plan = await planDestroy(name, client, { context: client.target.context, server: client.target.server, toolVersion: pkg.version, now: new Date() });
        if (plan.actions.length === 0) {
          io.out(`Nothing to destroy: stack ${name} has no inventory on context ${plan.target.context} (${refId(plan.applySet.parent)}).\n`);
          continue;
        }
        code = Math.max(code, await applyOne(plan, client, { ...o, allowReplace: false, wait: false, typecheck: false }, io, false, 'destroy'));
      }
      return code;
    } finally {
      client.close();
    }
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    throw e;
  }
}

/** What apply and destroy say, where they differ. */
const MESSAGES: Record<Operation, { refuse: string; question: (plan: Plan) => string; cancelled: string }> = {
  apply: {
    refuse: 'refusing to apply without confirmation: run in a terminal, or pass --yes (pipelines), or apply a saved plan (kite plan --out plan.json; kite apply plan.json)',
    question: (plan) => `\nDo you want to perform these actions on ${plan.target.context} (stack ${plan.stack})?`,
    cancelled: 'Apply cancelled.\n',
  },
  destroy: {
    refuse: 'refusing to destroy without confirmation: run in a terminal, or pass --yes (pipelines)',
    question: (plan) => `\nDo you really want to destroy stack ${plan.stack} on ${plan.target.context}?\n  kite will delete the objects marked - above. There is no undo.`,
    cancelled: 'Destroy cancelled.\n',
  },
};

/** The objects a plan keeps (a namespace holding what kite did not create), with why. */
type Kept = Array<{ ref: ObjectRef; reason?: string }>;

/**
 * Applies (or destroys by) one plan. A plan with changes is refused at once, before it is shown,
 * when another run holds the stack's lock (a read, not a take: nobody is locked out while this
 * run's user reads the plan and answers the prompt). The lock is taken after the confirmation;
 * should a run have taken it in between, this one is refused then, and should one have come and
 * gone, its writes make this plan stale (applyPlan checks that before writing). From the take to
 * the release, on every path out: the lock renews itself, one deadline (`--timeout`) bounds the
 * writes, the waits for replaced objects to be gone and the readiness wait, and Ctrl-C or SIGTERM
 * stops the run with its summary (exit 130 for Ctrl-C).
 */
export async function applyOne(plan: Plan, client: KubeClient, o: ApplyOptions, io: Io, saved: boolean, operation: Operation): Promise<number> {
  const kept: Kept = plan.actions.filter((a) => a.kept).map((a) => ({ ref: a.ref, ...(a.reason ? { reason: a.reason } : {}) }));
  if (!hasChanges(plan)) {
    io.out(renderPlan(plan, { color: o.color }));
    if (operation === 'destroy' && kept.length > 0) {
      const ids = kept.map((k) => refId(k.ref));
      const list = ids.length === 1 ? ids[0] : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
      io.err(`Stack ${plan.stack} is not destroyed: ${list} ${ids.length === 1 ? 'is' : 'are'} kept (see above). Once the objects kite did not create are gone, run kite destroy again.\n`);
    }
    return EXIT_OK;
  }
  if (!o.forceUnlock) {
    const held = await readLock(client, plan.stack);
    if (held && !held.expired) throw new LockedError(held);
  }
  io.out(renderPlan(plan, { color: o.color }));
  refuseReplace(plan, o.allowReplace);
  const messages = MESSAGES[operation];
  if (!o.yes && !saved) {
    if (!interactive()) throw new UserError(messages.refuse);
    if (!(await confirm(messages.question(plan)))) {
      io.err(messages.cancelled);
      return EXIT_USER_ERROR;
    }
  }
  if (o.forceUnlock) {
    await forceUnlock(client, plan.stack);
    io.err(`Removed the lock of stack ${plan.stack}.\n`);
  }
  const lock = await acquireLock(client, plan.stack, o.lock);
  const interrupts = trapInterrupts();
  let code = EXIT_USER_ERROR;
  try {
    code = await applyLocked(plan, client, o, io, AbortSignal.any([interrupts.signal, lock.lost]), operation, kept);
  } finally {
    interrupts.dispose();
    // After the summary (or before the error that ended the run): whether the lock stays, until when.
    const left = await lock.release().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (left instanceof LockNotReleasedError) io.err(`${left.message}\n`);
    if (left) code = Math.max(code, EXIT_USER_ERROR);
  }
  return code;
}

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The writes and the readiness wait, under one deadline, until done or `stop` aborts. */
async function applyLocked(plan: Plan, client: KubeClient, o: ApplyOptions, io: Io, stop: AbortSignal, operation: Operation, kept: Kept): Promise<number> {
  const progress = createProgress({ write: (t) => io.err(t), isTTY: !!process.stderr.isTTY, color: o.color, columns: process.stderr.columns ?? 100, rows: process.stderr.rows ?? 24 });
  const started = Date.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceededError(o.timeoutMs)), Math.min(o.timeoutMs, MAX_TIMER_MS));
  progress.plan(plan.actions.filter((a) => a.action !== 'no-op').map((a) => ({ ref: a.ref, action: a.action })));
  try {
    const result = await applyPlan(plan, client, {
      allowReplace: o.allowReplace,
      ...(o.noRoll ? { noRoll: true } : {}),
      signal: AbortSignal.any([stop, deadline.signal]),
      onEvent: (e) => {
        if (e.type === 'start') progress.applied(e.ref, e.action, 'applying');
        else if (e.type === 'waiting') progress.applied(e.ref, e.action, 'waiting', e.message);
        else if (e.type === 'done') progress.applied(e.ref, e.action, 'done');
        else if (e.type === 'failed') progress.applied(e.ref, e.action, 'failed', e.error.message);
      },
    });
    const applied = result.applied.map((a) => ({ ref: a.ref, action: a.action }));
    const byRef = new Map(plan.actions.map((a) => [refId(a.ref), a.action]));
    const notApplied = [
      ...(result.failures ?? (result.failed ? [result.failed] : [])).map((f) => ({ ref: f.ref, action: f.action ?? byRef.get(refId(f.ref)) ?? 'update', error: f.error.message })),
      ...result.skipped.map((ref) => ({ ref, action: byRef.get(refId(ref)) ?? ('update' as const) })),
    ];
    let wait: WaitResult | undefined;
    let waitError: Error | undefined;
    if (o.wait && !result.failed && !result.stopped) {
      const refs: ObjectRef[] = plan.actions.filter((a) => a.action === 'create' || a.action === 'update' || a.action === 'replace' || a.action === 'move' || a.action === 'adopt').map((a) => a.ref);
      const manifests = plan.actions.flatMap((a) => (a.desired ? [a.desired as unknown as KubeObject] : []));
      // The deadline's own timer is not in this signal: at the deadline the wait reports what timed out.
      try {
        wait = await waitForReady(client, refs, { timeoutMs: Math.max(0, o.timeoutMs - (Date.now() - started)), manifests, signal: stop, onUpdate: (s) => progress.update(s) });
      } catch (e) {
        // The cluster went away (or refused the watch): what was applied still gets its summary.
        if (!(e instanceof KiteError || e instanceof StatusError)) throw e;
        waitError = e;
      }
    }
    const stopped = result.stopped ?? (stop.aborted ? stopReason(stop) : waitError);
    progress.finish({ operation, applied, notApplied, kept, ...(wait ? { wait } : {}), ...(stopped ? { stopped } : {}), elapsedMs: Date.now() - started });
    const notReady = wait && (wait.failed.length > 0 || wait.timedOut.length > 0 || wait.unfinished.length > 0);
    // A rollout that stopped on a failing new pod still wrote its object: the run is recorded, as failed.
    const failures = result.failures ?? (result.failed ? [result.failed] : []);
    const rollout = failures.length > 0 && failures.every((f) => f.error instanceof RolloutError) ? failures[0]!.error : undefined;
    const written = !result.stopped && result.skipped.length === 0 && (failures.length === 0 || rollout !== undefined);
    await recordRun(client, plan, { operation, written, stopped: stopped ?? rollout, wait }, o.history ?? {}, (m) => io.err(`${m}\n`));
    if (stopped instanceof InterruptedError) return exitCodeOf(stopped.signal);
    return result.failed || stopped || notReady ? EXIT_USER_ERROR : EXIT_OK;
  } catch (e) {
    progress.stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

import { findRevision, previousGood } from '../lib/plan/history/select.ts';
import { manifestsOf } from '../lib/plan/history/revision.ts';
import { listRevisions } from '../lib/plan/history/store.ts';
import type { StackManifests } from '../lib/synth/manifest.ts';
import { applyOne } from './apply.ts';
import { EXIT_OK } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';
import { computePlans, EXIT_CHANGES, ExitError } from './plan.ts';
import { connect, type TargetFlags } from './target.ts';

export interface RollbackOptions {
  stack: string;
  /** The revision to go back to (default: the newest deployed one before the current). */
  to?: number;
  /** Only plan: save the plan here (`kite apply FILE` applies it). */
  out?: string;
  detailedExitcode: boolean;
  yes: boolean;
  allowReplace: boolean;
  forceUnlock: boolean;
  wait: boolean;
  timeoutMs: number;
  historyMax?: number;
  color: boolean;
  target: TargetFlags;
}

/**
 * `kite rollback STACK [--to N]`: the revision's manifests are the desired state, planned against
 * the live one as `kite plan` plans YAML (no program needed), then applied as `kite apply` applies
 * (confirmation, lock, order, waits, prune) and recorded as a new revision.
 */
export async function rollbackCommand(o: RollbackOptions, io: Io): Promise<number> {
  if (o.detailedExitcode && !o.out) throw new UserError('--detailed-exitcode goes with --out (a rollback that is only planned)');
  const client = connect(o.target);
  try {
    const history = await listRevisions(client, o.stack);
    const context = client.target.context;
    const target = o.to !== undefined ? findRevision(history, o.to, o.stack, context) : previousGood(history, o.stack, context);
    const stack: StackManifests = { name: o.stack, manifests: manifestsOf(target).map((object) => ({ object, origin: {} })) };
    const [plan] = await computePlans([stack], client, { liveHashes: true });
    io.err(`Rolling back stack ${o.stack} to revision ${target.revision} (applied ${target.createdAt} by ${target.who}).\n`);
    if (o.out) {
      const [{ renderPlan }, { hasChanges }, { writeSavedPlan }] = await Promise.all([import('../lib/plan/render.ts'), import('../lib/plan/plan.ts'), import('./saved-plan.ts')]);
      io.out(renderPlan(plan!, { color: o.color }));
      await writeSavedPlan(o.out, plan!);
      io.err(`Saved the plan to ${o.out}. To perform exactly these actions, run: kite apply ${o.out}\n`);
      return o.detailedExitcode && hasChanges(plan!) ? EXIT_CHANGES : EXIT_OK;
    }
    return await applyOne(
      plan!,
      client,
      {
        input: `revision ${target.revision}`,
        typecheck: false,
        yes: o.yes,
        allowReplace: o.allowReplace,
        forceUnlock: o.forceUnlock,
        wait: o.wait,
        timeoutMs: o.timeoutMs,
        color: o.color,
        target: o.target,
        history: { rollbackTo: target.revision, ...(o.historyMax !== undefined ? { max: o.historyMax } : {}) },
      },
      io,
      false,
      'apply',
    );
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    throw e;
  } finally {
    client.close();
  }
}

/**
 * What a run of apply leaves in the stack's history: the revision built from the plan it carried
 * out, written after the run, never failing it (a failure to record is a warning).
 */
import { hostname, userInfo } from 'node:os';
import type { KubeClient } from '../../kube/index.ts';
import { APPLYSET_PART_OF_LABEL, applySetFor, keyOf, withoutLastApplied } from '../inventory.ts';
import type { KubeObject } from '../../api/meta.ts';
import { refId, type Plan } from '../plan.ts';
import type { WaitResult } from '../wait.ts';
import type { Revision } from './revision.ts';
import { DEFAULT_HISTORY_MAX, deleteRevisions, writeRevision } from './store.ts';

/** How the run records itself (from the command's flags). */
export interface HistoryOptions {
  /** Revisions kept (default 10; 0 keeps all). */
  max?: number;
  /** The run is `kite rollback --to N`. */
  rollbackTo?: number;
  /** Who ran it (default `$USER@hostname`). */
  who?: string;
  /** When it finished (default now). */
  now?: Date;
}

/** How the run ended, as far as the history cares. */
export interface RunOutcome {
  operation: 'apply' | 'destroy';
  /** Every write of the plan was carried out (none failed, the run was not stopped before the last). */
  written: boolean;
  /** What stopped the run (a deadline, an interrupt, a lost lock, the cluster gone during the wait). */
  stopped?: Error | undefined;
  /** The readiness wait's result (absent with --no-wait). */
  wait?: WaitResult | undefined;
}

/** Why what was applied is not ready (undefined if it is, or was not waited for). */
export function notReadyReason(o: RunOutcome): string | undefined {
  if (o.stopped) return o.stopped.message;
  const w = o.wait;
  if (!w) return undefined;
  const f = w.failed[0];
  if (f) return `${refId(f.ref)}: ${f.reason}`;
  const t = w.timedOut[0] ?? w.unfinished[0];
  if (t) return `${refId(t.ref)} not ready${t.detail ? `: ${t.detail}` : ''}`;
  return undefined;
}

/**
 * The manifest as the program declared it: without what kite adds when applying (its last-applied
 * record, the ApplySet's part-of label), which planning the revision adds back exactly.
 */
function undecorated(desired: KubeObject): KubeObject {
  const obj = withoutLastApplied(desired);
  const labels = obj.metadata.labels;
  if (!labels || !(APPLYSET_PART_OF_LABEL in labels)) return obj;
  const { [APPLYSET_PART_OF_LABEL]: _dropped, ...rest } = labels;
  const metadata = { ...obj.metadata };
  if (Object.keys(rest).length > 0) metadata.labels = rest;
  else delete metadata.labels;
  return { ...obj, metadata };
}

/** `user@host`, as Helm and Terraform record who ran a change. */
export function whoAmI(): string {
  let user = process.env.USER ?? process.env.USERNAME;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return `${user}@${hostname()}`;
}

/** The revision a fully written plan makes (its number is given when it is stored). */
export function revisionOf(plan: Plan, outcome: RunOutcome, o: HistoryOptions = {}): Omit<Revision, 'revision'> {
  const parent = keyOf(applySetFor(plan.stack).parent);
  const reason = notReadyReason(outcome);
  const manifests = plan.actions
    .filter((a) => a.desired !== undefined && a.action !== 'delete' && keyOf(a.ref) !== parent)
    .map((a) => undecorated(a.desired as unknown as KubeObject) as unknown as Record<string, unknown>);
  return {
    formatVersion: 1,
    stack: plan.stack,
    createdAt: (o.now ?? new Date()).toISOString(),
    who: o.who ?? whoAmI(),
    kiteVersion: plan.tool.version,
    target: plan.target,
    operation: o.rollbackTo !== undefined ? 'rollback' : 'apply',
    ...(o.rollbackTo !== undefined ? { rollbackTo: o.rollbackTo } : {}),
    ...(reason === undefined ? { outcome: 'deployed' as const } : { outcome: 'failed' as const, reason }),
    summary: plan.summary,
    changes: plan.actions.filter((a) => a.action !== 'no-op').map((a) => ({ action: a.action, ref: a.ref })),
    manifests,
  };
}

/**
 * After a run: an apply whose writes all went out records a revision (deployed, or failed when
 * not ready: a later `kite rollback` must know the last good one); a destroy that removed the
 * stack's inventory removes its history too (as `helm uninstall` does). A run that stopped
 * halfway records nothing. Never throws: what went wrong is passed to `warn`.
 */
export async function recordRun(client: KubeClient, plan: Plan, outcome: RunOutcome, o: HistoryOptions, warn: (message: string) => void): Promise<number | undefined> {
  try {
    if (outcome.operation === 'destroy') {
      const parent = keyOf(applySetFor(plan.stack).parent);
      const removed = plan.actions.some((a) => keyOf(a.ref) === parent && a.action === 'delete');
      if (removed && outcome.written) await deleteRevisions(client, plan.stack);
      return undefined;
    }
    if (!outcome.written) return undefined;
    return await writeRevision(client, revisionOf(plan, outcome, o), o.max ?? DEFAULT_HISTORY_MAX);
  } catch (e) {
    const what = outcome.operation === 'destroy' ? `remove the history of stack ${plan.stack}` : `record this run in the history of stack ${plan.stack}`;
    warn(`warning: could not ${what}: ${(e as Error).message}`);
    return undefined;
  }
}

import { stringify } from 'yaml';
import { refId } from '../lib/plan/plan.ts';
import { findRevision, noHistory, statusOf } from '../lib/plan/history/select.ts';
import type { Revision } from '../lib/plan/history/revision.ts';
import { listRevisions } from '../lib/plan/history/store.ts';
import { EXIT_OK } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';
import { connect, type TargetFlags } from './target.ts';

export interface HistoryCommandOptions {
  stack: string;
  /** Show this revision: its summary and manifests. */
  revision?: number;
  output?: string;
  target: TargetFlags;
}

/** `kite history STACK [--revision N] [-o json]`: the revisions applied to this target. */
export async function historyCommand(o: HistoryCommandOptions, io: Io): Promise<number> {
  if (o.output !== undefined && o.output !== 'json' && o.output !== 'text') throw new UserError(`--output: expected json or text, got "${o.output}"`);
  const client = connect(o.target);
  try {
    const history = await listRevisions(client, o.stack);
    if (history.length === 0) throw noHistory(o.stack, client.target.context);
    if (o.revision !== undefined) {
      const r = findRevision(history, o.revision, o.stack, client.target.context);
      io.out(o.output === 'json' ? `${JSON.stringify({ ...r, status: statusOf(r, history) }, null, 2)}\n` : showRevision(r, history));
      return EXIT_OK;
    }
    if (o.output === 'json') {
      // Without manifests: a pipeline asks for one revision's with --revision N.
      const rows = history.map(({ manifests: _m, ...r }) => ({ ...r, status: statusOf(r as Revision, history) }));
      io.out(`${JSON.stringify(rows, null, 2)}\n`);
    } else io.out(historyTable(history));
    return EXIT_OK;
  } finally {
    client.close();
  }
}

/** `2026-12-07 16:50:01 UTC` */
function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/** `apply: 1 added, 2 changed, 1 deleted` / `rollback to 1: ...` (`no changes` when none). */
export function describeRevision(r: Revision): string {
  const s = r.summary;
  const parts = [
    s.add ? `${s.add} added` : '',
    s.change + s.drifted ? `${s.change + s.drifted} changed` : '',
    s.replace ? `${s.replace} replaced` : '',
    s.destroy ? `${s.destroy} deleted` : '',
    s.adopt ? `${s.adopt} adopted` : '',
    s.move ? `${s.move} moved in` : '',
  ].filter(Boolean);
  const what = r.operation === 'rollback' ? `rollback to ${r.rollbackTo}` : 'apply';
  const failed = r.outcome === 'failed' && r.reason ? ` (${r.reason})` : '';
  return `${what}: ${parts.length > 0 ? parts.join(', ') : 'no changes'}${failed}`;
}

/** Helm's history columns, with who ran it and with which kite. */
export function historyTable(history: readonly Revision[]): string {
  const rows = [
    ['REVISION', 'UPDATED', 'STATUS', 'WHO', 'KITE', 'SUMMARY'],
    ...history.map((r) => [String(r.revision), when(r.createdAt), statusOf(r, history), r.who, r.kiteVersion, describeRevision(r)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd() + '\n').join('');
}

/** One revision: who, when, what changed, then its manifests as YAML. */
function showRevision(r: Revision, history: readonly Revision[]): string {
  let out = `Revision ${r.revision} of stack ${r.stack} (${statusOf(r, history)})\n`;
  out += `  Updated:  ${when(r.createdAt)} by ${r.who} with kite ${r.kiteVersion}\n`;
  out += `  Target:   ${r.target.context} (${r.target.server})\n`;
  out += `  Summary:  ${describeRevision(r)}\n`;
  const sign = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ', adopt: '→', move: '→' } as const;
  const width = Math.max(0, ...r.changes.map((c) => refId(c.ref).length));
  for (const c of r.changes) out += `    ${sign[c.action].padEnd(3)} ${refId(c.ref).padEnd(width)}  ${c.action}\n`;
  out += `  Manifests (${r.manifests.length}):\n`;
  return out + r.manifests.map((m) => `---\n${stringify(m)}`).join('');
}

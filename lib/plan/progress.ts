/**
 * What `kite apply` shows while it applies and waits: a live block of lines redrawn in place on a
 * terminal, one plain line per change in CI logs, then a summary.
 *
 *   const progress = createProgress({ write: (s) => process.stdout.write(s), isTTY: process.stdout.isTTY });
 *   progress.plan(actions);                        // the objects, in apply order (TTY layout)
 *   progress.applied(ref, 'create', 'done');       // as each apply step ends
 *   await waitForReady(client, refs, { timeoutMs, onUpdate: (s) => progress.update(s) });
 *   progress.finish({ applied, notApplied, wait, elapsedMs });
 *
 * TTY:   `  ◐ prod/ReplicaSet/api       3/5 ready`, `  ✓ prod/Service/my-database  created`
 *        (spinner ◐◓◑◒, ✓ done, ✗ failed; redrawn with ANSI cursor moves at most ~10 times a second)
 * plain: `prod/ReplicaSet/api: 3/5 ready`, then `prod/ReplicaSet/api: ready` (no ANSI, no repeats)
 */
import { refId, type ActionType, type ObjectRef } from './plan.ts';
import type { ObjectStatus, WaitResult, WaitState } from './wait.ts';

/** `waiting`: the step waits for something (a replaced object to be gone), `message` says what. */
export type ApplyOutcome = 'applying' | 'waiting' | 'done' | 'failed' | 'skipped';

export interface ProgressOptions {
  /** Where output goes (e.g. `(s) => process.stdout.write(s)`). */
  write: (chunk: string) => void;
  /** Live view (true) or plain lines (false). */
  isTTY: boolean;
  /** ANSI colours; default: isTTY. */
  color?: boolean;
  /** Terminal width: live lines are cut to fit (default 100). */
  columns?: number;
  /** Terminal height: the live block keeps below it (default 24). */
  rows?: number;
  /** Redraw and spinner interval in ms (default 100: at most 10 redraws a second). */
  intervalMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

export interface ApplySummary {
  /** What ran: `kite apply` (the default) or `kite destroy`; the summary says which. */
  operation?: Operation;
  /** What was applied, in order, with the action taken (`no-op` for unchanged objects). */
  applied: ReadonlyArray<{ ref: ObjectRef; action: ActionType }>;
  /** What was not: refused by the cluster (`error`) or not attempted after a failure. */
  notApplied?: ReadonlyArray<{ ref: ObjectRef; action: ActionType; error?: string }>;
  /** Objects the plan keeps though they were to be deleted, and why. */
  kept?: ReadonlyArray<{ ref: ObjectRef; reason?: string }>;
  /** The readiness wait, if one ran. */
  wait?: WaitResult;
  /** Why the run stopped early, if it did: an error whose `code` is `timeout`, `interrupted` or `lock-lost` (stop.ts, lock.ts). */
  stopped?: Error & { code?: string };
  /** From the start of the apply to now. */
  elapsedMs: number;
}

export interface Progress {
  /** The objects about to be applied, in order: the live view lists them from the start. */
  plan(items: ReadonlyArray<{ ref: ObjectRef; action: ActionType }>): void;
  /** One apply step: started, waiting (`message`: for what), done, refused (`message`: the error), or skipped (not applied). */
  applied(ref: ObjectRef, action: ActionType, outcome: ApplyOutcome, message?: string): void;
  /** A waitForReady update (pass it as `onUpdate`). */
  update(state: WaitState): void;
  /** Draws the final state, stops the timers, and writes the summary. */
  finish(summary: ApplySummary): void;
  /** Stops the timers without a summary (an interrupted run); the last frame stays. */
  stop(): void;
}

type Phase = 'pending' | 'applying' | 'applyWaiting' | 'applied' | 'applyFailed' | 'skipped' | ObjectStatus;

interface Line {
  id: string;
  action?: ActionType;
  phase: Phase;
  detail: string;
}

const SPINNER = ['◐', '◓', '◑', '◒'];
const PHASE_OF: Record<ApplyOutcome, Phase> = { applying: 'applying', waiting: 'applyWaiting', done: 'applied', failed: 'applyFailed', skipped: 'skipped' };
const PAST: Record<ActionType, string> = { create: 'created', update: 'updated', replace: 'replaced', delete: 'deleted', 'no-op': 'unchanged', adopt: 'adopted', move: 'moved' };
const ING: Record<ActionType, string> = { create: 'creating', update: 'updating', replace: 'replacing', delete: 'deleting', 'no-op': 'checking', adopt: 'adopting', move: 'moving' };

const ESC = '\x1b[';
const STYLE = { green: `${ESC}32m`, red: `${ESC}31m`, yellow: `${ESC}33m`, cyan: `${ESC}36m`, dim: `${ESC}2m`, bold: `${ESC}1m`, reset: `${ESC}0m` } as const;
type Style = keyof typeof STYLE | undefined;

/** `850ms`, `2.3s`, `1m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function createProgress(opts: ProgressOptions): Progress {
  return opts.isTTY ? new TtyProgress(opts) : new PlainProgress(opts);
}

// ---------------------------------------------------------------------------------------------
// shared state

abstract class Base implements Progress {
  protected readonly lines = new Map<string, Line>();
  protected readonly color: boolean;
  protected finished = false;

  constructor(protected readonly opts: ProgressOptions) {
    this.color = opts.color ?? opts.isTTY;
  }

  protected line(ref: ObjectRef): Line {
    const id = refId(ref);
    let l = this.lines.get(id);
    if (!l) this.lines.set(id, (l = { id, phase: 'pending', detail: '' }));
    return l;
  }

  protected paint(text: string, style: Style): string {
    return this.color && style ? `${STYLE[style]}${text}${STYLE.reset}` : text;
  }

  plan(items: ReadonlyArray<{ ref: ObjectRef; action: ActionType }>): void {
    for (const { ref, action } of items) this.line(ref).action = action;
    this.changed([]);
  }

  applied(ref: ObjectRef, action: ActionType, outcome: ApplyOutcome, message?: string): void {
    const l = this.line(ref);
    l.action = action;
    l.phase = PHASE_OF[outcome];
    l.detail = message ?? '';
    this.changed([l]);
  }

  update(state: WaitState): void {
    const touched: Line[] = [];
    for (const o of state.changed) {
      const l = this.line(o.ref);
      l.phase = o.status;
      l.detail = o.status === 'failed' ? (o.failure ?? o.detail) : o.detail;
      touched.push(l);
    }
    this.changed(touched);
  }

  finish(summary: ApplySummary): void {
    if (this.finished) return;
    this.final();
    this.finished = true;
    this.opts.write(formatSummary(summary, { color: this.color }));
  }

  stop(): void {
    if (this.finished) return;
    this.final();
    this.finished = true;
  }

  protected abstract changed(lines: Line[]): void;
  protected abstract final(): void;
}

// ---------------------------------------------------------------------------------------------
// plain: one line per change

class PlainProgress extends Base {
  readonly #printed = new Map<string, string>();

  protected changed(lines: Line[]): void {
    if (this.finished) return;
    let out = '';
    for (const l of lines) {
      const text = plainText(l);
      if (text === undefined || this.#printed.get(l.id) === text) continue;
      this.#printed.set(l.id, text);
      out += `${l.id}: ${indentRest(text, '    ')}\n`;
    }
    if (out) this.opts.write(out);
  }

  protected final(): void {}
}

/** What the plain log says about a line, or undefined when it says nothing (pending, applying). */
function plainText(l: Line): string | undefined {
  switch (l.phase) {
    case 'pending':
    case 'applying':
    case 'skipped':
    case 'unfinished':
      return undefined;
    case 'applyWaiting':
      return l.detail;
    case 'applied':
      return l.action ? PAST[l.action] : 'applied';
    case 'applyFailed':
      return `${l.action ?? 'apply'} failed: ${l.detail}`;
    case 'waiting':
      return l.detail || 'waiting';
    case 'ready':
      return 'ready';
    case 'failed':
      return `failed: ${l.detail}`;
    case 'timedOut':
      return `timed out: ${l.detail}`;
  }
}

function indentRest(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

// ---------------------------------------------------------------------------------------------
// TTY: a block of lines redrawn in place

class TtyProgress extends Base {
  readonly #order: string[] = [];
  /** Lines at the top of the block written for good (final states), never redrawn. */
  #committed = 0;
  /** How many lines of the live block are on screen. */
  #drawn = 0;
  #frame = 0;
  #lastRender = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;

  protected override line(ref: ObjectRef): Line {
    const id = refId(ref);
    if (!this.lines.has(id)) this.#order.push(id);
    return super.line(ref);
  }

  get #interval(): number {
    return this.opts.intervalMs ?? 100;
  }

  #now(): number {
    return this.opts.now ? this.opts.now() : performance.now();
  }

  protected changed(): void {
    if (this.finished) return;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = this.#lastRender + this.#interval - this.#now();
    if (wait <= 0) this.#render();
    else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#render();
      }, wait);
      this.#timer.unref?.();
    }
  }

  protected final(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#ticker);
    this.#timer = this.#ticker = undefined;
    this.#render(true);
  }

  #animating(): boolean {
    for (const l of this.lines.values()) if (l.phase === 'applying' || l.phase === 'applyWaiting' || l.phase === 'waiting') return true;
    return false;
  }

  #render(last = false): void {
    this.#lastRender = this.#now();
    this.#frame++;
    const columns = Math.max(20, this.opts.columns ?? 100);
    const rows = Math.max(4, this.opts.rows ?? 24);
    const width = Math.min(48, Math.max(0, ...this.#order.map((id) => id.length)));
    let out = this.#drawn > 0 ? `${ESC}${this.#drawn}F` : '\r';
    // Lines in a final state at the top leave the live block.
    while (this.#committed < this.#order.length && (last || isFinal(this.lines.get(this.#order[this.#committed]!)!.phase))) {
      out += `${ESC}2K${this.#format(this.lines.get(this.#order[this.#committed]!)!, width, columns)}\n`;
      this.#committed++;
    }
    const live = this.#order.slice(this.#committed);
    const room = rows - 2;
    const shown = live.length > room ? live.slice(0, room - 1) : live;
    for (const id of shown) out += `${ESC}2K${this.#format(this.lines.get(id)!, width, columns)}\n`;
    let drawn = shown.length;
    if (shown.length < live.length) {
      out += `${ESC}2K${this.paint(`  … ${live.length - shown.length} more`, 'dim')}\n`;
      drawn++;
    }
    out += `${ESC}J`;
    this.#drawn = drawn;
    this.opts.write(out);
    if (!last && this.#animating()) {
      if (!this.#ticker) {
        this.#ticker = setInterval(() => this.#schedule(), this.#interval);
        this.#ticker.unref?.();
      }
    } else if (this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #format(l: Line, width: number, columns: number): string {
    const spin = SPINNER[this.#frame % SPINNER.length]!;
    const [mark, markStyle, text, textStyle]: [string, Style, string, Style] = (() => {
      switch (l.phase) {
        case 'pending':
          return ['·', 'dim', 'pending', 'dim'];
        case 'applying':
          return [spin, 'cyan', `${l.action ? ING[l.action] : 'applying'}…`, 'dim'];
        case 'applyWaiting':
          return [spin, 'cyan', `${l.action ? ING[l.action] : 'applying'}: ${l.detail}`, undefined];
        case 'applied':
          return ['✓', 'green', l.action ? PAST[l.action] : 'applied', undefined];
        case 'applyFailed':
          return ['✗', 'red', `${l.action ?? 'apply'} failed: ${firstLine(l.detail)}`, 'red'];
        case 'skipped':
          return ['–', 'dim', 'not applied', 'dim'];
        case 'waiting':
          return [spin, 'yellow', l.detail || 'waiting', undefined];
        case 'ready':
          return ['✓', 'green', l.action ? PAST[l.action] : 'ready', undefined];
        case 'failed':
          return ['✗', 'red', firstLine(l.detail), 'red'];
        case 'timedOut':
          return ['✗', 'red', `timed out: ${firstLine(l.detail)}`, 'red'];
        case 'unfinished':
          return ['–', 'dim', `not ready: ${firstLine(l.detail)}`, 'dim'];
      }
    })();
    const head = `  ${mark} `;
    const name = l.id.padEnd(width);
    let body = text;
    const room = columns - 1 - head.length - name.length - 2;
    if (body.length > room) body = room > 1 ? `${body.slice(0, room - 1)}…` : '';
    return `  ${this.paint(mark, markStyle)} ${name}  ${this.paint(body, textStyle)}`.replace(/\s+$/, '');
  }
}

function isFinal(p: Phase): boolean {
  return p === 'ready' || p === 'failed' || p === 'timedOut' || p === 'applyFailed' || p === 'skipped' || p === 'unfinished';
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : `${s.slice(0, nl)} …`;
}

// ---------------------------------------------------------------------------------------------
// the summary

export type Operation = 'apply' | 'destroy';

/** How the summary names what ran, and what was (not) done. */
const WORDS: Record<Operation, { title: string; done: string; notDone: string }> = {
  apply: { title: 'Apply', done: 'Applied', notDone: 'Not applied' },
  destroy: { title: 'Destroy', done: 'Deleted', notDone: 'Not deleted' },
};

/**
 * `Apply complete: 3 created, 1 updated, 1 deleted; all ready in 2.3s.` — or, on failure, which
 * objects were applied (and how far they got), which were not, and the reasons. `kite destroy`'s
 * says `Destroy`; objects kept (not deleted) are listed with why.
 */
export function formatSummary(s: ApplySummary, o: { color?: boolean } = {}): string {
  const paint = (text: string, style: Style) => (o.color && style ? `${STYLE[style]}${text}${STYLE.reset}` : text);
  const words = WORDS[s.operation ?? 'apply'];
  const notApplied = s.notApplied ?? [];
  const kept = s.kept ?? [];
  const w = s.wait;
  const counts = [countActions(s.applied), kept.length > 0 ? `${kept.length} kept` : ''].filter(Boolean).join(', ');
  const took = formatDuration(s.elapsedMs);
  const waitOk = !w || (w.failed.length === 0 && w.timedOut.length === 0 && w.unfinished.length === 0 && !w.aborted);
  const keptLines = kept.map((k) => `    ${refId(k.ref)}: ${k.reason ?? 'kept'}`);
  if (notApplied.length === 0 && waitOk && !s.stopped) {
    const what = counts || 'no changes';
    const head = `${paint(`${words.title} complete:`, 'green')} ${what}${w ? `; all ready in ${took}` : ''}.`;
    return [head, ...(kept.length > 0 ? [`  Kept (${kept.length}):`, ...keptLines] : [])].join('\n') + '\n';
  }

  const lines: string[] = [];
  lines.push(paint(headerOf(s, took, words.title), 'red'));

  const failed = new Map((w?.failed ?? []).map((f) => [refId(f.ref), f.reason]));
  const timedOut = new Map((w?.timedOut ?? []).map((f) => [refId(f.ref), f.detail]));
  const unfinished = new Map((w?.unfinished ?? []).map((f) => [refId(f.ref), f.detail]));
  const readySet = new Set((w?.ready ?? []).map(refId));
  const ids = [...s.applied.map((a) => refId(a.ref)), ...notApplied.map((n) => refId(n.ref))];
  const width = Math.min(48, Math.max(0, ...ids.map((id) => id.length)));

  if (s.applied.length > 0) {
    lines.push(`  ${words.done} (${s.applied.length}${notApplied.length > 0 ? ` of ${s.applied.length + notApplied.length}` : ''}): ${countActions(s.applied) || 'no changes'}`);
    for (const a of s.applied) {
      const id = refId(a.ref);
      const state = failed.has(id)
        ? paint('failed', 'red')
        : timedOut.has(id)
          ? paint('not ready (timed out)', 'red')
          : unfinished.has(id)
            ? paint('not ready', 'yellow')
            : readySet.has(id)
              ? 'ready'
              : '';
      lines.push(`    ${id.padEnd(width)}  ${PAST[a.action]}${state ? `, ${state}` : ''}`);
    }
  }
  if (notApplied.length > 0) {
    lines.push(`  ${words.notDone} (${notApplied.length}):`);
    for (const n of notApplied) {
      const why = n.error !== undefined ? paint(`${n.action} failed: ${indentRest(n.error, ' '.repeat(width + 6))}`, 'red') : `${n.action}: not attempted`;
      lines.push(`    ${refId(n.ref).padEnd(width)}  ${why}`);
    }
  }
  const reasons: string[] = [];
  for (const [id, reason] of failed) reasons.push(`    ${id}: ${indentRest(reason, '      ')}`);
  for (const [id, detail] of timedOut) reasons.push(`    ${id}: ${indentRest(detail, '      ')}`);
  for (const [id, detail] of unfinished) reasons.push(`    ${id}: ${paint(`not ready yet: ${detail}`, 'dim')}`);
  if (kept.length > 0) lines.push(`  Kept (${kept.length}):`, ...keptLines);
  if (reasons.length > 0) lines.push('  Reasons:', ...reasons);
  return lines.join('\n') + '\n';
}

/** The first line of an unsuccessful apply's summary: why it ended. */
function headerOf(s: ApplySummary, took: string, title: string): string {
  const w = s.wait;
  if (s.stopped?.code === 'interrupted' || (!s.stopped && w?.aborted)) return `${title} interrupted after ${took}.`;
  if (s.stopped) return `${title} ${s.stopped.code === 'timeout' ? 'timed out' : 'stopped'} after ${took}: ${s.stopped.message}.`;
  if ((s.notApplied ?? []).some((n) => n.error !== undefined) || (w?.failed.length ?? 0) > 0) return `${title} failed after ${took}.`;
  if ((s.notApplied ?? []).length > 0) return `${title} incomplete after ${took}.`;
  return `${title} timed out after ${took}: ${plural(w!.timedOut.length, 'object')} not ready.`;
}

function countActions(applied: ApplySummary['applied']): string {
  const n: Partial<Record<ActionType, number>> = {};
  for (const a of applied) n[a.action] = (n[a.action] ?? 0) + 1;
  return (['create', 'update', 'replace', 'delete', 'adopt', 'move'] as const)
    .filter((k) => n[k])
    .map((k) => `${n[k]} ${PAST[k]}`)
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BestPracticesMode } from '../policy/rule.ts';
import type { Diagnostic } from '../api/diagnostics.ts';
import type { BoxProgress, BoxReply, FromBox, ToBox } from './box-protocol.ts';
import { packageRoot } from './package-root.ts';
// Its own module, not pod-status.ts: that brings kite's object model, which kite's process does not
// need while the box starts (the child validates).
import { humanDuration } from '../api/human-duration.ts';

export const DEFAULT_PROGRAM_TIMEOUT_MS = 60_000;

/** Where the program's own output goes: kite's stderr, each line marked with the program's file. */
export type ProgramOutput = (text: string) => void;
export const toStderr: ProgramOutput = (text) => process.stderr.write(text);

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * A user's program runs in a child process, the box (program-child.ts): its output never mixes
 * with kite's, a loop that never ends is killed at the deadline, and `process.exit` or a crash
 * ends the child, not kite. The box owns a temp directory for the bundle; both are gone when
 * `close()` resolves, and also when kite is interrupted (Ctrl-C) or exits while the box is open.
 *
 * The child is started at once, so that Node's start overlaps bundling and the type check.
 */
export class ProgramBox {
  /** Where the bundle is written before `run`. */
  readonly dir = mkdtempSync(join(tmpdir(), 'kite-program-'));
  private readonly child: ChildProcess;
  private pending: ((m: BoxReply) => void) | undefined;
  /** Set once the child ended or was killed: every later request gets it. */
  private ended: BoxReply | undefined;
  private readonly closed: Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.end(this.failure(`interrupted (${sig})`));
    this.cleanupNow();
    this.unlisten();
    // Then die of the signal as kite would have, unless someone else handles it.
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  };
  private readonly onExit = () => this.cleanupNow();

  constructor(
    private readonly entry: string,
    output: ProgramOutput = toStderr,
    /** Told the exported stacks' names as soon as the program has run, then their objects as they are validated. */
    private readonly onProgress?: (m: BoxProgress) => void,
  ) {
    // The temp dir in its arguments tells which box a process is (ps), nothing more.
    this.child = fork(join(packageRoot(), 'build', 'program-child.js'), [this.dir], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced', // manifests as the program built them (undefined, NaN), not JSON
      execArgv: [], // not kite's (a test runner's TypeScript loader, an inspector)
    });
    const stdout = markLines(`${entry}: `, output);
    const stderr = markLines(`${entry}: `, output);
    this.child.stdout!.setEncoding('utf8').on('data', stdout.write);
    this.child.stderr!.setEncoding('utf8').on('data', stderr.write);
    this.child.on('message', (m: FromBox) => this.deliver(m));
    this.closed = new Promise((done) => {
      this.child.once('close', (code, signal) => {
        stdout.flush();
        stderr.flush();
        this.end(this.failure(`the program's process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`));
        done();
      });
    });
    this.child.on('error', (e) => this.end(this.failure(`the program's process could not be started: ${e.message}`)));
    for (const s of SIGNALS) process.on(s, this.onSignal);
    process.on('exit', this.onExit);
  }

  /** Runs the bundled program within `timeoutMs`: its raw stacks, or why it failed. */
  async run(bundle: string, timeoutMs: number, bestPractices?: BestPracticesMode): Promise<BoxReply> {
    const limit = timeoutMs % 1000 === 0 ? humanDuration(timeoutMs) : `${timeoutMs}ms`;
    this.timer = setTimeout(() => {
      this.end(this.failure(`the program did not finish within ${limit} (a loop that never ends? raise --program-timeout)`));
      this.child.kill('SIGKILL');
    }, timeoutMs);
    return this.request({ type: 'run', bundle, entry: this.entry, ...(bestPractices ? { bestPractices } : {}) });
  }

  /** Ends the child (whatever the program left running) and removes the temp directory. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.child.kill('SIGKILL');
    await this.closed;
    this.cleanupNow();
    this.unlisten();
  }

  private unlisten(): void {
    for (const s of SIGNALS) process.off(s, this.onSignal);
    process.off('exit', this.onExit);
  }

  private request(m: ToBox): Promise<BoxReply> {
    if (this.ended) return Promise.resolve(this.ended);
    return new Promise((done) => {
      this.pending = done;
      // A child that is gone is reported by its 'close', with how it ended.
      this.child.send(m, () => undefined);
    });
  }

  private deliver(m: FromBox): void {
    if (m.type === 'stacks' || m.type === 'manifests') this.onProgress?.(m);
    else if (m.type === 'failed') this.end(m);
    else {
      clearTimeout(this.timer);
      this.settle(m);
    }
  }

  /** The first way the box ended is the one reported. */
  private end(m: BoxReply): void {
    this.ended ??= m;
    this.settle(this.ended);
  }

  private settle(m: BoxReply): void {
    const done = this.pending;
    this.pending = undefined;
    done?.(m);
  }

  private failure(message: string): BoxReply {
    return { type: 'failed', diagnostic: { severity: 'error', code: 'program', path: '', message, file: this.entry } satisfies Diagnostic };
  }

  /** Synchronous, so that it also runs on a signal or at exit. */
  private cleanupNow(): void {
    clearTimeout(this.timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The program's output, line by line, each line prefixed (a last line without newline at the end). */
function markLines(prefix: string, output: ProgramOutput): { write: (chunk: string) => void; flush: () => void } {
  let partial = '';
  return {
    write: (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      if (lines.length > 0) output(lines.map((l) => `${prefix}${l}\n`).join(''));
    },
    flush: () => {
      if (partial !== '') output(`${prefix}${partial}\n`);
      partial = '';
    },
  };
}

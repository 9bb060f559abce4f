/**
 * Reads one run's log back as pods/log asks (kubelet pkg/kubelet/kuberuntime/logs/logs.go
 * ReadLogs): rotated files then the live one, oldest first; partial lines joined; lines before
 * `sinceSeconds` skipped; the last `tailLines` lines; each line prefixed with its fixed-width
 * timestamp with `timestamps`; at most `limitBytes` bytes; with `follow`, the live file tailed
 * until its writer closes it or the reader goes away.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { ContainerLogOptions } from '../../backend.ts';
import { formatFixedNanoTime } from '../../../../lib/api/time.ts';
import { splitCriLines, type CriLogLine } from './cri-log-format.ts';
import { rotatedFiles, type LiveLogFile } from './log-file.ts';

export interface RunLog {
  dir: string;
  /** The live file's name, `<n>.log`. */
  live: string;
  /** The writer, while the run is logging (follow waits on it). */
  writer?: LiveLogFile | undefined;
}

type ReadOptions = Pick<ContainerLogOptions, 'follow' | 'timestamps' | 'tailLines' | 'sinceSeconds' | 'limitBytes'>;

export function readRunLog(run: RunLog, opts: ReadOptions, now: Date): Readable {
  const abort = new AbortController();
  const stream = Readable.from(lines(run, opts, now, abort.signal), { objectMode: false });
  stream.once('close', () => abort.abort());
  return stream;
}

async function* lines(run: RunLog, opts: ReadOptions, now: Date, signal: AbortSignal): AsyncGenerator<Buffer> {
  const out = new LineFormatter(opts, now);
  // Listening before the first read: nothing written in between is missed.
  const follower = opts.follow && run.writer && !run.writer.closed ? new Follower(run.writer, signal) : undefined;
  const initial: CriLogLine[] = [];
  for (const f of rotatedFiles(run.dir, run.live)) {
    const bytes = readFileSync(join(run.dir, f));
    initial.push(...splitCriLines(f.endsWith('.gz') ? gunzipSync(bytes) : bytes).lines);
  }
  const live = new Tail(join(run.dir, run.live));
  initial.push(...live.read());
  const first = out.format(tail(initial, opts.tailLines));
  if (first.length) yield first;
  try {
    while (follower && !out.full) {
      const seen = await follower.next();
      if (seen.rotated) {
        const rest = out.format(live.read());
        if (rest.length) yield rest;
        live.reopen();
      }
      const more = out.format(live.read());
      if (more.length) yield more;
      if (seen.ended) break;
    }
  } finally {
    follower?.stop();
    live.close();
  }
}

/** The last `n` lines, a line being its partial parts and the full part that ends it. */
function tail(all: CriLogLine[], n: number | undefined): CriLogLine[] {
  if (n === undefined) return all;
  let from = all.length;
  for (let seen = 0; from > 0; from--) {
    if (!all[from - 1]!.partial) {
      if (seen === n) break;
      seen++;
    }
  }
  return all.slice(from);
}

/** The bytes pods/log sends for CRI lines. */
class LineFormatter {
  private continuing = false;
  private left: number;
  private readonly since: number;

  constructor(
    private readonly opts: ReadOptions,
    now: Date,
  ) {
    this.left = opts.limitBytes ?? Infinity;
    this.since = opts.sinceSeconds !== undefined ? now.getTime() - opts.sinceSeconds * 1000 : -Infinity;
  }

  get full(): boolean {
    return this.left <= 0;
  }

  format(lines: CriLogLine[]): Buffer {
    const parts: Buffer[] = [];
    for (const line of lines) {
      if (this.left <= 0) break;
      if (line.time < this.since) continue;
      const prefix = this.opts.timestamps && !this.continuing ? `${formatFixedNanoTime(line.time)} ` : '';
      let bytes = Buffer.concat([Buffer.from(prefix), line.content, Buffer.from(line.partial ? '' : '\n')]);
      if (bytes.length > this.left) bytes = bytes.subarray(0, this.left);
      this.left -= bytes.length;
      this.continuing = line.partial;
      parts.push(bytes);
    }
    return Buffer.concat(parts);
  }
}

/** Reads a file from where it was left, keeping an unfinished last line for later. */
class Tail {
  private fd: number | undefined;
  private offset = 0;
  private rest: Buffer = Buffer.alloc(0);

  constructor(private readonly path: string) {
    this.open();
  }

  read(): CriLogLine[] {
    if (this.fd === undefined) return [];
    const chunks: Buffer[] = [this.rest];
    const buf = Buffer.alloc(64 * 1024);
    for (let n = readSync(this.fd, buf, 0, buf.length, this.offset); n > 0; n = readSync(this.fd, buf, 0, buf.length, this.offset)) {
      chunks.push(Buffer.from(buf.subarray(0, n)));
      this.offset += n;
    }
    const { lines, rest } = splitCriLines(Buffer.concat(chunks));
    this.rest = rest;
    return lines;
  }

  /** The live file was rotated: the next reads are of the new one. */
  reopen(): void {
    this.close();
    this.open();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    this.offset = 0;
    this.rest = Buffer.alloc(0);
    try {
      this.fd = openSync(this.path, 'r');
    } catch {
      this.fd = undefined;
    }
  }
}

/** What the writer did since the last look (several rotations in between count as one: the files in between are skipped). */
interface Seen {
  rotated: boolean;
  /** The writer closed, or the reader went away. */
  ended: boolean;
}

class Follower {
  private seen: Seen | undefined;
  private wake: (() => void) | undefined;
  private readonly handlers: Array<[string, () => void]>;

  constructor(
    private readonly writer: LiveLogFile,
    signal: AbortSignal,
  ) {
    const note = (what: Partial<Seen>) => () => {
      const seen = this.seen ?? { rotated: false, ended: false };
      this.seen = { rotated: seen.rotated || !!what.rotated, ended: seen.ended || !!what.ended };
      this.wake?.();
    };
    this.handlers = [
      ['data', note({})],
      ['rotate', note({ rotated: true })],
      ['close', note({ ended: true })],
    ];
    for (const [e, h] of this.handlers) writer.on(e, h);
    if (signal.aborted) note({ ended: true })();
    else signal.addEventListener('abort', note({ ended: true }), { once: true });
  }

  async next(): Promise<Seen> {
    while (this.seen === undefined) await new Promise<void>((r) => (this.wake = r));
    const seen = this.seen;
    this.seen = undefined;
    return seen;
  }

  stop(): void {
    for (const [e, h] of this.handlers) this.writer.off(e, h);
  }
}

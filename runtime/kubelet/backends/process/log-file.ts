/**
 * One run's live log file: CRI lines appended as the container writes, rotated by size as the
 * kubelet's container log manager does (pkg/kubelet/logs/container_log_manager.go): once the live
 * file reaches `maxSize`, the oldest rotated files go so that at most `maxFiles - 2` remain, the
 * remaining ones are gzipped (optional here), and the live file is renamed
 * `<n>.log.<YYYYMMDD-hhmmss>` and reopened. Followers hear of new lines, rotations and the end.
 */
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { criPrefixes, formatCriLine, NEWLINE, type LogStream } from './cri-log-format.ts';

export interface RotationOptions {
  maxSize: number;
  maxFiles: number;
  gzip: boolean;
  now: () => Date;
}

/** containerd's default max_container_log_line_size: longer lines are split into `P` parts. */
const MAX_LINE = 16 * 1024;

/** The live log of one run; emits 'data' (appended), 'rotate' (live file renamed, reopen the path) and 'close'. */
export class LiveLogFile extends EventEmitter {
  readonly stdout: Writable;
  readonly stderr: Writable;
  private fd: number;
  private size = 0;
  closed = false;

  constructor(
    readonly path: string,
    private readonly rotation: RotationOptions,
  ) {
    super();
    this.fd = openSync(path, 'a');
    this.stdout = this.lineWriter('stdout');
    this.stderr = this.lineWriter('stderr');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const s of [this.stdout, this.stderr]) if (!s.writableEnded) s.end();
    await Promise.all([this.stdout, this.stderr].map((s) => finished(s).catch(() => undefined)));
    this.closed = true;
    closeSync(this.fd);
    this.emit('close');
  }

  /**
   * Splits what a stream writes into lines: full lines as `F`, over-long ones in `P` parts; the
   * last unfinished one at the end. The lines of one chunk share one timestamp and go to the
   * file in one write (a container's output arrives a read at a time: stamping and writing each
   * line on its own cost the runtime more than reading it).
   */
  private lineWriter(stream: LogStream): Writable {
    let pending: Buffer = Buffer.alloc(0);
    return new Writable({
      write: (chunk: Buffer, _enc, done) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        const parts: Buffer[] = [];
        let prefix: { full: Buffer; partial: Buffer } | undefined;
        const line = (partial: boolean, content: Buffer): void => {
          prefix ??= criPrefixes(this.rotation.now().getTime(), stream);
          parts.push(partial ? prefix.partial : prefix.full, content, NEWLINE);
        };
        let from = 0;
        for (;;) {
          const nl = pending.indexOf(0x0a, from);
          if (nl >= 0 && nl - from <= MAX_LINE) {
            line(false, pending.subarray(from, nl));
            from = nl + 1;
          } else if (pending.length - from > MAX_LINE) {
            line(true, pending.subarray(from, from + MAX_LINE));
            from += MAX_LINE;
          } else break;
        }
        // What is left waits for its newline: copied, so the chunk's memory is not held on to.
        pending = from === pending.length ? Buffer.alloc(0) : Buffer.from(pending.subarray(from));
        if (parts.length) this.appendBytes(Buffer.concat(parts));
        done();
      },
      final: (done) => {
        if (pending.length) this.append(stream, false, pending);
        pending = Buffer.alloc(0);
        done();
      },
    });
  }

  private append(stream: LogStream, partial: boolean, content: Buffer): void {
    this.appendBytes(formatCriLine(this.rotation.now().getTime(), stream, partial, content));
  }

  private appendBytes(lines: Buffer): void {
    writeSync(this.fd, lines);
    this.size += lines.length;
    this.emit('data');
    if (this.size >= this.rotation.maxSize) this.rotate();
  }

  private rotate(): void {
    const dir = dirname(this.path);
    const live = basename(this.path);
    const rotated = rotatedFiles(dir, live);
    for (const old of rotated.slice(0, Math.max(0, rotated.length - (this.rotation.maxFiles - 2)))) unlinkSync(join(dir, old));
    if (this.rotation.gzip) for (const f of rotated.slice(-(this.rotation.maxFiles - 2))) if (!f.endsWith('.gz')) compress(join(dir, f));
    closeSync(this.fd);
    renameSync(this.path, rotatedName(this.path, this.rotation.now()));
    this.fd = openSync(this.path, 'a');
    this.size = 0;
    this.emit('rotate');
  }
}

/** `<live>.<YYYYMMDD-hhmmss>` (UTC); later rotations within the same second get `-1`, `-2`, … so names keep their order. */
function rotatedName(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3-$4$5$6');
  const same = rotatedFiles(dirname(path), basename(path)).map(rotationKey).filter((k) => k.stamp === stamp);
  return same.length === 0 ? `${path}.${stamp}` : `${path}.${stamp}-${Math.max(...same.map((k) => k.k)) + 1}`;
}

function rotationKey(name: string): { stamp: string; k: number } {
  const m = /\.log\.(\d{8}-\d{6})(?:-(\d+))?(?:\.gz)?$/.exec(name);
  return { stamp: m?.[1] ?? '', k: Number(m?.[2] ?? 0) };
}

/** The rotated files of one live file, oldest first. */
export function rotatedFiles(dir: string, live: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => f.startsWith(`${live}.`) && rotationKey(f).stamp !== '')
    .sort((a, b) => {
      const ka = rotationKey(a);
      const kb = rotationKey(b);
      return ka.stamp < kb.stamp ? -1 : ka.stamp > kb.stamp ? 1 : ka.k - kb.k;
    });
}

/** gzip through a `.tmp` file, as the kubelet does, so a reader never sees half a `.gz`. */
function compress(path: string): void {
  const tmp = `${path}.gz.tmp`;
  writeFileSync(tmp, gzipSync(readFileSync(path)));
  renameSync(tmp, `${path}.gz`);
  unlinkSync(path);
}

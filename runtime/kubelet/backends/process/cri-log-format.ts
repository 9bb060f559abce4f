/**
 * The CRI container log line (k8s.io/cri-api logs; kubelet pkg/kubelet/kuberuntime/logs/logs.go):
 * `<RFC3339Nano> <stdout|stderr> <F|P> <content>\n`, `P` a partial line continued by the next one
 * of the same stream. The kubelet prints timestamps fixed-width (`timeFormatOut`, 9 fraction digits).
 */
import { formatFixedNanoTime } from '../../../../lib/api/time.ts';

export type LogStream = 'stdout' | 'stderr';

export interface CriLogLine {
  /** Milliseconds since the epoch (what a Date carries). */
  time: number;
  /** The timestamp as written. */
  stamp: string;
  stream: LogStream;
  partial: boolean;
  content: Buffer;
}

export function formatCriLine(ms: number, stream: LogStream, partial: boolean, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${formatFixedNanoTime(ms)} ${stream} ${partial ? 'P' : 'F'} `), content, NEWLINE]);
}

/** What precedes the content of a full (`F`) and a partial (`P`) line written at `ms`. */
export function criPrefixes(ms: number, stream: LogStream): { full: Buffer; partial: Buffer } {
  const head = `${formatFixedNanoTime(ms)} ${stream} `;
  return { full: Buffer.from(`${head}F `), partial: Buffer.from(`${head}P `) };
}

export const NEWLINE = Buffer.from('\n');

/** One CRI line without its newline; undefined for a line that is not one (skipped, as the kubelet logs and skips it). */
export function parseCriLine(line: Buffer): CriLogLine | undefined {
  const s1 = line.indexOf(0x20);
  const s2 = s1 < 0 ? -1 : line.indexOf(0x20, s1 + 1);
  const s3 = s2 < 0 ? -1 : line.indexOf(0x20, s2 + 1);
  if (s3 < 0) return undefined;
  const stamp = line.subarray(0, s1).toString();
  const stream = line.subarray(s1 + 1, s2).toString();
  const tag = line.subarray(s2 + 1, s3).toString();
  const time = Date.parse(stamp);
  if (Number.isNaN(time) || (stream !== 'stdout' && stream !== 'stderr') || (tag !== 'F' && tag !== 'P')) return undefined;
  return { time, stamp, stream, partial: tag === 'P', content: line.subarray(s3 + 1) };
}

/** Splits bytes into CRI lines; the unfinished tail is returned for the next chunk. */
export function splitCriLines(buf: Buffer): { lines: CriLogLine[]; rest: Buffer } {
  const lines: CriLogLine[] = [];
  let from = 0;
  for (let nl = buf.indexOf(0x0a, from); nl >= 0; nl = buf.indexOf(0x0a, from)) {
    const line = parseCriLine(buf.subarray(from, nl));
    if (line) lines.push(line);
    from = nl + 1;
  }
  return { lines, rest: buf.subarray(from) };
}

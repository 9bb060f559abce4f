/**
 * Container logs on disk as the kubelet keeps them (runtime-semantics §20.6):
 * `<root>/<ns>_<pod>_<uid>/<container>/<restartCount>.log`, CRI lines
 * (`<RFC3339Nano> <stdout|stderr> <F|P> <content>`), rotated by size (10Mi, 5 files by
 * default); read back with pods/log's options — follow, previous, tailLines, sinceSeconds,
 * timestamps, limitBytes. (Issue 11 §7 — contract.)
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Pod } from '../../../../lib/api/model.ts';
import { StreamRefused, type ContainerLogOptions } from '../../backend.ts';
import { LiveLogFile } from './log-file.ts';
import { readRunLog } from './log-reader.ts';

export interface ContainerLogWriter {
  stdout: Writable;
  stderr: Writable;
  /** Flushes and closes the file (the container exited). */
  close(): Promise<void>;
}

export interface LogStoreOptions {
  /** Rotate the live file once it reaches this many bytes (containerLogMaxSize, 10Mi). */
  maxSize?: number;
  /** Files kept per run, the live one included (containerLogMaxFiles, 5). */
  maxFiles?: number;
  /** Gzip rotated files (as the kubelet does; default false: plain files are easier to read by hand). */
  gzip?: boolean;
  now?: () => Date;
}

export interface ContainerLogStore {
  /** The log of one run of a container (restartCount numbers the run); older runs than the previous one are removed, as the kubelet garbage-collects dead containers. */
  open(pod: Pod, container: string, restartCount: number): ContainerLogWriter;
  /**
   * pods/log: the run `restartCount` (with `previous`, the run before it); a follow stream ends
   * when the run's log is closed. Throws StreamRefused when there is no such log.
   */
  read(pod: Pod, container: string, restartCount: number, opts: ContainerLogOptions): Promise<Readable>;
  /** Removes every log of a pod. */
  removePod(pod: Pod): Promise<void>;
}

export function openContainerLogStore(root: string, opts: LogStoreOptions = {}): ContainerLogStore {
  const rotation = { maxSize: opts.maxSize ?? 10 * 1024 * 1024, maxFiles: Math.max(2, opts.maxFiles ?? 5), gzip: opts.gzip ?? false, now: opts.now ?? (() => new Date()) };
  /** Live files being written, by path. */
  const writers = new Map<string, LiveLogFile>();
  const podDir = (pod: Pod) => join(root, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
  const runs = (dir: string) => {
    try {
      return readdirSync(dir).flatMap((f) => (/^\d+\.log/.test(f) ? [Number.parseInt(f, 10)] : []));
    } catch {
      return [];
    }
  };

  return {
    open(pod, container, restartCount) {
      const dir = join(podDir(pod), container);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const f of readdirSync(dir)) if (Number.parseInt(f, 10) < restartCount - 1) rmSync(join(dir, f), { force: true });
      const path = join(dir, `${restartCount}.log`);
      const file = new LiveLogFile(path, rotation);
      writers.set(path, file);
      return {
        stdout: file.stdout,
        stderr: file.stderr,
        close: async () => {
          await file.close();
          if (writers.get(path) === file) writers.delete(path);
        },
      };
    },

    async read(pod, container, restartCount, o) {
      const dir = join(podDir(pod), container);
      const name = pod.metadata.name;
      let run = restartCount;
      if (o.previous) {
        const earlier = runs(dir).filter((n) => n < restartCount);
        if (earlier.length === 0) throw new StreamRefused(`previous terminated container "${container}" in pod "${name}" not found`);
        run = Math.max(...earlier);
      } else if (!runs(dir).includes(run)) {
        throw new StreamRefused(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
      }
      const live = `${run}.log`;
      return readRunLog({ dir, live, writer: writers.get(join(dir, live)) }, o, rotation.now());
    },

    async removePod(pod) {
      const dir = podDir(pod);
      await Promise.all([...writers].filter(([p]) => p.startsWith(`${dir}/`)).map(([, w]) => w.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// TEMP(core): replaced by the owner's version at merge
/**
 * Container logs on disk as the kubelet keeps them (runtime-semantics §20.6):
 * `<root>/<ns>_<pod>_<uid>/<container>/<restartCount>.log`, CRI lines
 * (`<RFC3339Nano> <stdout|stderr> <F|P> <content>`), rotated by size (10Mi, 5 files by
 * default); read back with pods/log's options — follow, previous, tailLines, sinceSeconds,
 * timestamps, limitBytes. (Issue 11 §7 — contract.)
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Pod } from '../../../../lib/api/model.ts';
import type { ContainerLogOptions } from '../../backend.ts';

export interface ContainerLogWriter {
  stdout: Writable;
  stderr: Writable;
  /** Flushes and closes the file (the container exited). */
  close(): Promise<void>;
}

export interface LogStoreOptions {
  maxSize?: number;
  maxFiles?: number;
  now?: () => Date;
}

export interface ContainerLogStore {
  /** The log of one run of a container (restartCount numbers the run). */
  open(pod: Pod, container: string, restartCount: number): ContainerLogWriter;
  /** pods/log: the current run (or the previous with `previous`); a follow stream ends when the run's log is closed. */
  read(pod: Pod, container: string, restartCount: number, opts: ContainerLogOptions): Promise<Readable>;
  /** Removes every log of a pod. */
  removePod(pod: Pod): Promise<void>;
}

export function openContainerLogStore(root: string, _opts?: LogStoreOptions): ContainerLogStore {
  const dir = (pod: Pod) => `${root}/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;
  return {
    open(pod, container, restartCount) {
      mkdirSync(`${dir(pod)}/${container}`, { recursive: true });
      const file = createWriteStream(`${dir(pod)}/${container}/${restartCount}.log`, { flags: 'a' });
      const pass = () => new PassThrough().on('data', (d: Buffer) => file.write(d));
      return { stdout: pass(), stderr: pass(), close: () => new Promise((r) => file.end(r)) };
    },
    async read(pod, container, restartCount) {
      return createReadStream(`${dir(pod)}/${container}/${restartCount}.log`);
    },
    removePod: (pod) => rm(dir(pod), { recursive: true, force: true }),
  };
}

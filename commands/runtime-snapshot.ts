/**
 * When `kite up --detach` starts its runtime from the V8 startup snapshot that scripts/build.mjs
 * made (build/runtime.blob, see commands/up-snapshot.ts) instead of as `kite up`. A blob
 * is only good for the node binary that built it and for the build directory it was made in (its
 * module paths are inside it), so the build records both beside it; any difference, a missing or
 * unreadable record, or KITE_RUNTIME_SNAPSHOT=0 means the plain start. KITE_RUNTIME_SNAPSHOT=FILE
 * uses another blob (its record FILE.json beside it): how the fallback from a bad blob is tested.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/synth/package-root.ts';

/** Written beside the blob by the build. */
export interface RuntimeSnapshotRecord {
  node: string;
  execPath: string;
  arch: string;
  /** The package root the blob's module paths point into. */
  root: string;
}

export const SNAPSHOT_BLOB = 'runtime.blob';
/** The record beside a blob: its name plus `.json`. */
export const SNAPSHOT_RECORD_SUFFIX = '.json';
/** The deserialized runtime's first IPC message: the blob loaded (a bad one crashes before). */
export const SNAPSHOT_STARTED = 'kite-runtime-snapshot-started';

/** The current process's facts a blob must match. */
export function currentSnapshotRecord(root: string): RuntimeSnapshotRecord {
  return { node: process.version, execPath: process.execPath, arch: process.arch, root };
}

/** The blob to start the runtime from, or undefined for the plain start. */
export function usableRuntimeSnapshot(root = packageRoot()): string | undefined {
  const chosen = process.env.KITE_RUNTIME_SNAPSHOT;
  if (chosen === '0') return undefined;
  const blob = chosen || join(root, 'build', SNAPSHOT_BLOB);
  let recorded: Partial<RuntimeSnapshotRecord>;
  try {
    recorded = JSON.parse(readFileSync(blob + SNAPSHOT_RECORD_SUFFIX, 'utf8')) as Partial<RuntimeSnapshotRecord>;
  } catch {
    return undefined;
  }
  const now = currentSnapshotRecord(root);
  const same = recorded.node === now.node && recorded.execPath === now.execPath && recorded.arch === now.arch && recorded.root === now.root;
  return same && existsSync(blob) ? blob : undefined;
}

/**
 * The detached runtime of `kite up --detach`, as a V8 startup snapshot: scripts/build.mjs bundles
 * this file as one CommonJS script and runs it under `node --build-snapshot`, which evaluates every
 * module of the runtime (and warms zod's parsers, ./warm-up.ts) and saves the heap to
 * build/runtime.blob. `node --snapshot-blob build/runtime.blob OPTIONS` then deserializes that heap
 * instead of compiling and running ~2 MB of JavaScript, and calls the function below. Node 20 has
 * no other code cache for ES modules (`module.enableCompileCache` is 22.1+).
 *
 * What the snapshot may hold is limited: Node's built-ins with native state (http, net, child
 * process, workers, ...) are loaded on first use after deserialization (the build's lazy-builtins
 * plugin), better-sqlite3 is only required by the store's worker, and nothing here opens a handle
 * or reads the environment at module level. commands/runtime-snapshot.ts decides when the blob is
 * used and falls back to `kite up` as a plain script when it cannot be.
 */
import { startupSnapshot } from 'node:v8';
import { upCommand, type UpOptions } from './up.ts';
import { processIo } from './output.ts';
import { reportFailure } from './failure.ts';
import { SNAPSHOT_STARTED } from './runtime-snapshot.ts';
// What upCommand imports on demand: evaluated here so that the snapshot holds them.
import '../runtime/store/sqlite-store.ts';
import '../runtime/kubelet/backends/index.ts';
import '../runtime/runtime.ts';
import { warmUp } from '../runtime/snapshot/warm-up.ts';

async function daemonMain(): Promise<void> {
  process.send?.({ started: SNAPSHOT_STARTED });
  // `node --snapshot-blob BLOB OPTIONS`: no script, so the options are argv[1].
  try {
    const options = JSON.parse(process.argv[1] ?? '') as UpOptions;
    process.exitCode = await upCommand({ ...options, detach: false, daemon: true }, processIo);
  } catch (e) {
    process.exitCode = reportFailure(e, (t) => process.stderr.write(t));
  }
}

if (startupSnapshot.isBuildingSnapshot()) {
  warmUp();
  startupSnapshot.setDeserializeMainFunction(() => void daemonMain());
}

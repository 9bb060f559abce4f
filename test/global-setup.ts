// Tests that run `kite` as a user does need the bundled CLI; build it once per run. A build
// failure is reported but does not stop unit suites that import the sources directly.
// @ts-expect-error plain ESM script without types
import { buildKite } from '../scripts/build.mjs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export default async function setup(): Promise<() => Promise<void>> {
  try {
    await buildKite();
  } catch (e) {
    console.error(`global setup: building build/ failed; CLI tests will fail:\n${(e as Error).message}`);
  }
  // Scratch dirs of this run (test/support/kite.ts scratchDir) go in a dir of its own, removed at
  // the end: another run in the same checkout keeps its own.
  const work = join(REPO, 'test', '.work', `run-${process.pid}`);
  process.env.KITE_TEST_WORK = work;
  return async () => {
    await rm(work, { recursive: true, force: true });
  };
}

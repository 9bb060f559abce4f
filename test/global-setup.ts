// Tests that run `kite` as a user does need the bundled CLI; build it once per run. A build
// failure is reported but does not stop unit suites that import the sources directly.
// @ts-expect-error plain ESM script without types
import { buildKite } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  try {
    await buildKite();
  } catch (e) {
    console.error(`global setup: building build/ failed; CLI tests will fail:\n${(e as Error).message}`);
  }
}

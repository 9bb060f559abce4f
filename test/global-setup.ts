// Tests that run `kite` as a user does need the bundled CLI; build it once per run.
// @ts-expect-error plain ESM script without types
import { buildKite } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await buildKite();
}

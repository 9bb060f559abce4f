#!/usr/bin/env node
// The installed `kite` command: runs the bundled CLI, building it first on a fresh checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../build/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  const { buildKite } = await import('../scripts/build.mjs');
  await buildKite();
}
await import(cli.href);

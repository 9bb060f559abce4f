import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { packageRoot } from '../synth/package-root.ts';

/** This kite's version, from its package.json. */
export function kiteVersion(root: string = packageRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The dependency spec a new repo gets for kite: installed from a registry (its package root lies
 * inside a node_modules), the same major-compatible range `^<version>`; run from a source checkout
 * or `npm link`, `file:<root>`, so the new repo installs this very kite, offline.
 */
export function kiteDependencySpec(root: string = packageRoot()): string {
  const fromRegistry = root.split(sep).includes('node_modules');
  return fromRegistry ? `^${kiteVersion(root)}` : `file:${root}`;
}

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './support/kite.ts';

// The whole project type-checks, including test/constructs/typed-props.ts, whose
// expect-error lines prove that typed props turn mistakes into compile errors.
it('type-checks (tsc --noEmit)', async () => {
  const output = await new Promise<string>((done) => {
    execFile(join(REPO, 'node_modules/.bin/tsc'), ['--noEmit', '-p', REPO], { cwd: REPO }, (err, stdout, stderr) => {
      done(err ? `${stdout}${stderr}` || String(err) : '');
    });
  });
  expect(output).toBe('');
}, 120_000);

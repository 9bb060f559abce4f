import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setProgramEntry, userFrame } from '../../lib/synth/user-frame.ts';
import { REPO } from '../support/kite.ts';

const trace = (...files: string[]) => ['Error: created here', ...files.map((f, i) => `    at new X (${f}:${10 + i}:${3 + i})`)].join('\n');

describe('userFrame', () => {
  it("skips kite and construct libraries (installed, or another package of the workspace) and names the library's innermost frame", () => {
    setProgramEntry(join(REPO, 'examples/team-stacks/checkout/stack.ts'));
    const stack = trace(
      join(REPO, 'build/index.js'),
      join(REPO, 'examples/team-lib/src/web-service.ts'),
      join(REPO, 'node_modules/@acme/other/index.js'),
      join(REPO, 'examples/team-stacks/checkout/stack.ts'),
    );
    const frame = userFrame(stack);
    expect(frame).toMatchObject({ line: 13, col: 6, via: 'examples/team-lib/src/web-service.ts:11' });
    expect(frame?.file.endsWith('examples/team-stacks/checkout/stack.ts')).toBe(true);
  });

  it('a frame of the program\'s own package is the user\'s, with no via', () => {
    setProgramEntry(join(REPO, 'examples/shop/stack.ts'));
    const frame = userFrame(trace(join(REPO, 'examples/shop/helpers.ts'), join(REPO, 'examples/shop/stack.ts')));
    expect(frame).toMatchObject({ line: 10, col: 3 });
    expect(frame?.via).toBeUndefined();
  });

  it('an installed library is named from its package', () => {
    setProgramEntry(join(REPO, 'examples/shop/stack.ts'));
    expect(userFrame(trace(join(REPO, 'node_modules/@acme/web/src/web.ts'), join(REPO, 'examples/shop/stack.ts')))?.via).toBe('@acme/web/src/web.ts:10');
  });
});

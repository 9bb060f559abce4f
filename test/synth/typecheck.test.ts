import { describe, expect, it } from 'vitest';
import { parseTscOutput } from '../../lib/synth/typecheck.ts';
import { runKite, scratchDir, writeFiles } from '../support/kite.ts';

describe('parseTscOutput', () => {
  it('turns tsc --pretty false lines into diagnostics at file:line:col, continuation lines kept', () => {
    const out = [
      "stack.ts(4,38): error TS2561: Object literal may only specify known properties, but 'replica' does not exist in type 'AppProps'. Did you mean to write 'replicas'?",
      "lib/x.ts(1,7): error TS2322: Type '{ a: number; }' is not assignable to type 'B'.",
      "  Types of property 'a' are incompatible.",
      'error TS5083: Cannot read file \'/nope/tsconfig.json\'.',
      '',
    ].join('\n');
    const d = parseTscOutput(out, process.cwd());
    expect(d.map((x) => [x.file, x.line, x.col, x.message])).toEqual([
      ['stack.ts', 4, 38, "Object literal may only specify known properties, but 'replica' does not exist in type 'AppProps'. Did you mean to write 'replicas'? (TS2561)"],
      ['lib/x.ts', 1, 7, "Type '{ a: number; }' is not assignable to type 'B'. (TS2322)\n  Types of property 'a' are incompatible."],
      [undefined, undefined, undefined, "Cannot read file '/nope/tsconfig.json'. (TS5083)"],
    ]);
    expect(d.every((x) => x.severity === 'error' && x.code === 'typecheck')).toBe(true);
  });
});

const PROGRAM = `import { Stack, Namespace, App } from 'kite';
const stack = new Stack('typos');
const ns = new Namespace(stack, 'prod');
new App(ns, 'web', { image: 'nginx', replica: 2 });
export const port: number = '80';
new App(ns, 'api', { image: 'nginx', port: 80 });
export default stack;
`;

describe('kite synth, validate and plan type-check the program', () => {
  it('report a misspelled prop and a pure type error at the user\'s file:line:col, exit 1, for each command', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, { 'stack.ts': PROGRAM });
    for (const args of [['synth', 'stack.ts', '--stdout'], ['validate', 'stack.ts'], ['plan', 'stack.ts', '--state-dir', '.nothing-runs-here']]) {
      const r = await runKite(args, { cwd: dir });
      expect(r.code, args[0]).toBe(1);
      expect(r.stdout, args[0]).toBe('');
      expect(r.stderr, args[0]).toContain("stack.ts:4:38: Object literal may only specify known properties, but 'replica' does not exist in type 'AppProps'. Did you mean to write 'replicas'? (TS2561)");
      expect(r.stderr, args[0]).toContain("stack.ts:5:14: Type 'string' is not assignable to type 'number'. (TS2322)");
      // The construct's own strict check finds the typo too, at the line the App was made.
      expect(r.stderr, args[0]).toContain('stack.ts:4:1: AppProps: unknown property "replica"; did you mean "replicas"? (construct typos/prod/web)');
      expect(r.stderr, args[0]).not.toMatch(/\n\s+at /);
    }
  });

  it('--no-typecheck skips the check (the constructs still refuse the typo)', async () => {
    const dir = await scratchDir();
    await writeFiles(dir, { 'stack.ts': PROGRAM, 'clean.ts': PROGRAM.replace('replica: 2', 'replicas: 2') });
    const typo = await runKite(['synth', 'stack.ts', '--stdout', '--no-typecheck'], { cwd: dir });
    expect(typo.code).toBe(1);
    expect(typo.stderr).not.toContain('TS2');
    expect(typo.stderr).toContain('unknown property "replica"');
    // Only a type error is left: with the check it fails, without it the YAML is written.
    expect((await runKite(['synth', 'clean.ts', '--stdout'], { cwd: dir })).code).toBe(1);
    const unchecked = await runKite(['synth', 'clean.ts', '--stdout', '--no-typecheck'], { cwd: dir });
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain('name: api');
  });
});

// User programs run in a box (a child process): the real CLI with programs that misbehave. Each
// run gets its own TMPDIR, so that "no temp directory remains" and "no child process remains"
// are about this run only (the box's temp dir is in its child's arguments).
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../runtime/harness.ts';
import { KITE_BIN, scratchDir, writeFiles, type RunResult } from '../support/kite.ts';

const HEAD = `import { Stack, Namespace } from 'kite';
const stack = new Stack('boxed');
new Namespace(stack, 'boxed');
`;
const TAIL = 'export default stack;\n';

const PROGRAMS: Record<string, string> = {
  'talks.ts': `${HEAD}console.log('hello from the program');\nconsole.error('a warning');\nprocess.stdout.write('no newline');\n${TAIL}`,
  'loops.ts': `${HEAD}while (true) {}\n${TAIL}`,
  'exits0.ts': `${HEAD}process.exit(0);\n${TAIL}`,
  'exits3.ts': `${HEAD}if (stack) process.exit(3);\n${TAIL}`,
  'never.ts': `${HEAD}await new Promise(() => {});\n${TAIL}`,
  'throws-later.ts': `${HEAD}await new Promise((resolve) => setTimeout(() => { throw new Error('boom in a callback'); }, 10));\n${TAIL}`,
  'rejects.ts': `${HEAD}Promise.reject(new Error('nobody caught this'));\n${TAIL}`,
};

let dir: string;
let rt: TestRuntime;

beforeAll(async () => {
  dir = await scratchDir();
  await writeFiles(dir, PROGRAMS);
  rt = await startTestRuntime();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

/** The real CLI in `dir`, with a TMPDIR of its own; afterwards nothing of the box may remain. */
async function kite(args: string[]): Promise<RunResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'box-test-'));
  const result = await new Promise<RunResult>((done) => {
    execFile(process.execPath, [KITE_BIN, ...args], { cwd: dir, env: { ...process.env, TMPDIR: tmp } }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr });
    });
  });
  await expectNothingLeft(tmp);
  return result;
}

async function expectNothingLeft(tmp: string): Promise<void> {
  expect(await readdir(tmp)).toEqual([]);
  expect(await boxProcesses(tmp)).toEqual([]);
  await rm(tmp, { recursive: true, force: true });
}

/** Processes whose arguments name a directory under `tmp` (a box's child). */
function boxProcesses(tmp: string): Promise<string[]> {
  return new Promise((done) => {
    execFile('ps', ['-eo', 'pid=,args='], (_, stdout) => done(stdout.split('\n').filter((l) => l.includes(tmp))));
  });
}

const synth = (file: string, ...flags: string[]) => kite(['synth', file, '--stdout', '--no-typecheck', ...flags]);

describe('a program runs in its box', () => {
  it("marks the program's output on stderr; synth --stdout and plan --output json stay clean", async () => {
    const s = await kite(['synth', 'talks.ts', '--stdout']); // with the type check, as users run it
    expect(s.code, s.stderr).toBe(0);
    expect(parseAllDocuments(s.stdout).map((d) => d.toJS())).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'boxed' } }]);
    expect(s.stderr).toContain('talks.ts: hello from the program\n');
    expect(s.stderr).toContain('talks.ts: a warning\n');
    expect(s.stderr).toContain('talks.ts: no newline\n');

    const p = await kite(['plan', 'talks.ts', '--output', 'json', '--no-typecheck', '--state-dir', rt.dir]);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout).stack).toBe('boxed');
    expect(p.stderr).toContain('talks.ts: hello from the program\n');
  });

  it('stops a program that never ends at --program-timeout, for synth, validate, plan and apply', async () => {
    const message = 'loops.ts: the program did not finish within 1s (a loop that never ends? raise --program-timeout)';
    for (const args of [
      ['synth', 'loops.ts', '--stdout'],
      ['validate', 'loops.ts'],
      ['plan', 'loops.ts', '--state-dir', rt.dir],
      ['apply', 'loops.ts', '--yes', '--state-dir', rt.dir],
    ]) {
      const r = await kite([...args, '--no-typecheck', '--program-timeout', '1s']);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it.each([
    ['exits0.ts', /^exits0\.ts:4:\d+: the program called process\.exit\(0\): a program must not exit/m],
    ['exits3.ts', /^exits3\.ts:4:\d+: the program called process\.exit\(3\)/m],
    ['never.ts', /^never\.ts: the program never finished: it awaits a promise that nothing settles/m],
    ['throws-later.ts', /^throws-later\.ts:4:\d+: boom in a callback$/m],
    ['rejects.ts', /^rejects\.ts:4:\d+: nobody caught this$/m],
  ])('%s is an error naming the program, exit 1', async (file, message) => {
    const r = await synth(file);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|node:internal|^\s+at /m);
    expect(r.stdout).toBe('');
  });

  it('Ctrl-C while a program runs ends its box and removes its temp directory', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'box-test-'));
    const child = spawn(process.execPath, [KITE_BIN, 'synth', 'loops.ts', '--stdout', '--no-typecheck'], { cwd: dir, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_, signal) => done(signal)));
    await eventually(async () => (await boxProcesses(tmp)).length > 0, { timeoutMs: 20_000, what: "the program's box to start" });
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    await eventually(async () => (await boxProcesses(tmp)).length === 0, { what: 'the box to end' });
    await expectNothingLeft(tmp);
  });
});

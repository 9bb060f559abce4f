import { afterAll, beforeAll } from 'vitest';
import type { RuntimeOptions } from '../../runtime/runtime.ts';
import { runKite, scratchDir, type RunResult } from '../support/kite.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

export interface CliFixture {
  /** The runtime, started before the file's tests and closed after them. */
  readonly rt: TestRuntime;
  /** A scratch directory inside the repository (programs there resolve `kite` as a user's do). */
  readonly dir: string;
  /** The real `kite` command, against that runtime. */
  kite(args: string[]): Promise<RunResult>;
}

/** One started runtime and scratch directory for the tests of a file. */
export function cliFixture(opts: Partial<RuntimeOptions> = {}): CliFixture {
  let rt: TestRuntime | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    rt = await startTestRuntime(opts);
    dir = await scratchDir();
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('cliFixture: used before its beforeAll ran');
    return v;
  };
  return {
    get rt() {
      return started(rt);
    },
    get dir() {
      return started(dir);
    },
    kite: (args) => runKite([...args, '--state-dir', started(rt).dir]),
  };
}

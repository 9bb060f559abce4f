// Start-up benchmark: the fixed cost of a kite command, spawn to exit, as a ratio against a bare
// Node start (`node -e 0`) measured in the same run, round-robin so that a noisy minute hits every
// row alike.
//
//   npx tsx test/bench/startup.ts [--runs 9] [--only version,synth,up] [--baseline DIR]
//
// Rows (median of --runs rounds; each round runs every row once, in turn):
//   node -e 0                     the floor for any `node …` command on this machine
//   kite --version                `node bin/kite.js --version`
//   kite synth (one App)          `kite synth one-app.ts -o <tmp>` of a one-App program, type check
//                                 on (its build info is warm after the first round, as for a user
//                                 who runs synth twice), and the same with --no-typecheck
//   kite up --detach (fresh)      `kite up --detach --simulate --state-dir <new dir>` (3 nodes): exits
//                                 once the API answers; makes the CA, keys and token
//   kite up --detach (resumed)    the same on that dir after `kite down`
//   kite down                     `kite down` of the resumed runtime (informational)
//
// CPU columns (with /usr/bin/time): user + system time of kite's process and the children it waits
// for (the program's box, esbuild), plus for `kite up --detach` the detached runtime's own until
// kite returns (from /proc) — what a change saves, steadier than wall time on a busy machine.
//
// --baseline DIR: the same rows for another checkout of kite (built: DIR/build/), interleaved with
// this tree's in every round, and a column this/baseline — how a change is measured on a shared
// machine where absolute times swing 2×.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    only: { type: 'string', default: 'version,synth,up' },
    baseline: { type: 'string' },
  },
});
const RUNS = Number(opts.runs);
const ONLY = new Set(opts.only!.split(','));
if (!(RUNS >= 1) || [...ONLY].some((o) => !['version', 'synth', 'up'].includes(o))) {
  throw new Error('usage: --runs N [--only version,synth,up] [--baseline DIR]');
}
const TREES = [{ name: 'this', root: ROOT }, ...(opts.baseline ? [{ name: 'baseline', root: resolve(opts.baseline) }] : [])];
for (const t of TREES) if (!existsSync(join(t.root, 'build', 'cli.js'))) throw new Error(`${t.root}: not built (node scripts/build.mjs)`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const log = (s: string) => process.stderr.write(`${s}\n`);

/** One run's cost: wall time spawn to exit, and CPU time (user + system) where it can be measured. */
interface Cost {
  ms: number;
  /** The process and the children it waited for (GNU time), plus `extraCpuMs`; undefined without /usr/bin/time. */
  cpuMs?: number;
}

// CPU time is what a change saves on a shared machine whose wall times swing 2×.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One process, spawn to exit. Throws with its output when it fails. */
function timed(cwd: string, args: string[]): Cost {
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', 'kite-bench-cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}:\n${r.stderr.toString()}${r.stdout.toString()}`);
  const cpu = /kite-bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr.toString());
  return cpu ? { ms, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : { ms };
}

/**
 * The detached runtime's CPU time so far (read right after `kite up --detach` returns: its start-up),
 * from /proc; 0 where there is no /proc. `kite up --detach` does not wait for it, so GNU time misses it.
 */
function runtimeCpuMs(stateDir: string): number {
  try {
    const { pid } = JSON.parse(readFileSync(join(stateDir, 'runtime.json'), 'utf8')) as { pid: number };
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

/** `kite up --detach`'s cost: kite's own process and the runtime it started. */
function timedUp(cwd: string, args: string[], stateDir: string): Cost {
  const c = timed(cwd, args);
  return c.cpuMs === undefined ? c : { ms: c.ms, cpuMs: c.cpuMs + runtimeCpuMs(stateDir) };
}

// A program in each tree's own git-ignored work dir, so that `kite` resolves to that tree.
const ONE_APP = `// generated by test/bench/startup.ts — the fixed cost of synth
import { Stack, Namespace, App } from 'kite';

const stack = new Stack('one');
const ns = new Namespace(stack, 'one');
new App(ns, 'web', { image: 'nginx:1.25', replicas: 2, port: 8080, health: '/healthz', resources: { cpu: '100m', memory: '64Mi', limits: { memory: '128Mi' } } }).expose({ port: 80 });

export default stack;
`;

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};

type Step = (tree: (typeof TREES)[number], record: (label: string, cost: Cost) => void) => void;

const steps: Step[] = [(tree, record) => tree.name === 'this' && record('node -e 0', timed(ROOT, ['-e', '0']))];
if (ONLY.has('version')) steps.push((tree, record) => record('kite --version', timed(tree.root, ['bin/kite.js', '--version'])));
if (ONLY.has('synth')) {
  for (const t of TREES) {
    mkdirSync(join(t.root, 'test', 'bench', '.work'), { recursive: true });
    writeFileSync(join(t.root, 'test', 'bench', '.work', 'one-app.ts'), ONE_APP);
  }
  const program = join('test', 'bench', '.work', 'one-app.ts');
  steps.push((tree, record) => record('kite synth (one App)', timed(tree.root, ['bin/kite.js', 'synth', program, '-o', tempDir('kite-startup-')])));
  steps.push((tree, record) => record('kite synth (one App) --no-typecheck', timed(tree.root, ['bin/kite.js', 'synth', program, '--no-typecheck', '-o', tempDir('kite-startup-')])));
}
if (ONLY.has('up')) {
  steps.push((tree, record) => {
    const dir = tempDir('kite-startup-state-');
    try {
      record('kite up --detach (fresh, 3 nodes)', timedUp(tree.root, ['bin/kite.js', 'up', '--detach', '--simulate', '--state-dir', dir], dir));
      timed(tree.root, ['bin/kite.js', 'down', '--state-dir', dir]);
      try {
        record('kite up --detach (resumed)', timedUp(tree.root, ['bin/kite.js', 'up', '--detach', '--simulate', '--state-dir', dir], dir));
      } catch (e) {
        // On a shared machine another runtime may take the dir's network slot between `kite down`
        // and the resumed start (a resumed runtime keeps its slot): that round has no resumed sample.
        if (!/holds this state dir's addresses/.test((e as Error).message)) throw e;
        log(`  ${tree.name}: resumed start skipped: another runtime took the state dir's network slot`);
      }
    } finally {
      record('kite down', timed(tree.root, ['bin/kite.js', 'down', '--state-dir', dir]));
    }
  });
}

const results = new Map<string, Map<string, Cost[]>>(TREES.map((t) => [t.name, new Map()]));
const startLoad = loadavg()[0]!.toFixed(2);
try {
  // One unmeasured round: the type check's build info, the OS's file cache.
  for (const step of steps) for (const tree of TREES) step(tree, () => undefined);
  for (let i = 0; i < RUNS; i++) {
    // Alternate which tree goes first, so neither always runs right after the other.
    const order = i % 2 ? [...TREES].reverse() : TREES;
    for (const step of steps) {
      for (const tree of order) {
        step(tree, (label, cost) => {
          const rows = results.get(tree.name)!;
          rows.set(label, [...(rows.get(label) ?? []), cost]);
        });
      }
    }
    log(`  round ${i + 1}/${RUNS} done (load ${loadavg()[0]!.toFixed(2)})`);
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  }
} finally {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

const mine = results.get('this')!;
const base = results.get('baseline');
const wall = (cs: Cost[]) => median(cs.map((c) => c.ms));
const cpu = (cs: Cost[]) => (cs.every((c) => c.cpuMs !== undefined) ? median(cs.map((c) => c.cpuMs!)) : undefined);
const floor = wall(mine.get('node -e 0')!);
const cpuFloor = cpu(mine.get('node -e 0')!);
const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const ratio = (ms: number, of: number) => `${(ms / of).toFixed(2)}×`;
const cpuCells = (cs: Cost[]) => {
  const c = cpu(cs);
  return c === undefined || cpuFloor === undefined ? ['', ''] : [fmt(c), ratio(c, cpuFloor)];
};
const head = [
  'measure', 'median', '× node -e 0', 'range', 'CPU', 'CPU × node -e 0',
  ...(base ? ['baseline', 'baseline × node', 'baseline CPU', 'this / baseline', 'CPU this / baseline'] : []),
];
const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
for (const [label, xs] of mine) {
  const ms = xs.map((c) => c.ms);
  const cells = [label, fmt(wall(xs)), ratio(wall(xs), floor), `${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))}`, ...cpuCells(xs)];
  const bs = base?.get(label);
  if (base) {
    const cpuRatio = bs && cpu(bs) && cpu(xs) !== undefined ? (cpu(xs)! / cpu(bs)!).toFixed(2) : '';
    cells.push(...(bs ? [fmt(wall(bs)), ratio(wall(bs), floor), cpuCells(bs)[0]!, (wall(xs) / wall(bs)).toFixed(2), cpuRatio] : ['', '', '', '', '']));
  }
  lines.push(`| ${cells.join(' | ')} |`);
}
console.log(`\nkite start-up, ${RUNS} rounds (median), load avg ${startLoad} → ${loadavg()[0]!.toFixed(2)}${base ? `, baseline ${opts.baseline}` : ''}\n`);
console.log(lines.join('\n'));
console.log('\ntargets (issue 15): kite up --detach ≤ 3× node -e 0; kite synth of one App ≤ 2× node -e 0');

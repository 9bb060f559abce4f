// Where `kite synth` spends its time per App, phase by phase, in one process (no box, no bundling):
//
//   npx tsx test/bench/synth-phases.ts [--sizes 1000,5000] [--runs N] [--profile DIR] [--cold]
//                                      [--shape synth|plan] [--cache FILE]
//
// For each N it builds a Stack of N App+Service pairs (the program test/bench/synth.ts generates),
// then times (CPU time of this process, less noisy than wall time on a shared machine): constructing the tree, synthStack, ManifestValidation, the policy checks, the IPC
// serialization of the box's messages (v8.serialize, as Node's 'advanced' channel does) and
// the YAML emit. Median of --runs runs. --profile DIR writes a CPU profile of the last run per N
// and prints its summary (test/bench/cpu-profile.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serialize } from 'node:v8';
import { App, Namespace, Stack } from '../../lib/constructs/index.ts';
import { synthStack } from '../../lib/synth/synth-stack.ts';
import { ManifestValidation } from '../../lib/synth/validate-manifests.ts';
import { ValidationCache } from '../../lib/synth/validation-cache.ts';
import { checkStackPolicies } from '../../lib/policy/check-stack.ts';
import { toYamlStream } from '../../lib/synth/emit-yaml.ts';
import { topSelf } from './cpu-profile.ts';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,5000' },
    runs: { type: 'string', default: '5' },
    profile: { type: 'string' },
    // One run of the first size, in this fresh process: what a one-shot `kite synth` pays (lazy compiles, JIT warm-up).
    cold: { type: 'boolean', default: false },
    // `plan`: the Apps of test/bench/plan.ts's program (no resources, no probe: 3 best-practice warnings each).
    shape: { type: 'string', default: 'synth' },
    // Validate through the validation cache in FILE (lib/synth/validation-cache.ts), as the box does:
    // the first run of a program fills it, a re-run finds its unchanged objects there.
    cache: { type: 'string' },
  },
});
const SIZES = opts.sizes!.split(',').map(Number);
const RUNS = Number(opts.runs);

function build(n: number): Stack {
  const stack = new Stack('bench');
  const ns = new Namespace(stack, 'bench');
  for (let i = 0; i < n; i++) {
    if (opts.shape === 'plan') {
      new App(ns, `app-${i}`, { image: 'nginx:1.25', replicas: i === 0 ? 2 : 1, port: 8080 }).expose();
      continue;
    }
    new App(ns, `app-${i}`, {
      image: 'nginx:1.25', replicas: 3, port: 8080, health: '/healthz',
      resources: { cpu: '250m', memory: '128Mi', limits: { cpu: '500m', memory: '256Mi' } },
    }).expose({ port: 80 });
  }
  return stack;
}

function once(n: number): Record<string, number> {
  const t: Record<string, number> = {};
  // CPU time, not wall time: on a shared machine another process's load shows in wall time.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t0 = cpu();
  const lap = (k: string) => {
    const now = cpu();
    t[k] = now - t0;
    t0 = now;
  };
  const stack = build(n);
  lap('construct');
  const synth = synthStack(stack);
  lap('synthStack');
  const cache = opts.cache ? ValidationCache.open(opts.cache, 'synth-phases') : undefined;
  const validation = new ManifestValidation(cache);
  const parts: unknown[] = [];
  for (let i = 0; i < synth.raws.length; i += 500) {
    const valid = validation.add(synth.raws.slice(i, i + 500));
    parts.push({ type: 'manifests', stack: stack.name, manifests: valid.map((m) => ({ object: m.object, construct: m.origin.construct! })) });
  }
  const valid = validation.result();
  cache?.save();
  lap('validate');
  const diags = checkStackPolicies(stack, valid.manifests);
  lap('policies');
  let bytes = 0;
  for (const p of parts) bytes += serialize(p).length;
  lap('ipc-serialize');
  const yaml = toYamlStream(valid.manifests.map((m) => m.object));
  lap('emit-yaml');
  if (valid.manifests.length !== 2 * n + 1 || yaml.length === 0 || bytes === 0 || diags.some((d) => d.severity === 'error')) {
    throw new Error(`unexpected result: ${valid.manifests.length} manifests, ${diags.length} diagnostics`);
  }
  return t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Runs `f`, under a CPU profile written to --profile DIR (and summarized) when asked for. */
async function profiled<T>(name: string, f: () => T): Promise<T> {
  if (!opts.profile) return f();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const result = f();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(opts.profile, { recursive: true });
  const file = join(opts.profile, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(topSelf(file, 30));
  return result;
}

async function main() {
  if (opts.cold) {
    const n = SIZES[0]!;
    const t = await profiled(`synth-phases-${n}-cold`, () => once(n));
    console.log(`N=${n} cold: ` + Object.entries(t).map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`).join(', '));
    return;
  }
  once(200); // warm-up: load and compile
  for (const n of SIZES) {
    const runs: Record<string, number>[] = [];
    for (let r = 0; r < RUNS; r++) {
      runs.push(r === RUNS - 1 ? await profiled(`synth-phases-${n}`, () => once(n)) : once(n));
    }
    const keys = Object.keys(runs[0]!);
    const total = median(runs.map((r) => keys.reduce((s, k) => s + r[k]!, 0)));
    console.log(`N=${n}: total ${total.toFixed(0)} ms = ${((total / n) * 1000).toFixed(0)} µs per App; ` +
      keys.map((k) => `${k} ${median(runs.map((r) => r[k]!)).toFixed(0)} ms (${((median(runs.map((r) => r[k]!)) / n) * 1000).toFixed(0)} µs/App)`).join(', '));
  }
}

await main();

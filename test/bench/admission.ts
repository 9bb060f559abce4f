// Admission benchmark: the CPU the API server spends deciding one write (runtime/apiserver
// admission.ts: decode, validate with lib/api, default) for the writes a ReplicaSet scale-up makes
// per pod — the pod's create, its status write (of the stored, frozen pod, as the registry
// makes it), and an Event — in this process, so the figure is
// free of the rest of the pipeline (store, watch fan-out) and of most of a busy machine's noise.
//
//   npx tsx test/bench/admission.ts [--runs 7] [--iterations 4000] [--baseline DIR]
//
// Rows: µs of CPU (process.cpuUsage) per admitted write, median of --runs rounds. --baseline DIR
// loads the same module from another checkout (e.g. a `git worktree` of an older commit, with
// node_modules) into this process and alternates rounds with it, so both trees are measured on
// the same warm process under the same load; the ratio is this tree / the baseline.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { KubeObject } from '../../lib/api/meta.ts';
import { podEvent, replicaPod, runningStatus } from './pod-fixtures.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    iterations: { type: 'string', default: '4000' },
    baseline: { type: 'string' },
  },
});
const RUNS = Number(opts.runs);
const ITERATIONS = Number(opts.iterations);
if (!(RUNS >= 1) || !(ITERATIONS >= 1)) throw new Error('usage: --runs N --iterations N [--baseline DIR]');

type Admit = (r: unknown, input: KubeObject, fieldValidation: 'Warn', mode: 'create' | 'update') => unknown;
type AdmitStatusWrite = (r: unknown, merged: KubeObject, old: KubeObject, fieldValidation: 'Warn') => unknown;
interface Tree {
  name: string;
  admit: Admit;
  /** A status subresource write: admission.ts's admitStatusWrite where the tree has it, else admit (what its registry called). */
  admitStatus: AdmitStatusWrite;
  resource: (name: string) => unknown;
}

async function load(dir: string, name: string): Promise<Tree> {
  const file = (p: string) => pathToFileURL(join(dir, p)).href;
  if (!existsSync(join(dir, 'runtime', 'apiserver', 'admission.ts'))) throw new Error(`${name}: no runtime/apiserver/admission.ts in ${dir}`);
  const { admit, admitStatusWrite } = (await import(file('runtime/apiserver/admission.ts'))) as { admit: Admit; admitStatusWrite?: AdmitStatusWrite };
  const { resourceByName } = (await import(file('runtime/apiserver/resources.ts'))) as { resourceByName: (n: string) => unknown };
  const admitStatus: AdmitStatusWrite = admitStatusWrite ?? ((r, merged, _old, fv) => admit(r, merged, fv, 'update'));
  return { name, admit, admitStatus, resource: resourceByName };
}

const podCreate = { ...replicaPod('web-7x2kq'), metadata: { ...replicaPod('web-7x2kq').metadata, generateName: 'web-' } } as KubeObject;
const podStatus = { ...podCreate, spec: { ...(podCreate as unknown as { spec: object }).spec, nodeName: 'kite-node-1' }, status: runningStatus } as KubeObject;
const event = podEvent('web-7x2kq', 'pod-uid', 'Pulled', 'web-7x2kq.18a');

/** A bound Pod as the store holds it (admitted, frozen), and the kubelet's status write of it as prepareForUpdate makes it. */
function storedPod(tree: Tree): KubeObject {
  const { status: _s, ...pending } = podStatus as KubeObject & { status?: unknown };
  const admitted = (tree.admit(tree.resource('pods'), pending as KubeObject, 'Warn', 'create') as { object: KubeObject }).object;
  return deepFreeze(admitted);
}
const statusWriteOf = (old: KubeObject) => ({ ...old, status: (podStatus as { status?: unknown }).status, metadata: { ...old.metadata } }) as KubeObject;

const WRITES = [
  { what: 'Pod create', resource: 'pods', input: podCreate, mode: 'create' as const },
  { what: 'Pod status write', resource: 'pods', input: podStatus, mode: 'status' as const },
  { what: 'Event create', resource: 'events', input: event, mode: 'create' as const },
];

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** One admitted write of `w` on `tree`. */
function writer(tree: Tree, w: (typeof WRITES)[number]): () => unknown {
  const r = tree.resource(w.resource);
  if (w.mode !== 'status') return () => tree.admit(r, w.input, 'Warn', w.mode as 'create');
  const old = storedPod(tree);
  return () => tree.admitStatus(r, statusWriteOf(old), old, 'Warn');
}

/** µs of CPU per admitted write of `w` on `tree`, over ITERATIONS writes. */
function round(tree: Tree, w: (typeof WRITES)[number]): number {
  const write = writer(tree, w);
  const t0 = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) write();
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / ITERATIONS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const trees = [await load(ROOT, 'this tree')];
if (opts.baseline) trees.push(await load(resolve(opts.baseline), 'baseline'));
process.stderr.write(`admission bench: node ${process.version}, ${cpus().length} CPUs; load average ${loadavg()[0]!.toFixed(2)}\n`);

const rows: string[] = [];
for (const w of WRITES) {
  for (const t of trees) {
    const write = writer(t, w);
    for (let i = 0; i < 300; i++) write(); // warm up
  }
  const us = trees.map(() => [] as number[]);
  for (let k = 0; k < RUNS; k++) {
    const order = k % 2 === 0 ? trees.map((_, i) => i) : trees.map((_, i) => i).reverse();
    for (const i of order) us[i]!.push(round(trees[i]!, w));
  }
  const m = us.map(median);
  rows.push(`| ${w.what} | ${m[0]!.toFixed(1)} µs |${trees.length > 1 ? ` ${m[1]!.toFixed(1)} µs | ${(m[0]! / m[1]!).toFixed(2)}× |` : ''}`);
}
console.log(trees.length > 1 ? '| admitted write | this tree (CPU) | baseline | ratio |\n|---|---|---|---|' : '| admitted write | CPU |\n|---|---|');
console.log(rows.join('\n'));
console.log(`(median of ${RUNS} rounds of ${ITERATIONS} writes; load average at the end ${loadavg()[0]!.toFixed(2)})`);

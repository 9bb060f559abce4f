// Control-plane benchmark: the local runtime as a user runs it (`node bin/kite.js up …`), measured
// from outside through its HTTPS API, against the issue's targets and the anchors it cites.
//
//   npx tsx test/bench/control-plane.ts [--runs 3] [--pods 10000] [--nodes 100] [--seconds 2]
//                                       [--clients 1,10,50] [--rs-runs N] [--only start,writes,rs]
//                                       [--profile DIR] [--baseline DIR]
//
// Rows (median of --runs runs unless noted; state dirs are fresh, under test/bench/.work/):
//   node -e 0            the floor for any `node …` command on this machine
//   kite up (fresh)      the whole `kite up --detach --simulate --state-dir <new dir>` process,
//                        spawn to exit (it exits once the API answers); generates CA, keys, token
//   kite up (resumed)    the same on the dir of a previous run (`kite down` in between)
//   kite down            spawn to exit of `kite down` right after a fresh start (informational;
//                        it waits until kill(pid, 0) fails, and the detached runtime, reparented
//                        to init, stays a zombie until init reaps it)
//   idle RSS             VmRSS of the runtime (pid from runtime.json) right after a fresh start,
//                        3 simulated nodes
//   writes c=N           N clients (one KubeClient, i.e. one keep-alive agent, each) POST
//                        ConfigMaps in a loop for --seconds; acknowledged (201) writes/s and
//                        create latency p50/p99 (request → response)
//   RS N pods            `kite up --detach --simulate --nodes M --node-cpu 64 --node-memory 256Gi`,
//                        one ReplicaSet of N replicas (no resource requests) created; seconds from
//                        the POST until a watch on it shows status.readyReplicas == N (and until
//                        status.replicas == N, i.e. every pod created); --rs-runs runs (default
//                        --runs); the runtime's CPU time over the same span (less sensitive to
//                        a busy machine than the wall time)
//   RSS with N pods      VmRSS (and VmHWM, the peak) of that runtime once all are ready
//
// --baseline DIR: the RS runs alternate (order swapped every run) with the same scenario on the
// runtime of another built checkout (e.g. a `git worktree` of an older commit, `node
// scripts/build.mjs` run in it), and a row gives both pods/s and their ratio, measured in the
// same run: on a shared machine only such ratios are comparable across hours.
//
// --profile DIR: instead of the measured runs, start (fresh, then resumed: samples until the ready
// line), run the writes (the --clients above 1) and the ReplicaSet scenario once each against a
// runtime started in the foreground under `node --cpu-prof --cpu-prof-dir DIR/<phase>`, stop it
// with SIGINT, and print its top self-time functions and files (build/ positions mapped back to the
// sources through the bundle's source maps; file:line is where the function is defined).
import { cpuMsOf, profiledUp } from './proc.ts';
import { topSelf } from './cpu-profile.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubeClient, KubeconfigError, loadKubeconfig, type KubeObject } from '../../lib/kube/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KITE_BIN = join(ROOT, 'bin', 'kite.js');
const WORK = join(ROOT, 'test', 'bench', '.work');

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    pods: { type: 'string', default: '10000' },
    nodes: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '2' },
    clients: { type: 'string', default: '1,10,50' },
    'rs-runs': { type: 'string' },
    only: { type: 'string', default: 'start,writes,rs' },
    profile: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const RUNS = Number(opts.runs);
const PODS = Number(opts.pods);
const NODES = Number(opts.nodes);
const SECONDS = Number(opts.seconds);
const CLIENTS = opts.clients!.split(',').map(Number);
const RS_RUNS = Number(opts['rs-runs'] ?? RUNS);
const ONLY = new Set(opts.only!.split(','));
const BASELINE_BIN = opts.baseline ? join(resolve(opts.baseline), 'bin', 'kite.js') : undefined;
if (BASELINE_BIN && !existsSync(BASELINE_BIN)) throw new Error(`--baseline: no ${BASELINE_BIN}`);
if (!(RUNS >= 1) || !(PODS >= 1) || !(NODES >= 1) || !(SECONDS > 0) || CLIENTS.some((n) => !(n >= 1)) || !(RS_RUNS >= 0)) {
  throw new Error('usage: --runs N --pods N --nodes N --seconds S --clients 1,10,50 [--rs-runs N] [--only start,writes,rs] [--profile DIR]');
}

// ---- helpers ---------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const log = (s: string) => process.stderr.write(`${s}\n`);

let dirSeq = 0;
const dirs = new Set<string>();
function freshDir(what: string): string {
  const d = join(WORK, `cp-${what}-${process.pid}-${dirSeq++}`);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(dirname(d), { recursive: true });
  dirs.add(d);
  return d;
}

const COMMAND_TIMEOUT_MS = 120_000;

/**
 * Runs `node args…` to completion; resolves with its wall time (spawn → exit) in ms. Killed
 * after COMMAND_TIMEOUT_MS: a `kite up --detach` whose runtime failed to start can wait forever.
 */
function timed(args: string[]): Promise<{ ms: number; stderr: string }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (code === 0) done({ ms, stderr });
      else fail(new Error(`node ${args.join(' ')} exited ${code ?? signal}${signal === 'SIGKILL' ? ` (killed after ${COMMAND_TIMEOUT_MS / 1000} s)` : ''}:\n${stderr}`));
    });
  });
}

const kiteAt = (bin: string, ...args: string[]) => timed([bin, ...args]);
const kite = (...args: string[]) => kiteAt(KITE_BIN, ...args);

function runtimePid(stateDir: string): number {
  return (JSON.parse(readFileSync(join(stateDir, 'runtime.json'), 'utf8')) as { pid: number }).pid;
}

/** VmRSS and VmHWM of a process, in MB. */
function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

function clientFor(stateDir: string): KubeClient {
  const target = loadKubeconfig({ kubeconfig: join(stateDir, 'kubeconfig') });
  if (target instanceof KubeconfigError) throw target;
  return new KubeClient(target, { maxRetries: 0 });
}

interface Started {
  dir: string;
  pid: number;
  upMs: number;
  stop(): Promise<number>;
}

/**
 * A runtime on a fresh state dir: `kite up --detach` (stopped by `kite down`), or with
 * `profileDir` in the foreground under `node --cpu-prof` (stopped by SIGINT, which writes the
 * profile).
 */
async function startKite(upArgs: string[], profileDir?: string, dir = freshDir('rt'), bin = KITE_BIN): Promise<Started> {
  if (!profileDir) {
    const { ms } = await kiteAt(bin, 'up', '--detach', '--simulate', '--state-dir', dir, ...upArgs).catch((e: Error) => {
      // The detached runtime logs why it did not start (e.g. more nodes than its network slot holds).
      const log = join(dir, 'runtime.log');
      throw new Error(`${e.message}${existsSync(log) ? `\nruntime.log:\n${readFileSync(log, 'utf8').slice(-2000)}` : ''}`);
    });
    return { dir, pid: runtimePid(dir), upMs: ms, stop: async () => (await kiteAt(bin, 'down', '--state-dir', dir)).ms };
  }
  mkdirSync(profileDir, { recursive: true });
  const t0 = performance.now();
  const { child, exited } = await profiledUp(KITE_BIN, ['--simulate', '--state-dir', dir, ...upArgs], profileDir, ROOT);
  const upMs = performance.now() - t0;
  // The ready line is written just before `kite up` installs its SIGINT handler: one answered
  // request proves the process has moved past that point, so the SIGINT of stop() is handled.
  const c = clientFor(dir);
  await c.version();
  c.close();
  return {
    dir,
    pid: child.pid!,
    upMs,
    stop: async () => {
      const t = performance.now();
      child.kill('SIGINT');
      await exited;
      return performance.now() - t;
    },
  };
}

// ---- cold start ------------------------------------------------------------------------------

interface StartRuns {
  nodeE0: number[];
  fresh: number[];
  resumed: number[];
  down: number[];
  idleRss: number[];
}

async function coldStart(): Promise<StartRuns> {
  const r: StartRuns = { nodeE0: [], fresh: [], resumed: [], down: [], idleRss: [] };
  for (let i = 0; i < Math.max(RUNS, 5); i++) r.nodeE0.push((await timed(['-e', '0'])).ms);
  for (let i = 0; i < RUNS; i++) {
    const dir = freshDir('start');
    r.fresh.push((await kite('up', '--detach', '--simulate', '--state-dir', dir)).ms);
    r.idleRss.push(rssOf(runtimePid(dir)).rss);
    r.down.push((await kite('down', '--state-dir', dir)).ms);
    r.resumed.push((await kite('up', '--detach', '--simulate', '--state-dir', dir)).ms);
    await kite('down', '--state-dir', dir);
    rmSync(dir, { recursive: true, force: true });
    log(`  start run ${i + 1}: fresh ${r.fresh.at(-1)!.toFixed(0)} ms, resumed ${r.resumed.at(-1)!.toFixed(0)} ms, down ${r.down.at(-1)!.toFixed(0)} ms, idle RSS ${r.idleRss.at(-1)!.toFixed(1)} MB`);
  }
  return r;
}

// ---- writes ----------------------------------------------------------------------------------

interface WriteRun {
  wps: number;
  p50: number;
  p99: number;
  n: number;
  /** CPU used during the window, as % of one core: the runtime, and this (client) process. */
  serverCpu: number;
  clientCpu: number;
}

const PAYLOAD = 'x'.repeat(256);

async function writes(stateDir: string, pid: number, clients: number, tag: string): Promise<WriteRun> {
  const kcs = Array.from({ length: clients }, () => clientFor(stateDir));
  const path = '/api/v1/namespaces/default/configmaps';
  const body = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { bench: tag } }, data: { payload: PAYLOAD } });
  // Warm up: open each client's connection (TLS handshake) and the server's code paths.
  await Promise.all(kcs.map((c, i) => c.request('POST', path, { body: body(`warm-${tag}-${i}`) })));
  const lat: number[] = [];
  let next = 0;
  const cpu0 = cpuMsOf(pid);
  const client0 = process.cpuUsage();
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    kcs.map(async (c) => {
      while (performance.now() < end) {
        const name = `cm-${tag}-${next++}`;
        const t0 = performance.now();
        await c.request('POST', path, { body: body(name) });
        lat.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - start;
  const serverCpu = ((cpuMsOf(pid) - cpu0) / elapsed) * 100;
  const cu = process.cpuUsage(client0);
  const clientCpu = ((cu.user + cu.system) / 1000 / elapsed) * 100;
  for (const c of kcs) c.close();
  lat.sort((a, b) => a - b);
  return { wps: (lat.length / elapsed) * 1000, p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length, serverCpu, clientCpu };
}

async function writeRuns(): Promise<Map<number, WriteRun[]>> {
  const out = new Map<number, WriteRun[]>(CLIENTS.map((c) => [c, []]));
  for (let i = 0; i < RUNS; i++) {
    const rt = await startKite([]);
    try {
      for (const c of CLIENTS) {
        const w = await writes(rt.dir, rt.pid, c, `r${i}c${c}`);
        out.get(c)!.push(w);
        log(`  writes run ${i + 1}, ${c} client(s): ${w.wps.toFixed(0)}/s (${w.n} writes), p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms; CPU runtime ${w.serverCpu.toFixed(0)}%, client ${w.clientCpu.toFixed(0)}%`);
      }
    } finally {
      await rt.stop();
      rmSync(rt.dir, { recursive: true, force: true });
    }
  }
  return out;
}

// ---- a big ReplicaSet on many simulated nodes -----------------------------------------------

interface RsRun {
  createdS: number;
  readyS: number;
  /** The runtime's CPU time (user + system) from the POST to all ready, in s. */
  cpuS: number;
  rss: number;
  hwm: number;
  downMs: number;
}

const RS_REF = { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true };
const RS_TIMEOUT_MS = 15 * 60_000;

/** Creates the ReplicaSet and follows it with a watch; resolves with seconds to all created and all ready. */
async function bigReplicaSet(stateDir: string, replicas: number): Promise<{ createdS: number; readyS: number }> {
  const c = clientFor(stateDir);
  const name = 'bench';
  try {
    const list = (await c.request('GET', '/apis/apps/v1/namespaces/default/replicasets')) as { metadata: { resourceVersion: string } };
    let rv = list.metadata.resourceVersion;
    let t0 = 0;
    let createdS = NaN;
    let readyS = NaN;
    let lastStatus = '';
    const deadline = Date.now() + RS_TIMEOUT_MS;
    let created: Promise<unknown> | undefined;
    // Re-open the watch from the last seen resourceVersion if the server ends it.
    while (Number.isNaN(readyS)) {
      if (Date.now() > deadline) throw new Error(`ReplicaSet not ready within ${RS_TIMEOUT_MS / 1000} s (last status ${lastStatus})`);
      const w = c.watch<KubeObject & { status?: { replicas?: number; readyReplicas?: number } }>(
        RS_REF,
        { namespace: 'default', resourceVersion: rv, fieldSelector: `metadata.name=${name}`, allowWatchBookmarks: true },
        (ev) => {
          if (ev.type === 'ERROR') throw new Error(`watch error: ${JSON.stringify(ev.object)}`);
          rv = (ev.object.metadata?.resourceVersion as string | undefined) ?? rv;
          if (ev.type === 'BOOKMARK' || !t0) return;
          const st = ev.object.status ?? {};
          lastStatus = JSON.stringify(st);
          const s = (performance.now() - t0) / 1000;
          if (Number.isNaN(createdS) && (st.replicas ?? 0) >= replicas) createdS = s;
          if ((st.readyReplicas ?? 0) >= replicas) {
            readyS = s;
            w.stop();
          }
        },
      );
      const timer = setTimeout(() => w.stop(), Math.max(0, deadline - Date.now()));
      if (!created) {
        t0 = performance.now();
        created = c.request('POST', '/apis/apps/v1/namespaces/default/replicasets', {
          body: {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: { name, namespace: 'default' },
            spec: {
              replicas,
              selector: { matchLabels: { app: name } },
              template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
            },
          },
        });
        await created;
      }
      await w.done;
      clearTimeout(timer);
    }
    return { createdS, readyS };
  } finally {
    c.close();
  }
}

/** The RS scenario RS_RUNS times on this tree and, alternating with it, on --baseline's. */
async function rsRuns(): Promise<{ runs: RsRun[]; baseline: RsRun[] }> {
  const runs: RsRun[] = [];
  const baseline: RsRun[] = [];
  for (let i = 0; i < RS_RUNS; i++) {
    const order: Array<'this' | 'baseline'> = !BASELINE_BIN ? ['this'] : i % 2 === 0 ? ['this', 'baseline'] : ['baseline', 'this'];
    for (const which of order) {
      const r = await rsRun(which === 'this' ? KITE_BIN : BASELINE_BIN!);
      (which === 'this' ? runs : baseline).push(r);
      log(`  RS run ${i + 1}${BASELINE_BIN ? ` (${which})` : ''}: ${PODS} pods created in ${r.createdS.toFixed(2)} s, ready in ${r.readyS.toFixed(2)} s (${(PODS / r.readyS).toFixed(0)} pods/s; runtime CPU ${r.cpuS.toFixed(1)} s); RSS ${r.rss.toFixed(0)} MB (peak ${r.hwm.toFixed(0)} MB); kite down ${r.downMs.toFixed(0)} ms`);
    }
  }
  return { runs, baseline };
}

async function rsRun(bin: string): Promise<RsRun> {
  const rt = await startKite(['--nodes', String(NODES), '--node-cpu', '64', '--node-memory', '256Gi'], undefined, freshDir('rt'), bin);
  try {
    const cpu0 = cpuMsOf(rt.pid);
    const r = await bigReplicaSet(rt.dir, PODS);
    const cpuS = (cpuMsOf(rt.pid) - cpu0) / 1000;
    const mem = rssOf(rt.pid);
    const downMs = await rt.stop();
    return { ...r, cpuS, ...mem, downMs };
  } catch (e) {
    await rt.stop().catch(() => {});
    throw e;
  } finally {
    rmSync(rt.dir, { recursive: true, force: true });
  }
}

// ---- profile ---------------------------------------------------------------------------------

async function profile(dir: string): Promise<void> {
  const abs = resolve(dir);
  if (ONLY.has('start')) {
    // Foreground `kite up` (the --detach child does the same work after its parent's ~node start):
    // the samples until the ready line, fresh then resumed.
    const stateDir = freshDir('start');
    for (const kind of ['fresh', 'resumed']) {
      const pdir = join(abs, `start-${kind}`);
      const rt = await startKite([], pdir, stateDir);
      await rt.stop();
      log(`  profiled start (${kind}): ready after ${rt.upMs.toFixed(0)} ms`);
      console.log(`\nkite up (${kind}), until ready (${rt.upMs.toFixed(0)} ms after spawn), self time:\n${topSelf(newestIn(pdir), 25, rt.upMs)}`);
    }
    rmSync(stateDir, { recursive: true, force: true });
  }
  if (ONLY.has('writes')) {
    const wdir = join(abs, 'writes');
    const rt = await startKite([], wdir);
    for (const c of CLIENTS.filter((n) => n > 1)) {
      const w = await writes(rt.dir, rt.pid, c, `prof-c${c}`);
      log(`  profiled writes, ${c} clients: ${w.wps.toFixed(0)}/s, p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms`);
    }
    await rt.stop();
    rmSync(rt.dir, { recursive: true, force: true });
    console.log(`\nwrites (c=${CLIENTS.filter((n) => n > 1).join(',')}), runtime self time:\n${topSelf(newestIn(wdir))}`);
  }
  if (ONLY.has('rs')) {
    const rdir = join(abs, 'rs');
    const rt = await startKite(['--nodes', String(NODES), '--node-cpu', '64', '--node-memory', '256Gi'], rdir);
    const r = await bigReplicaSet(rt.dir, PODS);
    log(`  profiled RS: created ${r.createdS.toFixed(2)} s, ready ${r.readyS.toFixed(2)} s`);
    await rt.stop();
    rmSync(rt.dir, { recursive: true, force: true });
    console.log(`\n${PODS}-replica ReplicaSet on ${NODES} nodes, runtime self time:\n${topSelf(newestIn(rdir))}`);
  }
}

function newestIn(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, files.at(-1)!);
}

// ---- main ------------------------------------------------------------------------------------

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'build', 'cli.js'))) await timed([join(ROOT, 'scripts', 'build.mjs')]);
  log(`control-plane bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; runs ${RUNS}; load average ${loadavg()[0]!.toFixed(2)}`);
  if (opts.profile) {
    await profile(opts.profile);
    return;
  }

  const rows: Array<[string, string, string, string]> = [];
  const row = (what: string, value: string, target: string, anchor: string) => rows.push([what, value, target, anchor]);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

  if (ONLY.has('start')) {
    log('cold start…');
    const s = await coldStart();
    row('node -e 0 (baseline)', fmtMs(median(s.nodeE0)), '', '');
    row('kite up --detach (fresh dir, new TLS keys)', fmtMs(median(s.fresh)), `< 0.5 s: ${verdict(median(s.fresh) < 500)}`, 'kind: 12–17 s to create a cluster');
    row('kite up --detach (resumed dir)', fmtMs(median(s.resumed)), `< 0.5 s: ${verdict(median(s.resumed) < 500)}`, '');
    row('kite down', fmtMs(median(s.down)), '', '');
    row('idle RSS (3 nodes, right after up)', `${median(s.idleRss).toFixed(0)} MB`, `< 100 MB: ${verdict(median(s.idleRss) < 100)}`, "KWOK's kube-apiserver alone ~300 MB");
  }
  if (ONLY.has('writes')) {
    log('writes…');
    const w = await writeRuns();
    for (const [c, runs] of w) {
      const wps = median(runs.map((r) => r.wps));
      row(
        `ConfigMap creates, ${c} client${c === 1 ? '' : 's'}: writes/s, latency`,
        `${wps.toFixed(0)}/s, p50 ${median(runs.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(runs.map((r) => r.p99)).toFixed(2)} ms (CPU: runtime ${median(runs.map((r) => r.serverCpu)).toFixed(0)}%, client ${median(runs.map((r) => r.clientCpu)).toFixed(0)}%)`,
        `≥ 5,000/s: ${verdict(wps >= 5000)}`,
        c === 1 ? 'etcd, 1 client: 583 writes/s' : '',
      );
    }
  }
  if (ONLY.has('rs') && RS_RUNS > 0) {
    log(`${PODS}-replica ReplicaSet on ${NODES} simulated nodes…`);
    const { runs: r, baseline } = await rsRuns();
    const ready = median(r.map((x) => x.readyS));
    const rate = PODS / ready;
    row(
      `${PODS}-replica RS on ${NODES} nodes: apply → all ready`,
      `${ready.toFixed(2)} s = ${rate.toFixed(0)} pods/s (all created ${median(r.map((x) => x.createdS)).toFixed(2)} s; runtime CPU ${median(r.map((x) => x.cpuS)).toFixed(1)} s)`,
      `≥ 1,000 pods/s: ${verdict(rate >= 1000)}`,
      'KWOK ~20 pods/s ready; kube-scheduler CI floor 680–810 pods/s (5,000 nodes)',
    );
    if (baseline.length > 0) {
      const baseRate = PODS / median(baseline.map((x) => x.readyS));
      const cpu = median(r.map((x) => x.cpuS));
      const baseCpu = median(baseline.map((x) => x.cpuS));
      row(
        `${PODS}-replica RS on ${NODES} nodes, this tree / --baseline (alternated)`,
        `${rate.toFixed(0)} / ${baseRate.toFixed(0)} pods/s = ${(rate / baseRate).toFixed(2)}×; runtime CPU ${cpu.toFixed(1)} / ${baseCpu.toFixed(1)} s = ${(cpu / baseCpu).toFixed(2)}×`,
        '',
        '',
      );
    }
    const rss = median(r.map((x) => x.rss));
    row(`RSS with ${PODS} pods (peak)`, `${rss.toFixed(0)} MB (${median(r.map((x) => x.hwm)).toFixed(0)} MB)`, '', "KWOK's kube-apiserver alone ~300 MB");
    row(`kite down with ${PODS} pods`, fmtMs(median(r.map((x) => x.downMs))), '', '');
  }

  const header: [string, string, string, string] = ['measure', `median of ${RUNS}${ONLY.has('rs') && RS_RUNS !== RUNS ? ` (RS: ${RS_RUNS})` : ''}`, 'target', 'anchor'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  console.log(`(${cpus().length} CPUs shared by the runtime and this client; load average at the end ${loadavg()[0]!.toFixed(2)})`);
}

try {
  await main();
} finally {
  for (const d of dirs) {
    // A runtime left running by a failure is stopped before its dir goes.
    if (existsSync(join(d, 'runtime.json'))) await kite('down', '--state-dir', d).catch(() => {});
    rmSync(d, { recursive: true, force: true });
  }
}

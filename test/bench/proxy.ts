// Service proxy benchmark (issue 12): an HTTP keep-alive server reached directly and through a
// Service's cluster IP, in one run, with the ratios against direct measured in that same run.
//
//   npx tsx test/bench/proxy.ts [--runs 5] [--seconds 2] [--clients 1,10] [--modes userspace,nftables]
//                               [--profile DIR] [--skip-dns]
//
// Setup: the runtime in this process (simulated nodes, as `kite up --simulate` runs it; the proxy
// shares its event loop with the API server, as it does in `kite up`); the HTTP server and the
// load generator each in a child process of their own (a pod and a client, not sharing our loop).
// Rows (median of --runs runs of --seconds each):
//   direct c=N       N keep-alive connections, one request in flight on each, straight to the server
//   VIP c=N (mode)   the same to the Service's cluster IP (userspace: our sockets; nftables: DNAT)
//   ratio            VIP requests/s over direct, and added p50 latency; the userspace proxy's CPU
//                    per request forwarded (user + system: most of it is the kernel's, for the two
//                    reads and two writes of loopback TCP each request costs it)
//   target rows      throughput at 10 connections; added p50 latency at 1 connection (one request
//                    in flight: the issue's anchor, a naive pipe at +64 µs, can only be that — at 10
//                    saturated connections the added p50 is mostly queueing behind the others)
//   reprogram        from writing the EndpointSlice (a new endpoint replacing the old) to the first
//                    new connection reaching the new endpoint, and the proxy's own sync time
//                    (informer event to table programmed): for a change after a quiet spell (the
//                    target), and for changes back to back, which wait for the proxy's minimum
//                    interval between rebuilds (MIN_SYNC_INTERVAL_MS, kube-proxy's minSyncPeriod)
//   DNS              queries/s answered by the cluster DNS server (test/bench/dns.ts)
// Targets: ≥ 0.6× direct at 10 connections and ≤ 0.1 ms added p50 (userspace), ≥ 0.9× (kernel),
// reprogramming < 50 ms, DNS ≥ 30,000 queries/s.
// --profile DIR: after the measured runs of each mode, one more VIP run at the largest client count
// with this process (the runtime, hence the userspace proxy) CPU-profiled in process; the profile
// is written to DIR and its top functions printed. --skip-dns: the proxy rows only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { nthAddress } from '../../runtime/network.ts';
import { MIN_SYNC_INTERVAL_MS } from '../../runtime/proxy/index.ts';
import { startRuntime, type Runtime } from '../../runtime/runtime.ts';
import { topSelf } from './cpu-profile.ts';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '2' },
    clients: { type: 'string', default: '1,10' },
    modes: { type: 'string', default: 'userspace,nftables' },
    profile: { type: 'string' },
    'skip-dns': { type: 'boolean', default: false },
  },
});
const RUNS = Number(opts.runs);
const SECONDS = Number(opts.seconds);
const CLIENTS = opts.clients!.split(',').map(Number);
const MODES = opts.modes!.split(',') as ('userspace' | 'nftables')[];

/** The HTTP server: answers every request with its name (a pod of a stand-in app). */
const SERVER = `
import { createServer } from 'node:http';
const [host, name] = process.argv.slice(1);
const body = name + '\\n';
const s = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length }); res.end(body); });
s.keepAliveTimeout = 60000;
s.listen(0, host, () => process.stdout.write(JSON.stringify({ port: s.address().port }) + '\\n'));
`;

/** The load generator: C raw keep-alive connections, one request in flight on each, for S seconds. */
const LOAD = `
import { connect } from 'node:net';
const [host, port, c, seconds] = process.argv.slice(1).map((v, i) => (i === 0 ? v : Number(v)));
const REQ = Buffer.from('GET / HTTP/1.1\\r\\nHost: bench\\r\\n\\r\\n');
const lat = [];
let done = 0;
const end = performance.now() + seconds * 1000;
const warm = performance.now() + 200;
function client() {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, noDelay: true });
    let buf = '';
    let t0 = 0;
    const send = () => { t0 = performance.now(); s.write(REQ); };
    s.on('connect', send);
    s.on('error', reject);
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const h = buf.indexOf('\\r\\n\\r\\n');
      if (h === -1) return;
      const len = Number(/content-length: (\\d+)/i.exec(buf.slice(0, h))[1]);
      if (buf.length < h + 4 + len) return;
      buf = buf.slice(h + 4 + len);
      const now = performance.now();
      if (now > warm) { lat.push(now - t0); done++; }
      if (now < end) send(); else { s.destroy(); resolve(); }
    });
  });
}
await Promise.all(Array.from({ length: c }, client));
lat.sort((a, b) => a - b);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
process.stdout.write(JSON.stringify({ rps: done / (seconds - 0.2), p50: q(0.5), p99: q(0.99) }) + '\\n');
`;

interface Load {
  rps: number;
  p50: number;
  p99: number;
}

function node(code: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', code, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before answering`)));
  });
}

async function startServer(host: string, name: string): Promise<{ port: number; child: ChildProcess }> {
  const child = node(SERVER, [host, name]);
  const { port } = JSON.parse(await firstLine(child)) as { port: number };
  return { port, child };
}

async function load(host: string, port: number, c: number): Promise<Load> {
  return JSON.parse(await firstLine(node(LOAD, [host, String(port), String(c), String(SECONDS)]))) as Load;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** GET / on a fresh connection: the name of the endpoint that answered ('' when refused). */
function nameAt(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    let buf = '';
    s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n'));
    s.on('data', (d: Buffer) => (buf += d.toString()));
    s.on('end', () => resolve(buf.slice(buf.indexOf('\r\n\r\n') + 4).trim()));
    s.on('error', () => resolve(''));
  });
}

async function slice(rt: Runtime, ip: string, port: number): Promise<void> {
  const existing = rt.client.get('endpointslices', 'default', 'bench-1');
  const body = {
    apiVersion: 'discovery.k8s.io/v1' as const,
    kind: 'EndpointSlice' as const,
    metadata: { name: 'bench-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'bench', 'endpointslice.kubernetes.io/managed-by': 'bench.kite.dev' } },
    addressType: 'IPv4' as const,
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: '', port, protocol: 'TCP' }],
  };
  if (existing) await rt.client.update('endpointslices', { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion } });
  else await rt.client.create('endpointslices', 'default', body);
}

/** One VIP run with this process CPU-profiled (the runtime and its userspace proxy). */
async function profiled(mode: string, vip: string, c: number): Promise<string> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const v = await load(vip, 80, c);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(opts.profile!, { recursive: true });
  const file = join(opts.profile!, `proxy-${mode}-c${c}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return `profiled VIP c=${c} (${mode}): ${v.rps.toFixed(0)} req/s\n${topSelf(file, 30)}`;
}

async function benchMode(mode: 'userspace' | 'nftables'): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-bench-proxy-'));
  const rt = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '2', nodeMemory: '4Gi', simulate: true, proxyMode: mode });
  const children: ChildProcess[] = [];
  const rows: string[] = [];
  const targets: string[] = [];
  try {
    if (rt.proxy.mode !== mode) return [`${mode}: not available (${rt.proxy.modeReason})`];
    const ipA = nthAddress(rt.network.podCIDR(1), 101);
    const ipB = nthAddress(rt.network.podCIDR(1), 102);
    const a = await startServer(ipA, 'a');
    const b = await startServer(ipB, 'b');
    children.push(a.child, b.child);
    const svc = await rt.client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    const vip = svc.spec!.clusterIP!;
    await slice(rt, ipA, a.port);
    for (const deadline = Date.now() + 5000; (await nameAt(vip, 80)) !== 'a'; ) if (Date.now() > deadline) throw new Error('the VIP never answered');

    // The runtime's own CPU while idle (heartbeats, informers), subtracted from the proxy's below.
    const idle0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 2000));
    const idle = process.cpuUsage(idle0);
    const idleUsPerS = (idle.user + idle.system) / 2;
    if (mode === 'userspace') rows.push(`runtime idle (${mode})\t${(idleUsPerS / 1000).toFixed(1)} ms CPU/s`);

    for (const c of CLIENTS) {
      const direct: Load[] = [];
      const viaVip: Load[] = [];
      const cpuPerRequest: number[] = [];
      const sysPerRequest: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        // Interleaved, so a slow moment of the machine hits both alike.
        direct.push(await load(ipA, a.port, c));
        const cpu0 = process.cpuUsage();
        const v = await load(vip, 80, c);
        const cpu = process.cpuUsage(cpu0);
        viaVip.push(v);
        // This process hosts the proxy: its CPU per request forwarded, robust to a busy machine.
        cpuPerRequest.push((cpu.user + cpu.system - idleUsPerS * SECONDS) / (v.rps * SECONDS));
        sysPerRequest.push(cpu.system / (v.rps * SECONDS));
      }
      const d = { rps: median(direct.map((x) => x.rps)), p50: median(direct.map((x) => x.p50)), p99: median(direct.map((x) => x.p99)) };
      const v = { rps: median(viaVip.map((x) => x.rps)), p50: median(viaVip.map((x) => x.p50)), p99: median(viaVip.map((x) => x.p99)) };
      const ratios = viaVip.map((x, i) => x.rps / direct[i]!.rps);
      rows.push(`direct c=${c}\t${d.rps.toFixed(0)} req/s\tp50 ${(d.p50 * 1000).toFixed(0)} µs\tp99 ${(d.p99 * 1000).toFixed(0)} µs`);
      rows.push(`VIP c=${c} (${mode})\t${v.rps.toFixed(0)} req/s\tp50 ${(v.p50 * 1000).toFixed(0)} µs\tp99 ${(v.p99 * 1000).toFixed(0)} µs`);
      const added = ratios.map((_, i) => (viaVip[i]!.p50 - direct[i]!.p50) * 1000);
      rows.push(`  ratio c=${c} (${mode})\t${median(ratios).toFixed(2)}× direct (runs: ${ratios.map((x) => x.toFixed(2)).join(' ')})\tadded p50 ${((v.p50 - d.p50) * 1000).toFixed(0)} µs (runs: ${added.map((x) => x.toFixed(0)).join(' ')})${mode === 'userspace' ? `\tproxy CPU ${median(cpuPerRequest).toFixed(1)} µs/request (system ${median(sysPerRequest).toFixed(1)})` : ''}`);
      if (c === 10) targets.push(`  target (${mode}): throughput at 10 connections ${median(ratios).toFixed(2)}× direct (≥ ${mode === 'userspace' ? '0.6' : '0.9'}×)`);
      if (c === 1 && mode === 'userspace') targets.push(`  target (${mode}): added p50 at 1 connection ${((v.p50 - d.p50) * 1000).toFixed(0)} µs (≤ 100 µs)`);
    }

    if (opts.profile) rows.push(await profiled(mode, vip, Math.max(...CLIENTS)));

    // Reprogramming: switch the endpoint, time until a new connection reaches the other one.
    for (const quiet of [true, false]) {
      const took: number[] = [];
      const sync: number[] = [];
      for (let r = 0; r < RUNS * 2; r++) {
        const [ip, port, name] = r % 2 === 0 ? [ipB, b.port, 'b'] : [ipA, a.port, 'a'];
        // A change after a quiet spell is programmed at once; one right after a rebuild waits for the interval.
        if (quiet) await delay(MIN_SYNC_INTERVAL_MS * 1.5);
        const t0 = performance.now();
        await slice(rt, ip, port);
        while ((await nameAt(vip, 80)) !== name) if (performance.now() - t0 > 5000) throw new Error('reprogramming never took effect');
        took.push(performance.now() - t0);
        sync.push(rt.proxy.lastSyncMs);
      }
      rows.push(`reprogram (${mode}, ${quiet ? 'after a quiet spell' : 'back to back'})\tEndpointSlice write → new endpoint used: median ${median(took).toFixed(1)} ms, max ${Math.max(...took).toFixed(1)} ms\tproxy sync ${median(sync).toFixed(1)} ms`);
      if (quiet) targets.push(`  target (${mode}): reprogramming ${median(took).toFixed(1)} ms median (< 50 ms)`);
    }
  } finally {
    for (const c of children) c.kill();
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [...rows, ...targets];
}

console.log(`proxy bench: ${cpus().length} cores (load average ${loadavg()[0]!.toFixed(1)}), ${RUNS} runs × ${SECONDS} s, clients ${CLIENTS.join(',')}, node ${process.version}`);
for (const mode of MODES) {
  for (const row of await benchMode(mode)) console.log(row);
}

// Cluster DNS, in the same run (test/bench/dns.ts; also runnable on its own).
if (!opts['skip-dns']) {
  const { benchDns } = await import('./dns.ts');
  const dns = await benchDns({ runs: RUNS, seconds: SECONDS, services: 300, inflight: 200 });
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  console.log(`DNS\t${k(dns.median)} queries/s (runs: ${dns.qps.map(k).join(' ')}; lost ${dns.lost}, wrong ${dns.wrong})\tbare UDP echo ceiling ${k(dns.echoMedian)}/s\ttarget ≥ 30.0k`);
}

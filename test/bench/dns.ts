// Cluster DNS benchmark: queries/s answered by the runtime's DNS server on the kube-dns VIP,
// against issue 12's target (≥ 30,000/s; CoreDNS does 33.7k on 2 vCPUs).
//
//   npx tsx test/bench/dns.ts [--runs 5] [--seconds 2] [--services 300] [--inflight 200] [--api-writers 0]
//
// A simulated runtime (root needed: port 53) with --services ClusterIP Services in one namespace;
// a UDP load client on its own thread (worker_threads, so it does not share the server's event
// loop) keeps --inflight A queries outstanding, cycling over the Services' names, for --seconds;
// a query unanswered after 500 ms counts as lost and is sent again. Printed: answers/s per run
// and the median, lost queries, and NXDOMAIN/other answers (must be 0); and, as the ceiling of
// this machine at that moment, the same client against a bare Node UDP echo server (no DNS work:
// it sends each datagram back), run alternately with the DNS runs. --api-writers N: during the
// DNS runs, N loops create ConfigMaps through the API in the same process (the DNS server shares
// the API server's event loop; this shows what a busy control plane costs it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';
import { clusterDnsIP } from '../../runtime/network.ts';
import { startRuntime, type Runtime } from '../../runtime/runtime.ts';

export interface DnsBenchOptions {
  runs: number;
  seconds: number;
  services: number;
  inflight: number;
  /** Concurrent API writers during the DNS runs (default 0). */
  apiWriters?: number;
}

export interface DnsBenchResult {
  /** Answers per second, per run. */
  qps: number[];
  median: number;
  lost: number;
  /** Answers that were not NOERROR with one A record. */
  wrong: number;
  /** Datagrams/s of a bare Node UDP echo server with the same client, per run, and their median. */
  echo: number[];
  echoMedian: number;
}

/** The ceiling: a UDP server doing nothing but send each datagram back, on the main thread as the DNS server is. */
async function startEcho(): Promise<{ port: number; close(): void }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  socket.setRecvBufferSize(4 << 20);
  socket.on('message', (m, r) => socket.send(m, r.port, r.address));
  return { port: socket.address().port, close: () => socket.close() };
}

/** `n` loops creating ConfigMaps until stopped. */
function startApiWriters(rt: Runtime, n: number, run: number): { stop(): Promise<void> } {
  let stopped = false;
  const loops = Array.from({ length: n }, async (_, w) => {
    for (let i = 0; !stopped; i++) {
      await rt.client.create('configmaps', 'bench', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${run}-${w}-${i}`, namespace: 'bench' }, data: { k: 'v'.repeat(200) } });
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** The load client: plain JS for the worker (no TypeScript loader there). */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const { address, port, queries, inflight, seconds } = workerData;
const socket = dgram.createSocket('udp4');
const sent = new Map();
let next = 0, answered = 0, wrong = 0, lost = 0, id = 0, done = false;
function send() {
  id = (id + 1) & 0xffff;
  while (sent.has(id)) id = (id + 1) & 0xffff;
  const q = Buffer.from(queries[next++ % queries.length]);
  q.writeUInt16BE(id, 0);
  sent.set(id, Date.now());
  socket.send(q, port, address);
}
socket.on('message', (msg) => {
  const qid = msg.readUInt16BE(0);
  if (!sent.delete(qid)) return;
  answered++;
  // NOERROR with one answer: flags' low 4 bits 0, ANCOUNT 1.
  if ((msg.readUInt16BE(2) & 15) !== 0 || msg.readUInt16BE(6) !== 1) wrong++;
  if (!done) send();
});
socket.bind(0, '127.0.0.1', () => {
  socket.setRecvBufferSize(4 << 20);
  const start = process.hrtime.bigint();
  for (let i = 0; i < inflight; i++) send();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [k, t] of sent) if (now - t > 500) { sent.delete(k); lost++; if (!done) send(); }
  }, 100);
  setTimeout(() => {
    done = true;
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    clearInterval(sweep);
    socket.close();
    parentPort.postMessage({ answered, wrong, lost, seconds: s });
  }, seconds * 1000);
});
`;

function runClient(address: string, port: number, queries: Buffer[], o: DnsBenchOptions): Promise<{ answered: number; wrong: number; lost: number; seconds: number }> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { address, port, queries, inflight: o.inflight, seconds: o.seconds } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export async function benchDns(o: DnsBenchOptions): Promise<DnsBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'kite-bench-dns-'));
  const rt = await startRuntime({ stateDir: dir, nodes: 1, nodeCpu: '2', nodeMemory: '4Gi', simulate: true });
  try {
    const address = clusterDnsIP(rt.network);
    if (!rt.dns().listening) throw new Error(`cluster DNS is off: ${rt.dns().problem}`);
    await rt.client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const names: string[] = [];
    for (let i = 0; i < o.services; i++) {
      const name = `svc-${i}`;
      await rt.client.create('services', 'bench', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'bench' }, spec: { ports: [{ port: 80, protocol: 'TCP' }] } });
      names.push(`${name}.bench.svc.cluster.local`);
    }
    const queries = names.map((name) => packet.encode({ type: 'query', id: 0, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', class: 'IN', name }] }));
    // The last Service answers: the zone has every one of them.
    for (let tries = 0; ; tries++) {
      const probe = await runClient(address, 53, [queries[queries.length - 1]!], { ...o, inflight: 1, seconds: 0.2 });
      if (probe.answered > 0 && probe.wrong === 0) break;
      if (tries >= 25) throw new Error('the DNS server does not answer the bench Services');
    }
    const qps: number[] = [];
    const echoQps: number[] = [];
    let lost = 0;
    let wrong = 0;
    const echo = await startEcho();
    try {
      for (let r = 0; r < o.runs; r++) {
        const writers = startApiWriters(rt, o.apiWriters ?? 0, r);
        const m = await runClient(address, 53, queries, o);
        await writers.stop();
        qps.push(m.answered / m.seconds);
        lost += m.lost;
        wrong += m.wrong;
        const e = await runClient('127.0.0.1', echo.port, queries, o);
        echoQps.push(e.answered / e.seconds);
      }
    } finally {
      echo.close();
    }
    return { qps, median: median(qps), lost, wrong, echo: echoQps, echoMedian: median(echoQps) };
  } finally {
    await rt.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '2' },
      services: { type: 'string', default: '300' },
      inflight: { type: 'string', default: '200' },
      'api-writers': { type: 'string', default: '0' },
    },
  });
  const o: DnsBenchOptions = { runs: Number(values.runs), seconds: Number(values.seconds), services: Number(values.services), inflight: Number(values.inflight), apiWriters: Number(values['api-writers']) };
  const r = await benchDns(o);
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  console.log(`cluster DNS, ${o.services} Services, ${o.inflight} queries in flight, ${o.runs} × ${o.seconds} s${o.apiWriters ? `, ${o.apiWriters} API writers meanwhile` : ''}`);
  console.log(`  runs: ${r.qps.map(k).join(' ')} queries/s`);
  console.log(`  median: ${k(r.median)} queries/s (target ≥ 30.0k; CoreDNS 33.7k on 2 vCPUs)`);
  console.log(`  lost: ${r.lost}, wrong answers: ${r.wrong}`);
  console.log(`  bare Node UDP echo, same client: ${r.echo.map(k).join(' ')} datagrams/s, median ${k(r.echoMedian)} (DNS = ${((r.median / r.echoMedian) * 100).toFixed(0)}% of it)`);
}

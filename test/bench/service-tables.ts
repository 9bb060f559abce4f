// What a change to one Service's endpoints costs the networking components of the runtime: the
// cluster DNS zone (runtime/dns) and the service proxy's table (runtime/proxy), rebuilt after a
// few EndpointSlices changed among many Services, as during an apply or a rollout.
//
//   npx tsx test/bench/service-tables.ts [--services 2500] [--changed 5] [--runs 7] [--baseline DIR]
//
// Rows: ms of CPU (process.cpuUsage) per rebuild, median of --runs rounds of 100 rebuilds. This
// tree keeps both per informer event (ZoneSource, ServiceTableSource), fed the changed slices;
// --baseline DIR (a checkout with node_modules) loads that tree's ClusterZone and
// buildServiceTable into this process and rebuilds them from the whole lists, as its runtime did
// (the zone from the previous zone), alternating rounds with this tree's.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EndpointSlice, Namespace, Service } from '../../lib/api/model.ts';
import { ClusterZone } from '../../runtime/dns/records.ts';
import { ZoneSource } from '../../runtime/dns/zone-source.ts';
import type { ServicePortEntry, ServiceTableOptions } from '../../runtime/proxy/service-table.ts';
import { ServiceTableSource } from '../../runtime/proxy/table-source.ts';

const { values: opts } = parseArgs({
  options: {
    services: { type: 'string', default: '2500' },
    changed: { type: 'string', default: '5' },
    runs: { type: 'string', default: '7' },
    baseline: { type: 'string' },
  },
});
const N = Number(opts.services);
const CHANGED = Number(opts.changed);
const RUNS = Number(opts.runs);
const REBUILDS = 100;
if (!(N > 0 && CHANGED > 0 && RUNS > 0)) throw new Error('usage: --services N --changed K --runs R [--baseline DIR]');

interface BaselineTree {
  ClusterZone: new (input: { zone: string; serial: number; services: Service[]; slices: EndpointSlice[]; namespaces: Namespace[]; previous?: unknown }) => unknown;
  buildServiceTable: (services: Service[], slices: EndpointSlice[], o: ServiceTableOptions) => ServicePortEntry[];
}
async function loadBaseline(dir: string): Promise<BaselineTree> {
  const file = (p: string) => pathToFileURL(resolve(dir, p)).href;
  if (!existsSync(resolve(dir, 'runtime/dns/records.ts'))) throw new Error(`--baseline ${dir}: no runtime/dns/records.ts there`);
  const { ClusterZone: Zone } = (await import(file('runtime/dns/records.ts'))) as Pick<BaselineTree, 'ClusterZone'>;
  const { buildServiceTable } = (await import(file('runtime/proxy/service-table.ts'))) as Pick<BaselineTree, 'buildServiceTable'>;
  return { ClusterZone: Zone, buildServiceTable };
}

const o: ServiceTableOptions = { nodePortAddress: '127.0.0.1' };
const ip = (prefix: string, i: number) => `${prefix}.${i >> 8}.${i & 255}`;
const services: Service[] = [];
const slices: EndpointSlice[] = [];
for (let i = 0; i < N; i++) {
  const name = `app-${i}`;
  services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'bench', uid: `uid-${i}`, resourceVersion: String(i + 1) }, spec: { clusterIP: ip('10.96', i), clusterIPs: [ip('10.96', i)], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
  slices.push({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${name}-x`, namespace: 'bench', resourceVersion: String(N + i + 1), labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: [ip('10.244', i)], conditions: { ready: true } }],
  });
}
const namespaces: Namespace[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }];

let rv = 2 * N + 1;
/** CHANGED slices get a new resourceVersion (and their endpoint flips readiness); each is told to `feed`. */
function change(feed: (s: EndpointSlice, old: EndpointSlice) => void): void {
  for (let j = 0; j < CHANGED; j++) {
    const i = Math.floor(Math.random() * N);
    const old = slices[i]!;
    const ready = !old.endpoints[0]!.conditions!.ready;
    slices[i] = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv++) }, endpoints: [{ ...old.endpoints[0]!, conditions: { ready } }] };
    feed(slices[i]!, old);
  }
}
const cpuMsPer = (rebuild: () => void) => {
  const t = process.cpuUsage();
  for (let r = 0; r < REBUILDS; r++) rebuild();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000 / REBUILDS;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

const zones = new ZoneSource();
const tables = new ServiceTableSource(o);
for (const s of services) (zones.serviceAdded(s), tables.serviceChanged(s));
for (const s of slices) (zones.sliceAdded(s), tables.sliceChanged(s));
zones.snapshot();
tables.table();
const base = opts.baseline ? await loadBaseline(opts.baseline) : undefined;
let previous = base ? new base.ClusterZone({ zone: 'cluster.local', serial: 1, services, slices, namespaces }) : undefined;

const rows = { zone: [] as number[], table: [] as number[], baseZone: [] as number[], baseTable: [] as number[] };
for (let round = 0; round < RUNS; round++) {
  rows.zone.push(cpuMsPer(() => (change((s, old) => zones.sliceUpdated(s, old)), new ClusterZone({ zone: 'cluster.local', serial: 1, records: zones.snapshot(), namespaces }))));
  rows.table.push(cpuMsPer(() => (change((s, old) => tables.sliceChanged(s, old)), tables.table())));
  if (base) {
    rows.baseZone.push(cpuMsPer(() => (change(() => {}), (previous = new base.ClusterZone({ previous, zone: 'cluster.local', serial: 1, services: [...services], slices: [...slices], namespaces })))));
    rows.baseTable.push(cpuMsPer(() => (change(() => {}), base.buildServiceTable([...services], [...slices], o))));
  }
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
console.log(`service tables bench: ${N} Services, ${CHANGED} EndpointSlices changed per rebuild; load average ${loadavg()[0]!.toFixed(2)}`);
console.log(base ? '| rebuild | this tree (CPU) | baseline | ratio |\n|---|---|---|---|' : '| rebuild | CPU |\n|---|---|');
for (const [what, mine, theirs] of [
  ['cluster DNS zone', rows.zone, rows.baseZone],
  ['service proxy table', rows.table, rows.baseTable],
] as const) {
  console.log(base ? `| ${what} | ${ms(median(mine))} | ${ms(median(theirs))} | ${(median(mine) / median(theirs)).toFixed(3)}× |` : `| ${what} | ${ms(median(mine))} |`);
}
console.log(`(median of ${RUNS} rounds of ${REBUILDS} rebuilds)`);

/**
 * The loopback address plan of one runtime: where Services, LoadBalancers, node ports and pods
 * live in 127.0.0.0/8. Linux routes all of 127/8 to `lo`, so every address here can be bound
 * without configuration. Two runtimes on one host (two projects, or the test suite's parallel
 * runtimes) must not share addresses, so each state dir claims a numbered slot the first time
 * it starts and keeps it (its Services' cluster IPs are stored and must stay valid):
 *
 * | slot | Services        | LoadBalancers    | node ports on  | pods (node i)             |
 * |------|-----------------|------------------|----------------|---------------------------|
 * | 0    | 127.96.0.0/12   | 127.240.0.0/16   | 127.0.0.1      | 127.(200+i/256).(i%256).0/24 |
 * | k≥1  | a /22 in 127.112–127.115 | a /22 in 127.128–127.131 | 127.144.k.1 | a /24 in 127.160–127.191, ≤ 32 nodes |
 *
 * A slot is held by a listener on its node-port address at port 10256 (kube-proxy's healthz
 * port, and it answers /healthz as kube-proxy does): the kernel frees it when the process dies,
 * so a crashed runtime never keeps its slot.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { formatIPv4, parseIPv4 } from '../lib/api/ipv4.ts';
import { defaultPodCIDR } from './kubelet/ipam.ts';
import { KiteError } from '../lib/errors.ts';

export interface RuntimeNetwork {
  slot: number;
  /** Cluster IPs (kube-apiserver --service-cluster-ip-range). */
  serviceCIDR: string;
  /** Addresses handed to LoadBalancer Services (as cloud-provider-kind or MetalLB would). */
  loadBalancerCIDR: string;
  /** NodePort Services listen here (kube-proxy --nodeport-addresses). */
  nodePortAddress: string;
  /** The pod CIDR of the i-th node (1-based). */
  podCIDR(index: number): string;
  /** How many nodes the slot has pod CIDRs for (none: no limit). */
  maxNodes?: number;
}

export const MAX_SLOT = 255;
const NODES_PER_SLOT = 32;
/** kube-proxy's healthz port: the listener that holds a slot. */
export const PROXY_HEALTHZ_PORT = 10256;

/**
 * More nodes than the slot has pod CIDRs for: the host already runs another kite control plane
 * (it holds slot 0, which has no limit), so this one got a later slot.
 */
export class NetworkSlotFullError extends KiteError {
  constructor(slot: number, room: number, nodes: number) {
    super(
      `--nodes ${nodes}: this control plane is in network slot ${slot} (another kite control plane on this host holds an earlier one), which has room for ${room} nodes; use --nodes ${room} or fewer, or stop the other one (kite down in its directory) to get slot 0, which has no limit`,
      { code: 'network-slot-full' },
    );
  }
}

export function networkOfSlot(slot: number): RuntimeNetwork {
  if (!Number.isInteger(slot) || slot < 0 || slot > MAX_SLOT) throw new Error(`no network slot ${slot} (0–${MAX_SLOT})`);
  if (slot === 0) return { slot, serviceCIDR: '127.96.0.0/12', loadBalancerCIDR: '127.240.0.0/16', nodePortAddress: '127.0.0.1', podCIDR: defaultPodCIDR };
  const quarter = (k: number) => `${k >> 6}.${(k & 63) << 2}`;
  const [hi, lo] = quarter(slot).split('.').map(Number) as [number, number];
  return {
    slot,
    serviceCIDR: `127.${112 + hi}.${lo}.0/22`,
    loadBalancerCIDR: `127.${128 + hi}.${lo}.0/22`,
    nodePortAddress: `127.${144 + (slot >> 8)}.${slot & 255}.1`,
    maxNodes: NODES_PER_SLOT,
    podCIDR: (index: number) => {
      if (!Number.isInteger(index) || index < 1 || index > NODES_PER_SLOT) {
        throw new Error(`a runtime in network slot ${slot} has room for ${NODES_PER_SLOT} nodes, not node ${index} (slot 0, the first runtime on a host, has no such limit)`);
      }
      const n = slot * NODES_PER_SLOT + index - 1;
      return `127.${160 + (n >> 8)}.${n & 255}.0/24`;
    },
  };
}

/** The n-th address of a CIDR (n = 1 is the first host): kube-apiserver gives `kubernetes` the 1st, kubeadm gives `kube-dns` the 10th. */
export function nthAddress(cidr: string, n: number): string {
  const [base, bits] = cidr.split('/');
  const b = parseIPv4(base ?? '');
  if (b === undefined) throw new Error(`invalid CIDR ${cidr}`);
  const size = 2 ** (32 - Number(bits));
  return formatIPv4(b - (b % size) + n);
}

/** The `kubernetes` Service's cluster IP. */
export function apiServiceIP(network: RuntimeNetwork): string {
  return nthAddress(network.serviceCIDR, 1);
}

/** The `kube-system/kube-dns` Service's cluster IP (the kubelet's clusterDNS). */
export function clusterDnsIP(network: RuntimeNetwork): string {
  return nthAddress(network.serviceCIDR, 10);
}

export interface ClaimedNetwork {
  network: RuntimeNetwork;
  /** Frees the slot. */
  release(): Promise<void>;
}

const FILE = 'network.json';

/**
 * The state dir's slot, claimed: the one recorded in `<stateDir>/network.json`, else (a new
 * state dir, or one from before slots) slot 0 if free, else the lowest free one, recorded.
 * A recorded slot held by another runtime is an error: its cluster IPs cannot move.
 */
export async function claimNetwork(stateDir: string): Promise<ClaimedNetwork> {
  const file = join(stateDir, FILE);
  const recorded = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { slot?: unknown }).slot : undefined;
  if (typeof recorded === 'number') {
    const network = networkOfSlot(recorded);
    const server = await hold(network);
    if (!server) {
      throw new Error(
        `another kite runtime holds this state dir's addresses (network slot ${recorded}: Services in ${network.serviceCIDR}, node ports on ${network.nodePortAddress}:${PROXY_HEALTHZ_PORT}); stop it first`,
      );
    }
    return claimed(network, server);
  }
  for (let slot = 0; slot <= MAX_SLOT; slot++) {
    const network = networkOfSlot(slot);
    const server = await hold(network);
    if (!server) continue;
    writeFileSync(file, JSON.stringify({ slot }) + '\n', { mode: 0o600 });
    return claimed(network, server);
  }
  throw new Error(`every network slot (0–${MAX_SLOT}) is held by another kite runtime on this host`);
}

function claimed(network: RuntimeNetwork, server: Server): ClaimedNetwork {
  return {
    network,
    release: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Listens on the slot's healthz address; undefined when it is taken. */
function hold(network: RuntimeNetwork): Promise<Server | undefined> {
  const server = createServer((req, res) => {
    // kube-proxy's /healthz answers 200 while it is healthy, with the times it last synced.
    const now = new Date().toISOString();
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(req.url === '/healthz' ? JSON.stringify({ lastUpdated: now, currentTime: now }) : '');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(undefined) : reject(e)));
    server.listen(PROXY_HEALTHZ_PORT, network.nodePortAddress, () => resolve(server));
  });
}

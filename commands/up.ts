import { spawn, type ChildProcess } from 'node:child_process';
import { formatHostFeatures } from './host-features.ts';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseQuantity } from '../lib/api/quantity.ts';
import { describeFixedModes, PRIVATE_FILE_MODE, securePrivateDir } from '../runtime/state-dir-modes.ts';
import { StoreLockedError } from '../runtime/store/types.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';
import { describeClusterDns } from '../runtime/dns/describe.ts';
import { SNAPSHOT_STARTED, usableRuntimeSnapshot } from './runtime-snapshot.ts';
import { liveRuntime, removeRecord, shownPath as shown, writeRecord, type RuntimeRecord } from './state-dir.ts';

export interface UpOptions {
  stateDir: string;
  detach: boolean;
  simulate: boolean;
  /** `--images FILE`: the image catalog (default: kite.images.yaml from the working directory upwards). */
  images?: string;
  nodes: number;
  nodeCpu?: string;
  nodeMemory?: string;
  port?: number;
  /** How long a node may miss heartbeats before it is NotReady; its pods are evicted after `podEvictionTimeoutMs`. */
  nodeGracePeriodMs?: number;
  podEvictionTimeoutMs?: number;
  /** `--event-ttl`: Events are deleted this long after their last update (default 1h). */
  eventTtlMs?: number;
  /** `--cluster-domain`: the cluster DNS zone (default cluster.local). */
  clusterDomain?: string;
  /** `--proxy-mode`: how Service traffic is forwarded (default userspace). */
  proxyMode?: 'userspace' | 'nftables';
  /** Set in the background child of `--detach`. */
  daemon?: boolean;
}

/** Per-node capacity: by default the nodes share the host's CPUs and memory. */
export function nodeCapacity(o: UpOptions): { cpu: string; memory: string } {
  const parse = (flag: string, v: string) => {
    try {
      return parseQuantity(v).toString();
    } catch (e) {
      throw new UserError(`${flag}: ${(e as Error).message} (got "${v}")`);
    }
  };
  const cpu = o.nodeCpu ? parse('--node-cpu', o.nodeCpu) : `${Math.max(1, Math.floor((cpus().length * 1000) / o.nodes))}m`;
  const memory = o.nodeMemory ? parse('--node-memory', o.nodeMemory) : `${Math.floor(totalmem() / o.nodes / 1024 / 1024)}Mi`;
  return { cpu, memory };
}

/** `kite up`: start the local control plane (foreground, or `--detach` to the background). */
export async function upCommand(o: UpOptions, io: Io): Promise<number> {
  if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > 1000) throw new UserError(`--nodes: expected 1..1000, got ${o.nodes}`);
  const capacity = nodeCapacity(o);
  if (o.clusterDomain !== undefined && !isDnsDomain(o.clusterDomain)) {
    throw new UserError(`--cluster-domain: "${o.clusterDomain}" is not a DNS domain (lower-case RFC 1123 labels separated by dots, e.g. cluster.local)`);
  }
  if (o.images && !existsSync(o.images)) throw new UserError(`--images: ${shown(o.images)}: no such file`, { code: 'not-found', path: o.images });
  const running = await liveRuntime(o.stateDir, (t) => io.err(t));
  if (running) throw alreadyRunning(o.stateDir, running);
  const fixed = securePrivateDir(o.stateDir);
  if (fixed.length > 0) io.err(`note: ${describeFixedModes(fixed, shown)}\n`);
  if (o.detach) return detach(o, io);
  // SQLite opens the store in its worker while this thread loads the runtime's modules.
  const { startStoreOpen } = await import('../runtime/store/sqlite-store.ts');
  startStoreOpen(o.stateDir);
  const [{ chooseKubeletBackend }, { startRuntime }] = await Promise.all([import('../runtime/kubelet/backends/index.ts'), import('../runtime/runtime.ts')]);
  const kubelet = chooseKubeletBackend({ simulate: o.simulate });
  if (kubelet.note) io.err(`note: ${kubelet.note}\n`);

  const runtime = await startRuntime({
    stateDir: o.stateDir,
    nodes: o.nodes,
    nodeCpu: capacity.cpu,
    nodeMemory: capacity.memory,
    simulate: o.simulate,
    kubelet: kubelet.backend,
    ...(o.images ? { images: o.images } : {}),
    ...(o.port ? { port: o.port } : {}),
    ...(o.nodeGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: o.nodeGracePeriodMs } : {}),
    ...(o.podEvictionTimeoutMs !== undefined ? { podEvictionTimeoutMs: o.podEvictionTimeoutMs } : {}),
    ...(o.eventTtlMs !== undefined ? { eventTtlMs: o.eventTtlMs } : {}),
    ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}),
    ...(o.proxyMode ? { proxyMode: o.proxyMode } : {}),
  }).catch(async (e: unknown) => {
    // Another `kite up` won the race to this dir between the check above and the store's lock.
    if (e instanceof StoreLockedError) throw alreadyRunning(o.stateDir, await liveRuntime(o.stateDir));
    throw e;
  });
  await writeRecord(o.stateDir, {
    pid: process.pid,
    url: runtime.url,
    port: runtime.port,
    kubeconfig: runtime.kubeconfig,
    startedAt: new Date().toISOString(),
    nodes: o.nodes,
    simulate: o.simulate,
    ...(runtime.kubelet.catalogFile ? { images: runtime.kubelet.catalogFile } : {}),
    clusterDns: describeClusterDns(runtime.dns()),
    proxy: { mode: runtime.proxy.mode, reason: runtime.proxy.modeReason },
  });
  // Handlers first: a signal that arrives right after the ready line must still stop cleanly.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const seconds = (performance.now() / 1000).toFixed(1);
  const nodes = `${o.nodes} ${o.simulate ? 'simulated ' : ''}node${o.nodes === 1 ? '' : 's'} (${capacity.cpu} cpu, ${capacity.memory} each)`;
  // What this machine gives pods (mount namespaces, cgroups, loopback addresses): in the ready line's block, so `--detach` prints it too.
  const catalog = runtime.kubelet.catalogFile ? shown(runtime.kubelet.catalogFile) : 'none found, built-in base images only';
  const features = runtime.kubelet.features ? `Pods run as local processes; image catalog: ${catalog}\n${formatHostFeatures(runtime.kubelet.features.report)}` : '';
  const proxy = `Service proxy: ${runtime.proxy.mode} (${runtime.proxy.modeReason})\n`;
  const line = `kite control plane ready in ${seconds}s — API on ${runtime.url} (kubeconfig: ${shown(runtime.kubeconfig)}), ${nodes}\nCluster DNS: ${describeClusterDns(runtime.dns())}\n${proxy}${features}`;
  io.err(line);
  process.send?.({ ready: true, line });
  await stopped;
  await runtime.close();
  await removeRecord(o.stateDir, process.pid);
  if (!o.daemon) io.err('kite control plane stopped\n');
  return EXIT_OK;
}

/**
 * Re-runs `kite up` as a detached child logging to DIR/runtime.log; returns once it is ready. The
 * child starts from the runtime's startup snapshot when the build made one for this node
 * (./runtime-snapshot.ts), else, or when that blob fails to load, as `kite up`.
 */
async function detach(o: UpOptions, io: Io): Promise<number> {
  const logFile = join(o.stateDir, 'runtime.log');
  const log = await open(logFile, 'a', PRIVATE_FILE_MODE);
  await log.chmod(PRIVATE_FILE_MODE);
  const logStart = (await log.stat()).size;
  const blob = usableRuntimeSnapshot();
  let started = blob ? await startDaemon(['--snapshot-blob', blob, JSON.stringify({ ...o, detach: false, daemon: true } satisfies UpOptions)], log.fd) : undefined;
  if (!started || (started.outcome.line === undefined && !started.fromSnapshot)) started = await startDaemon(plainDaemonArgs(o), log.fd);
  const { child, outcome } = started;
  await log.close();
  if (outcome.line === undefined) {
    const running = await liveRuntime(o.stateDir);
    if (running) throw alreadyRunning(o.stateDir, running);
    // What the runtime said as it failed (its error), so the user need not open the log.
    const said = await readFile(logFile).then((b) => b.subarray(logStart).toString('utf8').trim().split('\n').slice(-20).join('\n'), () => '');
    if (said) io.err(`${said}\n`);
    io.err(`kite up failed (exit ${outcome.code}); see ${shown(logFile)}\n`);
    return EXIT_USER_ERROR;
  }
  child.disconnect();
  child.unref();
  io.err(outcome.line.replace(/ready in [\d.]+s/, `ready in ${(performance.now() / 1000).toFixed(1)}s`));
  return EXIT_OK;
}

/** The detached runtime as a plain `kite up` (this script, the same flags, without --detach). */
function plainDaemonArgs(o: UpOptions): string[] {
  const args = [process.argv[1]!, 'up', '--state-dir', o.stateDir, '--nodes', String(o.nodes)];
  if (o.simulate) args.push('--simulate');
  if (o.images) args.push('--images', o.images);
  if (o.nodeCpu) args.push('--node-cpu', o.nodeCpu);
  if (o.nodeMemory) args.push('--node-memory', o.nodeMemory);
  if (o.port) args.push('--port', String(o.port));
  if (o.nodeGracePeriodMs !== undefined) args.push('--node-grace-period', `${o.nodeGracePeriodMs}ms`);
  if (o.podEvictionTimeoutMs !== undefined) args.push('--pod-eviction-timeout', `${o.podEvictionTimeoutMs}ms`);
  if (o.eventTtlMs !== undefined) args.push('--event-ttl', `${o.eventTtlMs}ms`);
  if (o.clusterDomain) args.push('--cluster-domain', o.clusterDomain);
  if (o.proxyMode) args.push('--proxy-mode', o.proxyMode);
  return args;
}

interface StartedDaemon {
  child: ChildProcess;
  /** Its ready line, or how it exited before it was ready. */
  outcome: { line?: string; code?: number | null };
  /** It said it was deserialized from the snapshot: a failure after that is the runtime's own. */
  fromSnapshot: boolean;
}

/** Spawns node with `args`, detached, logging to `logFd`; resolves when it is ready or has exited. */
async function startDaemon(args: string[], logFd: number): Promise<StartedDaemon> {
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, KITE_DAEMON: '1' },
  });
  let fromSnapshot = false;
  const outcome = await new Promise<StartedDaemon['outcome']>((resolve) => {
    child.on('message', (m: { line?: string; started?: string }) => {
      if (m.started === SNAPSHOT_STARTED) fromSnapshot = true;
      else resolve({ line: m.line ?? '' });
    });
    child.once('exit', (code) => resolve({ code }));
  });
  child.removeAllListeners('message');
  return { child, outcome, fromSnapshot };
}

/** validation.IsDNS1123Subdomain, as the kubelet checks --cluster-domain. */
function isDnsDomain(s: string): boolean {
  return s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

/** A second runtime on one state dir is refused (the store's lock would refuse it anyway), plainly. */
function alreadyRunning(stateDir: string, running: RuntimeRecord | undefined): UserError {
  const where = running ? `pid ${running.pid}, ${running.url}` : 'its database is locked by another process';
  return new UserError(`a kite control plane is already running on ${shown(stateDir)} (${where}); kite down stops it`, { code: 'already-running', path: stateDir });
}

/**
 * A container's cgroups, v1 (one directory per controller hierarchy) or v2 (one unified
 * directory): created under a kite parent named after the runtime's state root, so runtimes
 * sharing a machine never touch each other's, and removed when the container is released or,
 * after a crash, by removeStaleCgroups.
 *
 * Values follow the kubelet (k/k pkg/kubelet/cm/helpers_linux.go MilliCPUToQuota: period
 * 100 ms, quota = milliCPU × period / 1000, at least 1 ms).
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_FS, type CgroupController, type HostFeatures } from './host-features.ts';

const CPU_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;

export interface CgroupLimits {
  memoryBytes?: bigint;
  milliCPU?: bigint;
}

export interface ContainerCgroup {
  /** The `cgroup.procs` files the process joins (one per v1 hierarchy, one in v2). */
  procs: string[];
  /** How many OOM kills the cgroup has seen so far. */
  oomKills(): number;
  remove(): Promise<void>;
}

/** The kite parent of one runtime: `kite/<hash of its state root>` below each hierarchy. */
export function runtimeCgroupName(root: string): string {
  return join('kite', createHash('sha256').update(root).digest('hex').slice(0, 12));
}

function hierarchies(version: 'v1' | 'v2', controllers: CgroupController[]): { controller: CgroupController | 'unified'; base: string }[] {
  if (version === 'v2') return [{ controller: 'unified', base: CGROUP_FS }];
  return controllers.map((c) => ({ controller: c, base: join(CGROUP_FS, c) }));
}

async function write(file: string, value: string): Promise<void> {
  await fs.writeFile(file, value);
}

/** v2 only hands a controller to children whose parent enabled it in cgroup.subtree_control. */
async function enableV2Controllers(base: string, relDirs: string[], controllers: CgroupController[]): Promise<void> {
  const line = controllers.map((c) => `+${c}`).join(' ');
  let dir = base;
  await write(join(dir, 'cgroup.subtree_control'), line).catch(() => undefined);
  for (const rel of relDirs) {
    dir = join(dir, rel);
    await fs.mkdir(dir, { recursive: true });
    await write(join(dir, 'cgroup.subtree_control'), line).catch(() => undefined);
  }
}

/** Reads `key value` lines (memory.oom_control, memory.events). */
export function readKeyed(file: string): Map<string, number> {
  const out = new Map<string, number>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

function oomCounter(version: 'v1' | 'v2', memoryDir: string | undefined): () => number {
  if (!memoryDir) return () => 0;
  if (version === 'v2') return () => readKeyed(join(memoryDir, 'memory.events')).get('oom_kill') ?? 0;
  // Kernels before 4.13 have no oom_kill line: the failure count (limit hits) stands in.
  return () => {
    const control = readKeyed(join(memoryDir, 'memory.oom_control'));
    if (control.has('oom_kill')) return control.get('oom_kill')!;
    try {
      return Number(readFileSync(join(memoryDir, 'memory.failcnt'), 'utf8').trim());
    } catch {
      return 0;
    }
  };
}

export function cpuQuota(milliCPU: bigint): number {
  return Math.max(MIN_QUOTA_US, Number((milliCPU * BigInt(CPU_PERIOD_US)) / 1000n));
}

/** Creates the container's cgroup(s) and sets the limits the host can enforce. */
export async function createContainerCgroup(
  features: HostFeatures,
  root: string,
  podUid: string,
  container: string,
  limits: CgroupLimits,
): Promise<ContainerCgroup | undefined> {
  if (features.cgroups === 'none') return undefined;
  const version = features.cgroups;
  const available = features.cgroupControllers ?? ['memory', 'cpu'];
  const wanted = available.filter((c) => (c === 'memory' ? limits.memoryBytes !== undefined : limits.milliCPU !== undefined));
  if (wanted.length === 0) return undefined;
  const rel = [runtimeCgroupName(root), podUid, container];
  const dirs: string[] = [];
  let memoryDir: string | undefined;
  for (const { controller, base } of hierarchies(version, wanted)) {
    const dir = join(base, ...rel);
    if (version === 'v2') await enableV2Controllers(base, rel.slice(0, -1), wanted);
    await fs.mkdir(dir, { recursive: true });
    dirs.push(dir);
    const mem = controller === 'memory' || (controller === 'unified' && wanted.includes('memory'));
    const cpu = controller === 'cpu' || (controller === 'unified' && wanted.includes('cpu'));
    if (mem && limits.memoryBytes !== undefined) {
      memoryDir = dir;
      if (version === 'v2') {
        await write(join(dir, 'memory.max'), String(limits.memoryBytes));
        // The whole container goes, as the kubelet asks of v2 since 1.28 (singleProcessOOMKill false).
        await write(join(dir, 'memory.oom.group'), '1').catch(() => undefined);
      } else {
        await write(join(dir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        // With swap on, the limit would push pages out instead of killing: hold memory+swap too.
        await write(join(dir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)).catch(() => undefined);
      }
    }
    if (cpu && limits.milliCPU !== undefined) {
      const quota = cpuQuota(limits.milliCPU);
      if (version === 'v2') await write(join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
      else {
        await write(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
        await write(join(dir, 'cpu.cfs_quota_us'), String(quota));
      }
    }
  }
  return {
    procs: dirs.map((d) => join(d, 'cgroup.procs')),
    oomKills: oomCounter(version, memoryDir),
    remove: () => removeCgroupTree(dirs),
  };
}

/** rmdir, deepest first; a cgroup that still has processes stays (EBUSY) and is reported. */
async function removeDir(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const busy: string[] = [];
  for (const e of entries) if (e.isDirectory()) busy.push(...(await removeDir(join(dir, e.name))));
  try {
    await fs.rmdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') busy.push(dir);
  }
  return busy;
}

async function removeCgroupTree(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    await removeDir(dir);
    // The pod's directory goes with its last container.
    await fs.rmdir(join(dir, '..')).catch(() => undefined);
  }
}

/**
 * Removes the cgroups a killed runtime with this state root left behind. Cgroups that still hold
 * processes (adopted after a restart) cannot be removed and are returned.
 */
export async function removeStaleCgroups(root: string): Promise<string[]> {
  const name = runtimeCgroupName(root);
  const bases = [join(CGROUP_FS, 'memory'), join(CGROUP_FS, 'cpu'), CGROUP_FS];
  const busy: string[] = [];
  for (const base of bases) {
    const dir = join(base, name);
    if (existsSync(dir)) busy.push(...(await removeDir(dir)));
  }
  return busy;
}

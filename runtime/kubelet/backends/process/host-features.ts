/**
 * What this machine lets the process kubelet use, detected once at start and reported by
 * `kite up` and `kite status`: a private mount namespace (bubblewrap, else `unshare`), cgroups
 * (v1 or v2) for memory and CPU limits, and whether all of 127.0.0.0/8 reaches loopback.
 * Each has a fallback. (Issue 11 §3, §9 — contract.)
 *
 * Every probe is tried for real (a namespace is entered, a socket bound) rather than guessed
 * from the OS name, and all run in parallel: detection runs at every `kite up`.
 */
import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import { createServer } from 'node:net';

export type CgroupController = 'memory' | 'cpu';

export interface HostFeatures {
  mountNamespace: 'bwrap' | 'unshare' | 'none';
  cgroups: 'v1' | 'v2' | 'none';
  /** Whether addresses other than 127.0.0.1 in 127.0.0.0/8 can be bound (false on macOS without aliases). */
  loopbackRange: boolean;
  /** One line per feature for `kite up` / `kite status` (`mount namespaces: unshare`, `cgroups: v1 (memory, cpu)`, ...). */
  report: string[];
  /** Which limits the cgroups can enforce (absent: both, when `cgroups` is not `none`). */
  cgroupControllers?: CgroupController[];
}

/** Where each cgroup version keeps its controllers (v1: one hierarchy per controller). */
export const CGROUP_FS = '/sys/fs/cgroup';

/** Runs `file args` and says whether it exited 0, within `timeoutMs`. */
function succeeds(file: string, args: string[], timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, args, { stdio: 'ignore', timeout: timeoutMs });
    } catch {
      resolve(false);
      return;
    }
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

async function writable(path: string): Promise<boolean> {
  try {
    await fs.access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

/** bwrap only where it can really make a namespace (user namespaces may be disabled); else unshare. */
async function detectMountNamespace(): Promise<HostFeatures['mountNamespace']> {
  if (process.platform !== 'linux') return 'none';
  const [bwrap, unshare] = await Promise.all([
    succeeds('bwrap', ['--dev-bind', '/', '/', 'true']),
    succeeds('unshare', ['--mount', '--propagation', 'private', 'true']),
  ]);
  return bwrap ? 'bwrap' : unshare ? 'unshare' : 'none';
}

async function detectCgroups(): Promise<{ cgroups: HostFeatures['cgroups']; controllers: CgroupController[] }> {
  if (process.platform !== 'linux') return { cgroups: 'none', controllers: [] };
  const v2Controllers = await fs.readFile(`${CGROUP_FS}/cgroup.controllers`, 'utf8').catch(() => undefined);
  if (v2Controllers !== undefined) {
    const names = v2Controllers.trim().split(/\s+/);
    const controllers = (['memory', 'cpu'] as const).filter((c) => names.includes(c));
    const ok = controllers.length > 0 && (await writable(CGROUP_FS));
    return ok ? { cgroups: 'v2', controllers } : { cgroups: 'none', controllers: [] };
  }
  const [memory, cpu] = await Promise.all([
    Promise.all([exists(`${CGROUP_FS}/memory/memory.limit_in_bytes`), writable(`${CGROUP_FS}/memory`)]),
    Promise.all([exists(`${CGROUP_FS}/cpu/cpu.cfs_quota_us`), writable(`${CGROUP_FS}/cpu`)]),
  ]);
  const controllers: CgroupController[] = [];
  if (memory.every(Boolean)) controllers.push('memory');
  if (cpu.every(Boolean)) controllers.push('cpu');
  return controllers.length > 0 ? { cgroups: 'v1', controllers } : { cgroups: 'none', controllers: [] };
}

/** 127.0.0.2 stands for the range: Linux routes all of 127/8 to lo, macOS only 127.0.0.1. */
function detectLoopbackRange(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.2', port: 0, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function hostFeaturesReport(f: Omit<HostFeatures, 'report'>): string[] {
  const controllers = f.cgroupControllers ?? ['memory', 'cpu'];
  const ns =
    f.mountNamespace === 'none'
      ? 'mount namespaces: none (volumes are not at their mountPath: each mount\'s directory is in $KITE_MOUNT_<VOLUME>)'
      : `mount namespaces: ${f.mountNamespace} (volumes at their mountPath; per-pod /etc/hosts and /etc/resolv.conf)`;
  const cg =
    f.cgroups === 'none'
      ? 'cgroups: none (memory limits by resident-memory sampling; CPU limits not enforced)'
      : `cgroups: ${f.cgroups} (${controllers.join(', ')})` +
        (controllers.includes('cpu') ? '' : '; CPU limits not enforced') +
        (controllers.includes('memory') ? '' : '; memory limits by resident-memory sampling');
  const lo = f.loopbackRange
    ? 'loopback range: 127.0.0.0/8 (one address per pod)'
    : 'loopback range: only 127.0.0.1 — pod IPs need aliases, e.g. `sudo ifconfig lo0 alias 127.200.1.2 up` per address';
  return [ns, cg, lo];
}

async function detect(): Promise<HostFeatures> {
  const [mountNamespace, cgroups, loopbackRange] = await Promise.all([detectMountNamespace(), detectCgroups(), detectLoopbackRange()]);
  const f = { mountNamespace, cgroups: cgroups.cgroups, cgroupControllers: cgroups.controllers, loopbackRange };
  return { ...f, report: hostFeaturesReport(f) };
}

let detected: Promise<HostFeatures> | undefined;

/** Detected once per process: the machine does not change under a running runtime. */
export function detectHostFeatures(): Promise<HostFeatures> {
  detected ??= detect();
  return detected;
}

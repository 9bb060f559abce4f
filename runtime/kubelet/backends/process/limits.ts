/**
 * A container's resource limits. Memory: a cgroup's limit where the host has cgroups (an OOM
 * kill is read from the cgroup), otherwise the resident memory of the container's process group
 * sampled periodically, killed with SIGKILL past the limit — either way the container ends
 * `OOMKilled`, exit code 137. CPU: a cgroup quota where available, otherwise reported once as
 * not enforced. (Issue 11 §9 — contract.)
 */
import type { Container, Pod } from '../../../../lib/api/model.ts';
import { parseQuantity } from '../../../../lib/api/quantity.ts';
import { createContainerCgroup, type CgroupLimits, type ContainerCgroup } from './cgroups.ts';
import type { HostFeatures } from './host-features.ts';
import { watchGroupRss } from './rss-sampler.ts';

export { removeStaleCgroups } from './cgroups.ts';

export interface ContainerLimitWatch {
  /** The cgroup the process must join before exec (its `cgroup.procs` paths), if any. */
  readonly cgroupProcs: string[];
  /** Starts watching the process group led by `pid`; `onOOM` is called once if the memory limit kills it. */
  watch(pid: number, onOOM: () => void): void;
  /** Whether the last exit of the watched process was an OOM kill. */
  oomKilled(): boolean;
  /** Stops watching and removes the cgroup. */
  release(): Promise<void>;
  /** A warning to report once (`CPU limit not enforced: no cgroups on this machine`), if any. */
  readonly warning?: string;
}

export interface ContainerLimitOptions {
  /** The runtime's state root: names its cgroup parent, so runtimes sharing a machine stay apart. */
  root: string;
  /** How often resident memory (sampling) or the cgroup's OOM counter is read; 500 ms by default. */
  sampleMs?: number;
  /** false: no cgroup even where the host has them (tests of the sampling path). */
  cgroups?: boolean;
}

const DEFAULT_SAMPLE_MS = 500;

/**
 * The cgroups each live container's processes join, by `<pod uid>/<container>`: the sandbox puts
 * every process of the container there (the main one, exec sessions, exec probes) without the
 * callers carrying the paths around.
 */
const joinedCgroups = new Map<string, string[]>();

/** The pod's cgroup directory name (its uid; pods the API server made always have one). */
const podCgroupName = (pod: Pod) => pod.metadata.uid ?? `${pod.metadata.namespace}_${pod.metadata.name}`;

export function cgroupProcsOf(pod: Pod, container: string): string[] {
  return joinedCgroups.get(`${podCgroupName(pod)}/${container}`) ?? [];
}

function limitsOf(c: Container): CgroupLimits {
  const memory = c.resources?.limits?.memory;
  const cpu = c.resources?.limits?.cpu;
  return {
    ...(memory !== undefined ? { memoryBytes: parseQuantity(memory).value() } : {}),
    ...(cpu !== undefined ? { milliCPU: parseQuantity(cpu).milliValue() } : {}),
  };
}

function notEnforced(features: HostFeatures, useCgroups: boolean, limits: CgroupLimits, failure?: string): string | undefined {
  if (limits.milliCPU === undefined) return undefined;
  if (failure) return `CPU limit not enforced: ${failure}`;
  if (!useCgroups || features.cgroups === 'none') return 'CPU limit not enforced: no cgroups on this machine';
  if (features.cgroupControllers && !features.cgroupControllers.includes('cpu')) return 'CPU limit not enforced: no cpu cgroup controller on this machine';
  return undefined;
}

export async function containerLimits(features: HostFeatures, pod: Pod, c: Container, opts: ContainerLimitOptions): Promise<ContainerLimitWatch> {
  const limits = limitsOf(c);
  const sampleMs = opts.sampleMs ?? DEFAULT_SAMPLE_MS;
  const useCgroups = opts.cgroups !== false;
  const podUid = podCgroupName(pod);
  const key = `${podUid}/${c.name}`;
  let cgroup: ContainerCgroup | undefined;
  let failure: string | undefined;
  if (useCgroups) {
    try {
      cgroup = await createContainerCgroup(features, opts.root, podUid, c.name, limits);
    } catch (e) {
      failure = `cannot create a cgroup: ${(e as Error).message}`;
    }
  }
  const memoryByCgroup = cgroup !== undefined && (features.cgroupControllers ?? ['memory']).includes('memory');
  if (cgroup) joinedCgroups.set(key, cgroup.procs);

  const warning = notEnforced(features, useCgroups, limits, failure);
  let stop: (() => void) | undefined;
  let oomBaseline = 0;
  let sampledOOM = false;
  const oomKilled = () => sampledOOM || (memoryByCgroup && cgroup!.oomKills() > oomBaseline);

  return {
    cgroupProcs: cgroup?.procs ?? [],
    ...(warning ? { warning } : {}),
    watch(pid, onOOM) {
      stop?.();
      sampledOOM = false;
      if (limits.memoryBytes === undefined) return;
      if (memoryByCgroup) {
        // The kernel kills; the counter says it did (for `onOOM` while the exit is on its way).
        oomBaseline = cgroup!.oomKills();
        const timer = setInterval(() => {
          if (!oomKilled()) return;
          clearInterval(timer);
          onOOM();
        }, sampleMs);
        timer.unref();
        stop = () => clearInterval(timer);
        return;
      }
      stop = watchGroupRss(pid, Number(limits.memoryBytes), sampleMs, () => {
        sampledOOM = true;
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        onOOM();
      });
    },
    oomKilled,
    async release() {
      stop?.();
      stop = undefined;
      joinedCgroups.delete(key);
      await cgroup?.remove();
    },
  };
}

// TEMP(core): replaced by the owner's version at merge
/**
 * A container's resource limits. Memory: a cgroup's limit where the host has cgroups (an OOM
 * kill is read from the cgroup), otherwise the resident memory of the container's process group
 * sampled periodically, killed with SIGKILL past the limit — either way the container ends
 * `OOMKilled`, exit code 137. CPU: a cgroup quota where available, otherwise reported once as
 * not enforced. (Issue 11 §9 — contract.)
 */
import type { Container, Pod } from '../../../../lib/api/model.ts';
import type { HostFeatures } from './host-features.ts';

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

export async function containerLimits(_features: HostFeatures, _pod: Pod, _c: Container, _opts: { root: string; sampleMs?: number }): Promise<ContainerLimitWatch> {
  return { cgroupProcs: [], watch: () => {}, oomKilled: () => false, release: async () => {} };
}

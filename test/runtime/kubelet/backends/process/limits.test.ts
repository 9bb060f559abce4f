/**
 * Memory and CPU limits for real processes: the cgroup path (the kernel's OOM killer, read back
 * from the cgroup) and the sampling path (resident memory of the process group), forced by option.
 */
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../../../lib/api/model.ts';
import { CGROUP_FS, detectHostFeatures } from '../../../../../runtime/kubelet/backends/process/host-features.ts';
import { containerLimits, removeStaleCgroups, type ContainerLimitWatch } from '../../../../../runtime/kubelet/backends/process/limits.ts';
import { runtimeCgroupName } from '../../../../../runtime/kubelet/backends/process/cgroups.ts';
import { preparePodSandbox, removePodSandboxDir } from '../../../../../runtime/kubelet/backends/process/sandbox.ts';
import { eventually } from '../../../harness.ts';
import { MapSources, scratchDir, testPod } from './fixtures.ts';
import { spawnSandboxed, type Spawned } from './spawned.ts';

const features = await detectHostFeatures();
const v1 = features.cgroups === 'v1' && (features.cgroupControllers ?? []).includes('memory') && (features.cgroupControllers ?? []).includes('cpu');

let root: ReturnType<typeof scratchDir>;
const running: Spawned[] = [];
const watches: ContainerLimitWatch[] = [];

beforeEach(() => {
  root = scratchDir('limits');
});

afterEach(async () => {
  for (const p of running.splice(0)) p.kill();
  for (const w of watches.splice(0)) await w.release();
  await removePodSandboxDir(root.dir);
  await removeStaleCgroups(root.dir);
});

// Holds 200 MB in one process (bytes that are really written, so resident), then waits.
const HOG = ['python3', '-c', "import time\nx = b'k' * (200 * 1024 * 1024)\nprint('allocated', flush=True)\ntime.sleep(30)"];

const limited = (memory: string, cpu?: string): Container => ({ name: 'hog', image: 'python', resources: { limits: { memory, ...(cpu ? { cpu } : {}) } } });

async function runLimited(c: Container, opts: { cgroups?: boolean }) {
  const pod = testPod({ containers: [c] });
  const limits = await containerLimits(features, pod, c, { root: root.dir, sampleMs: 50, ...opts });
  watches.push(limits);
  const setup = await preparePodSandbox(root.dir, pod, features, new MapSources());
  if (!setup.ok) throw new Error(setup.message);
  const p = spawnSandboxed(setup.sandbox.command(c, HOG, { PATH: process.env.PATH ?? '/usr/bin:/bin' }));
  running.push(p);
  let ooms = 0;
  limits.watch(p.pid, () => ooms++);
  return { pod, limits, p, ooms: () => ooms };
}

describe.skipIf(!v1)('with cgroups v1', () => {
  it('a process past its 50Mi limit is killed by the kernel and the watch says OOMKilled; release removes the cgroup', async () => {
    const { pod, limits, p, ooms } = await runLimited(limited('50Mi', '250m'), {});
    const dir = join(CGROUP_FS, 'memory', runtimeCgroupName(root.dir), pod.metadata.uid!, 'hog');
    expect(limits.cgroupProcs).toEqual([join(dir, 'cgroup.procs'), join(CGROUP_FS, 'cpu', runtimeCgroupName(root.dir), pod.metadata.uid!, 'hog', 'cgroup.procs')]);
    expect(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(50 * 1024 * 1024));
    const cpuDir = join(CGROUP_FS, 'cpu', runtimeCgroupName(root.dir), pod.metadata.uid!, 'hog');
    expect(readFileSync(join(cpuDir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('25000');
    expect(readFileSync(join(cpuDir, 'cpu.cfs_period_us'), 'utf8').trim()).toBe('100000');
    expect(limits.warning).toBeUndefined();

    expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(p.output()).not.toContain('allocated');
    expect(limits.oomKilled()).toBe(true);
    await eventually(() => ooms() === 1, { what: 'onOOM from the cgroup counter' });
    await limits.release();
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(cpuDir)).toBe(false);
    expect(existsSync(join(dir, '..'))).toBe(false);
  });

  it('a process within its limit is not OOMKilled', async () => {
    const { limits, p } = await runLimited(limited('400Mi'), {});
    await eventually(() => p.output().includes('allocated'), { what: 'the allocation' });
    p.kill();
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(limits.oomKilled()).toBe(false);
  });

  it('removeStaleCgroups removes what a killed runtime left, and only that runtime\'s', async () => {
    const mine = join(CGROUP_FS, 'memory', runtimeCgroupName(root.dir), 'some-pod-uid', 'web');
    const other = scratchDir('other-runtime');
    const theirs = join(CGROUP_FS, 'memory', runtimeCgroupName(other.dir), 'pod', 'web');
    mkdirSync(mine, { recursive: true });
    mkdirSync(theirs, { recursive: true });
    try {
      expect(await removeStaleCgroups(root.dir)).toEqual([]);
      expect(existsSync(join(CGROUP_FS, 'memory', runtimeCgroupName(root.dir)))).toBe(false);
      expect(existsSync(theirs)).toBe(true);
    } finally {
      await removeStaleCgroups(other.dir);
      other.remove();
    }
  });
});

describe('without cgroups (resident-memory sampling)', () => {
  it('the process group past its limit is SIGKILLed and the watch says OOMKilled', async () => {
    const { limits, p, ooms } = await runLimited(limited('50Mi', '1'), { cgroups: false });
    expect(limits.cgroupProcs).toEqual([]);
    expect(limits.warning).toBe('CPU limit not enforced: no cgroups on this machine');
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(limits.oomKilled()).toBe(true);
    expect(ooms()).toBe(1);
  });
});

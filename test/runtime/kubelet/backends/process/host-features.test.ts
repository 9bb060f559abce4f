/** What this machine offers, found by trying it (the project's machines: root, unshare, cgroups v1, all of 127/8). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectHostFeatures, hostFeaturesReport } from '../../../../../runtime/kubelet/backends/process/host-features.ts';

const unshareWorks = spawnSync('unshare', ['--mount', 'true']).status === 0;
const bwrapInstalled = spawnSync('bwrap', ['--version']).status === 0;

describe('detectHostFeatures', () => {
  it('finds what the machine offers, once', async () => {
    const first = detectHostFeatures();
    expect(detectHostFeatures()).toBe(first);
    const f = await first;
    expect(f.mountNamespace).toBe(bwrapInstalled ? 'bwrap' : unshareWorks ? 'unshare' : 'none');
    expect(f.cgroups).toBe(existsSync('/sys/fs/cgroup/cgroup.controllers') ? 'v2' : existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') ? 'v1' : 'none');
    if (process.platform === 'linux') expect(f.loopbackRange).toBe(true);
    expect(f.report).toEqual(hostFeaturesReport(f));
    expect(f.report[0]).toMatch(/^mount namespaces: /);
  });

  it('reports each feature and its fallback in one line', () => {
    expect(hostFeaturesReport({ mountNamespace: 'unshare', cgroups: 'v1', cgroupControllers: ['memory', 'cpu'], loopbackRange: true })).toEqual([
      'mount namespaces: unshare (volumes at their mountPath; per-pod /etc/hosts and /etc/resolv.conf)',
      'cgroups: v1 (memory, cpu)',
      'loopback range: 127.0.0.0/8 (one address per pod)',
    ]);
    expect(hostFeaturesReport({ mountNamespace: 'none', cgroups: 'v2', cgroupControllers: ['memory'], loopbackRange: false })).toEqual([
      "mount namespaces: none (volumes are not at their mountPath: each mount's directory is in $KITE_MOUNT_<VOLUME>)",
      'cgroups: v2 (memory); CPU limits not enforced',
      'loopback range: only 127.0.0.1 — pod IPs need aliases, e.g. `sudo ifconfig lo0 alias 127.200.1.2 up` per address',
    ]);
  });
});

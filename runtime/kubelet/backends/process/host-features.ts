// TEMP(core): replaced by the owner's version at merge
/**
 * What this machine lets the process kubelet use, detected once at start and reported by
 * `kite up` and `kite status`: a private mount namespace (bubblewrap, else `unshare`), cgroups
 * (v1 or v2) for memory and CPU limits, and whether all of 127.0.0.0/8 reaches loopback.
 * Each has a fallback. (Issue 11 §3, §9 — contract.)
 */
export interface HostFeatures {
  mountNamespace: 'bwrap' | 'unshare' | 'none';
  cgroups: 'v1' | 'v2' | 'none';
  /** Whether addresses other than 127.0.0.1 in 127.0.0.0/8 can be bound (false on macOS without aliases). */
  loopbackRange: boolean;
  /** One line per feature for `kite up` / `kite status` (`mount namespaces: unshare`, `cgroups: v1 (memory, cpu)`, ...). */
  report: string[];
}

export async function detectHostFeatures(): Promise<HostFeatures> {
  return { mountNamespace: 'none', cgroups: 'none', loopbackRange: true, report: [] };
}

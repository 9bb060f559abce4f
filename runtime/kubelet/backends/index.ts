/**
 * Every kubelet backend, by the name `kite up` knows it by: the one place a backend is added
 * (issue 11 adds `process`, and makes it what `kite up` runs without `--simulate`).
 */
import type { KubeletBackendFactory } from '../backend.ts';
import { SimulatedBackend } from './simulated.ts';

export const KUBELET_BACKENDS = {
  simulated: (host) => new SimulatedBackend(host),
} satisfies Record<string, KubeletBackendFactory>;

export type KubeletBackendName = keyof typeof KUBELET_BACKENDS;

/** What `kite up` runs: `--simulate` asks for simulated nodes; without it, for real processes. */
export function chooseKubeletBackend(o: { simulate: boolean }): { backend: KubeletBackendName; note?: string } {
  if (o.simulate) return { backend: 'simulated' };
  // No process backend yet: simulate, and say so.
  return { backend: 'simulated', note: 'nodes run pods without processes for now (--simulate); the process kubelet is not part of this version' };
}

/**
 * Every kubelet backend, by the name `kite up` knows it by: the one place a backend is added.
 * `process` (what `kite up` runs) runs pods as local processes; `simulated` (`kite up
 * --simulate`) runs nothing, as KWOK. A backend is opened once per runtime — the process
 * backend's image catalog and host features are shared by its nodes — and gives a factory per
 * node.
 */
import { join } from 'node:path';
import type { KubeletBackendFactory } from '../backend.ts';
import { ProcessBackend } from './process/index.ts';
import { detectHostFeatures, type HostFeatures } from './process/host-features.ts';
import { openImageCatalog } from './process/images.ts';
import type { NodeDnsSettings } from './process/pod-dns.ts';
import { SimulatedBackend } from './simulated.ts';

export const KUBELET_BACKEND_NAMES = ['process', 'simulated'] as const;
export type KubeletBackendName = (typeof KUBELET_BACKEND_NAMES)[number];

/** The simulated backend needs nothing from the runtime. */
export const simulatedBackend: KubeletBackendFactory = (host) => new SimulatedBackend(host);

export interface KubeletBackendOptions {
  /** The runtime's state dir: each node keeps its pods' sandboxes, logs and process records under `kubelet/<node>/`. */
  stateDir: string;
  /** `kite up --images FILE`; default: `kite.images.yaml` found from `cwd` upwards. */
  images?: string;
  cwd?: string;
  /** The first CrashLoopBackOff / ImagePullBackOff wait (Kubernetes: 10 s); tests make it short. */
  backoffInitialMs?: number;
  /** Host features (default: detected). */
  features?: HostFeatures;
  /** The kubelet's --cluster-dns and --cluster-domain, read at each pod's sandbox setup (cluster DNS may be off): runtime/dns. */
  dns?: () => Promise<NodeDnsSettings>;
}

export interface OpenedKubeletBackend {
  name: KubeletBackendName;
  factory: KubeletBackendFactory;
  /** The process backend's: what this machine lets it use, and the image catalog in use. */
  features?: HostFeatures;
  catalogFile?: string;
  close(): void;
}

export async function openKubeletBackend(name: KubeletBackendName, o: KubeletBackendOptions): Promise<OpenedKubeletBackend> {
  if (name === 'simulated') return { name, factory: simulatedBackend, close: () => {} };
  const features = o.features ?? (await detectHostFeatures());
  // A broken edit keeps the last good catalog: said in the runtime's log, where `kite up` sends errors.
  const catalog = openImageCatalog({ ...(o.images ? { file: o.images } : {}), cwd: o.cwd ?? process.cwd(), onError: (m) => console.error(`image catalog: ${m}`) });
  const factory: KubeletBackendFactory = (host) =>
    new ProcessBackend(host, {
      root: join(o.stateDir, 'kubelet', host.nodeName),
      catalog,
      features,
      ...(o.backoffInitialMs !== undefined ? { backoffInitialMs: o.backoffInitialMs } : {}),
      ...(o.dns ? { dns: o.dns } : {}),
    });
  return { name, factory, features, ...(catalog.file ? { catalogFile: catalog.file } : {}), close: () => catalog.close() };
}

/** What `kite up` runs: `--simulate` asks for simulated nodes; without it, for real processes. */
export function chooseKubeletBackend(o: { simulate: boolean }): { backend: KubeletBackendName; note?: string } {
  return { backend: o.simulate ? 'simulated' : 'process' };
}

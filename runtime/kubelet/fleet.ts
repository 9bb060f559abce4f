import type { ApiClient } from '../client/client.ts';
import type { Component } from '../component.ts';
import type { KubeletBackendFactory } from './backend.ts';
import { simulatedBackend } from './backends/index.ts';
import { defaultPodCIDR } from './ipam.ts';
import { Kubelet } from './kubelet.ts';
import type { HeartbeatOptions } from './node.ts';
import { SplitInformer } from './pod-source.ts';

export interface KubeletsOptions extends HeartbeatOptions {
  count: number;
  /** Per node, e.g. `2` or `1500m`. */
  cpu: string;
  /** Per node, e.g. `4Gi`. */
  memory: string;
  pods?: number;
  ephemeralStorage?: string;
  /** Node names are `<prefix><i>`, i from 1 (default `kite-node-`). */
  namePrefix?: string;
  /** Pod CIDR of the i-th node (default 127.(200 + i/256).(i%256).0/24). */
  podCIDR?: (index: number) => string;
  labels?: (index: number) => Record<string, string>;
  recordEvents?: boolean;
  /** What runs the pods (default: the simulated backend). */
  backend?: KubeletBackendFactory;
  /** The token the API server presents to each kubelet server (logs, exec). */
  serverToken?: string;
}

/**
 * `count` kubelets in one process, named `<prefix><i>`, sharing one pod watch and one Node watch
 * (split by node): a component that starts them together, and stops them before the watches.
 */
export class KubeletFleet implements Component {
  readonly name = 'kubelets';
  readonly nodes: Kubelet[] = [];
  private readonly pods: SplitInformer<'pods'>;
  private readonly nodeObjects: SplitInformer<'nodes'>;

  constructor(client: ApiClient, opts: KubeletsOptions) {
    this.pods = new SplitInformer(client, 'pods', (p) => p.spec.nodeName);
    this.nodeObjects = new SplitInformer(client, 'nodes', (n) => n.metadata.name);
    const { count, namePrefix, podCIDR, labels, backend, ...common } = opts;
    for (let i = 1; i <= count; i++) {
      const name = `${namePrefix ?? 'kite-node-'}${i}`;
      this.nodes.push(
        new Kubelet(client, {
          ...common,
          name,
          backend: backend ?? simulatedBackend,
          podSource: this.pods.viewOf(name),
          nodeSource: this.nodeObjects.viewOf(name),
          podCIDR: podCIDR ? podCIDR(i) : defaultPodCIDR(i),
          ...(labels ? { labels: labels(i) } : {}),
        }),
      );
    }
  }

  /** Registers every node and starts its kubelet. */
  async start(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    this.pods.stop();
    this.nodeObjects.stop();
  }
}

/** Registers and starts `count` kubelets sharing one pod watch. */
export async function startKubelets(client: ApiClient, opts: KubeletsOptions): Promise<KubeletFleet> {
  const fleet = new KubeletFleet(client, opts);
  await fleet.start();
  return fleet;
}

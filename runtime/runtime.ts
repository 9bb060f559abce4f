import { Registry } from './apiserver/registry.ts';
import { eventExpiry } from './apiserver/kinds/event.ts';
import { inClusterNames, KubernetesServiceReconciler } from './apiserver/kubernetes-service.ts';
import { startApiServer } from './apiserver/server.ts';
import { loadOrCreateCredentials, writeKubeconfig, type Credentials } from './apiserver/tls.ts';
import { InProcessClient, type ApiClient } from './client/client.ts';
import { InformerFactory } from './client/informer-factory.ts';
import { startComponents, type Component } from './component.ts';
import { createControllers } from './controllers/index.ts';
import { NodeLifecycleController } from './controllers/node-lifecycle.ts';
import { chooseKubeletBackend, openKubeletBackend, type KubeletBackendName, type OpenedKubeletBackend } from './kubelet/backends/index.ts';
import { KubeletFleet } from './kubelet/fleet.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { apiServiceIP, claimNetwork, clusterDnsIP, NetworkSlotFullError, type ClaimedNetwork, type RuntimeNetwork } from './network.ts';
import type { ClusterDnsStatus } from './dns/describe.ts';
import { ClusterDns } from './dns/index.ts';
import { ServiceProxy } from './proxy/index.ts';
import { securePrivateDir } from './state-dir-modes.ts';
import { openStore } from './store/sqlite-store.ts';

export interface RuntimeOptions {
  stateDir: string;
  /** Number of nodes (default 3). */
  nodes?: number;
  /** Capacity of each node, as quantities (`2`, `4Gi`). */
  nodeCpu: string;
  nodeMemory: string;
  /**
   * `kite up --simulate`: pods go Running and Ready without a process (as KWOK); without it
   * they run as local processes. Decides the kubelet backend unless `kubelet` names one.
   */
  simulate: boolean;
  /** The kubelet backend by name (default: chooseKubeletBackend({ simulate })). */
  kubelet?: KubeletBackendName;
  /** The image catalog (`kite up --images FILE`; default: `kite.images.yaml` from the working directory upwards). */
  images?: string;
  /** The first CrashLoopBackOff / ImagePullBackOff wait (Kubernetes' 10 s by default; tests shorten it). */
  backoffInitialMs?: number;
  /** API server port; default: the one used last time, else any free port. */
  port?: number;
  /** Cluster DNS domain (kubelet --cluster-domain; default `cluster.local`). */
  clusterDomain?: string;
  /** How Service traffic is forwarded: `userspace` (default) or `nftables` (kernel DNAT rules; root and nft needed). */
  proxyMode?: 'userspace' | 'nftables';
  /** How long a node may miss heartbeats before it is NotReady, and its pods are evicted after. */
  nodeMonitorGracePeriodMs?: number;
  podEvictionTimeoutMs?: number;
  /** Events are deleted this long after their last update (kube-apiserver --event-ttl; default 1h). */
  eventTtlMs?: number;
}

export interface Runtime {
  url: string;
  port: number;
  kubeconfig: string;
  client: ApiClient;
  /** This runtime's loopback address plan (runtime/network.ts). */
  network: RuntimeNetwork;
  /** What runs the pods (the process backend's host features and image catalog with it). */
  kubelet: Omit<OpenedKubeletBackend, 'close' | 'factory'>;
  /** Cluster DNS: where it listens and its domain, or why it is off (runtime/dns). */
  dns(): ClusterDnsStatus;
  /** The service proxy as others see it: its mode and why, and how often and how fast it rebuilt its table (benches, tests). */
  proxy: Pick<ServiceProxy, 'mode' | 'modeReason' | 'lastSyncMs' | 'builds'>;
  close(): Promise<void>;
}

/** kubelet --cluster-domain's usual value. */
const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The whole local control plane in this process: the durable store, the API server on
 * loopback, and the components — controllers, scheduler, node lifecycle, kubelets — each
 * reaching the cluster through the API only. On an existing state dir it resumes where it
 * stopped.
 */
export async function startRuntime(o: RuntimeOptions): Promise<Runtime> {
  securePrivateDir(o.stateDir);
  // The store first: its exclusive lock refuses a second runtime on this dir before it writes anything.
  const store = openStore(o.stateDir, { expiring: [eventExpiry(o.eventTtlMs)] });
  let credentials: Credentials;
  let claim: ClaimedNetwork;
  try {
    claim = await claimNetwork(o.stateDir);
  } catch (e) {
    await store.close();
    throw e;
  }
  try {
    const room = claim.network.maxNodes;
    if (room !== undefined && (o.nodes ?? 3) > room) throw new NetworkSlotFullError(claim.network.slot, room, o.nodes ?? 3);
    // In-cluster clients check the names of the `kubernetes` Service against the certificate.
    credentials = await loadOrCreateCredentials(o.stateDir, { hosts: inClusterNames(apiServiceIP(claim.network), o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN) });
  } catch (e) {
    await claim.release();
    await store.close();
    throw e;
  }
  // What is started is undone, in reverse, if a later step fails: a runtime that cannot start must
  // end (a `kite up --detach` parent waits for it to be ready or gone).
  const undo: Array<() => unknown> = [() => store.close(), () => claim.release()];
  try {
    return await startParts(o, store, claim, credentials, undo);
  } catch (e) {
    for (const step of undo.reverse()) await step();
    throw e;
  }
}

async function startParts(o: RuntimeOptions, store: ReturnType<typeof openStore>, claim: ClaimedNetwork, credentials: Credentials, undo: Array<() => unknown>): Promise<Runtime> {
  const network = claim.network;
  const registry = new Registry(store, { serviceAccountAdmission: true, serviceCIDR: network.serviceCIDR });
  const client = new InProcessClient(registry);
  for (const name of SYSTEM_NAMESPACES) {
    if (!client.get('namespaces', undefined, name)) await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const server = await startApiServer({
    registry,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    token: credentials.token,
    ...(o.port !== undefined ? { port: o.port } : {}),
  });
  undo.push(() => server.close());
  const kubeconfig = await writeKubeconfig(o.stateDir, { server: server.url, caCertPem: credentials.caCertPem, token: credentials.token });

  // One watch per resource, shared by every component, as kube-controller-manager's informers.
  const informers = new InformerFactory(client);
  const dns = new ClusterDns(client, { informers, address: clusterDnsIP(network), ...(o.clusterDomain ? { domain: o.clusterDomain } : {}) });
  const kubelet = await openKubeletBackend(o.kubelet ?? chooseKubeletBackend({ simulate: o.simulate }).backend, {
    stateDir: o.stateDir,
    ...(o.images ? { images: o.images } : {}),
    ...(o.backoffInitialMs !== undefined ? { backoffInitialMs: o.backoffInitialMs } : {}),
    dns: () => dns.nodeDnsSettings(),
  });
  undo.push(() => kubelet.close());
  const proxy = new ServiceProxy(client, { informers, network, ...(o.proxyMode ? { mode: o.proxyMode } : {}) });
  // Started in this order, stopped in reverse; the informers list every resource before any
  // worker starts (WaitForCacheSync).
  const components: Component[] = [
    informers,
    new KubernetesServiceReconciler(client, { serviceIP: apiServiceIP(network), address: new URL(server.url).hostname, port: server.port }),
    ...createControllers(client, { informers, caCertPem: credentials.caCertPem, loadBalancerCIDR: network.loadBalancerCIDR }).all,
    new Scheduler(client, { informers }),
    new NodeLifecycleController(client, {
      informers,
      ...(o.nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs } : {}),
      ...(o.podEvictionTimeoutMs !== undefined ? { podEvictionTimeoutMs: o.podEvictionTimeoutMs } : {}),
    }),
    // Before the kubelets: their first pods get the cluster DNS server.
    dns,
    new KubeletFleet(client, { count: o.nodes ?? 3, cpu: o.nodeCpu, memory: o.nodeMemory, backend: kubelet.factory, serverToken: credentials.token, podCIDR: network.podCIDR }),
    proxy,
  ];
  const stopComponents = await startComponents(components);

  let closed = false;
  return {
    url: server.url,
    port: server.port,
    kubeconfig,
    client,
    network,
    kubelet: { name: kubelet.name, ...(kubelet.features ? { features: kubelet.features } : {}), ...(kubelet.catalogFile ? { catalogFile: kubelet.catalogFile } : {}) },
    dns: () => dns.status(),
    proxy,
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
      await stopComponents();
      kubelet.close();
      await store.close();
      await claim.release();
    },
  };
}

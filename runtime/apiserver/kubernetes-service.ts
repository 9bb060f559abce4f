/**
 * The `default/kubernetes` Service and its endpoints, as kube-apiserver keeps them
 * (k/k pkg/controlplane/controller/kubernetesservice/controller.go
 * CreateOrUpdateMasterServiceIfNeeded, pkg/controlplane/reconcilers/endpointsadapter.go,
 * lease.go): in-cluster clients find the API server through it (`KUBERNETES_SERVICE_HOST`,
 * `kubernetes.default.svc`).
 *
 *  - Service `kubernetes`: labels `component: apiserver`, `provider: kubernetes`, clusterIP the
 *    first address of the service range, port `https` 443/TCP to the API server's port, no
 *    selector; an existing one is updated only when its ports or type differ (upstream's
 *    getMasterServiceUpdateIfNeeded), so a user's other edits stay;
 *  - Endpoints `kubernetes` (label `endpointslice.kubernetes.io/skip-mirror: "true"`, so the
 *    mirroring controller leaves it) with the API server's address and port, and the
 *    EndpointSlice `kubernetes` the endpoints adapter derives from it;
 *  - reconciled at start (the port may differ from the last run's) and every `intervalMs`
 *    (upstream: --endpoint-reconciler interval 10 s), which also puts back a deleted one.
 */
import { jsonEqual } from '../../lib/api/equal.ts';
import type { EndpointSlice, Endpoints, Service } from '../../lib/api/model.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../lib/api/status.ts';
import type { ApiClient } from '../client/client.ts';
import type { Component } from '../component.ts';

export const KUBERNETES_SERVICE = 'kubernetes';
const NAMESPACE = 'default';
/** kubernetesservice.Controller's ServicePort. */
const SERVICE_PORT = 443;
const PORT_NAME = 'https';
const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

export interface KubernetesServiceOptions {
  /** The Service's cluster IP (apiServiceIP(runtime.network)). */
  serviceIP: string;
  /** Where the API server listens. */
  address: string;
  port: number;
  /** Re-reconcile period (default 10 s; 0: only at start). */
  intervalMs?: number;
  /** A pass that failed (retried on the next; default: console.error). */
  onError?: (error: unknown) => void;
}

/**
 * The names an in-cluster client may reach the API server by, which its serving certificate
 * must carry (kube-apiserver's getServiceIP + the `kubernetes.default.svc.<domain>` family,
 * pkg/controlplane/apiserver/options ServiceIPRange / kubeadm's apiserver cert SANs).
 */
export function inClusterNames(serviceIP: string, clusterDomain: string): string[] {
  const base = `${KUBERNETES_SERVICE}.${NAMESPACE}`;
  return [serviceIP, KUBERNETES_SERVICE, base, `${base}.svc`, `${base}.svc.${clusterDomain}`];
}

/** The objects as kube-apiserver writes them. */
export function desiredService(o: Pick<KubernetesServiceOptions, 'serviceIP' | 'port'>): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_SERVICE, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: o.serviceIP,
      sessionAffinity: 'None',
      ports: [{ name: PORT_NAME, port: SERVICE_PORT, protocol: 'TCP', targetPort: o.port }],
    },
  };
}

export function desiredEndpoints(o: Pick<KubernetesServiceOptions, 'address' | 'port'>): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: KUBERNETES_SERVICE, namespace: NAMESPACE, labels: { [LABEL_SKIP_MIRROR]: 'true' } },
    subsets: [{ addresses: [{ ip: o.address }], ports: [{ name: PORT_NAME, port: o.port, protocol: 'TCP' }] }],
  };
}

/** endpointSliceFromEndpoints */
export function desiredEndpointSlice(o: Pick<KubernetesServiceOptions, 'address' | 'port'>): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: KUBERNETES_SERVICE, namespace: NAMESPACE, labels: { [LABEL_SERVICE_NAME]: KUBERNETES_SERVICE } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [o.address], conditions: { ready: true } }],
    ports: [{ name: PORT_NAME, port: o.port, protocol: 'TCP' }],
  };
}

export class KubernetesServiceReconciler implements Component {
  readonly name = 'kubernetes-service';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly o: KubernetesServiceOptions,
  ) {}

  async start(): Promise<void> {
    // A refused write (say, a user's own Service named `kubernetes` that cannot become ClusterIP)
    // is reported, as kube-apiserver logs it, and does not stop the runtime from starting.
    await this.reconcile().catch((e) => this.reportError(e));
    const every = this.o.intervalMs ?? 10_000;
    if (every > 0) {
      this.timer = setInterval(() => {
        if (this.running) return;
        this.running = this.reconcile()
          .catch((e) => this.reportError(e))
          .finally(() => (this.running = undefined));
      }, every);
      this.timer.unref();
    }
  }

  private reportError(e: unknown): void {
    if (this.o.onError) this.o.onError(e);
    else console.error(`${this.name}: unable to sync the kubernetes service:`, e);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: the Service, then its Endpoints and EndpointSlice. */
  async reconcile(): Promise<void> {
    await this.ensureService();
    await this.ensureEndpoints();
    await this.ensureEndpointSlice();
  }

  private async ensureService(): Promise<void> {
    const want = desiredService(this.o);
    const cur = this.client.get('services', NAMESPACE, KUBERNETES_SERVICE);
    if (!cur) return this.createIgnoringExists('services', want);
    if (cur.spec?.type === 'ClusterIP' && jsonEqual(cur.spec.ports, want.spec?.ports)) return;
    await this.retryConflict(() => this.client.update('services', { ...cur, spec: { ...cur.spec, type: 'ClusterIP', ports: want.spec!.ports! } }));
  }

  private async ensureEndpoints(): Promise<void> {
    const want = desiredEndpoints(this.o);
    const cur = this.client.get('endpoints', NAMESPACE, KUBERNETES_SERVICE);
    if (!cur) return this.createIgnoringExists('endpoints', want);
    if (jsonEqual(cur.subsets, want.subsets) && jsonEqual(cur.metadata.labels, want.metadata.labels)) return;
    await this.retryConflict(() => this.client.update('endpoints', { ...cur, metadata: { ...cur.metadata, labels: want.metadata.labels }, subsets: want.subsets }));
  }

  private async ensureEndpointSlice(): Promise<void> {
    const want = desiredEndpointSlice(this.o);
    const cur = this.client.get('endpointslices', NAMESPACE, KUBERNETES_SERVICE);
    if (!cur) return this.createIgnoringExists('endpointslices', want);
    const same = cur.addressType === want.addressType && jsonEqual(cur.endpoints, want.endpoints) && jsonEqual(cur.ports, want.ports) && jsonEqual(cur.metadata.labels, want.metadata.labels);
    if (same) return;
    if (cur.addressType !== want.addressType) {
      // The address type is immutable: replaced, as the endpoints adapter does.
      await this.retryConflict(() => this.client.delete('endpointslices', NAMESPACE, KUBERNETES_SERVICE));
      return this.createIgnoringExists('endpointslices', want);
    }
    await this.retryConflict(() => this.client.update('endpointslices', { ...cur, metadata: { ...cur.metadata, labels: want.metadata.labels }, endpoints: want.endpoints, ports: want.ports }));
  }

  private async createIgnoringExists<R extends 'services' | 'endpoints' | 'endpointslices'>(resource: R, obj: Service | Endpoints | EndpointSlice): Promise<void> {
    try {
      await this.client.create(resource, NAMESPACE, obj as never);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }

  /** A conflict means someone else wrote it meanwhile: the next pass looks again. */
  private async retryConflict(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }
}

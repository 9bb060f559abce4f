import type { Construct } from 'constructs';
import type { ContainerInput, EnvVarInput, PodSpecInput, ProbeInput, ServicePortInput } from '../api/model.ts';
import { checkProps, type PropsShape } from './props.ts';
import { Resource, type MetadataProps } from './resource.ts';
import { Service } from './service.ts';
import { Stack } from './stack.ts';
import type { Selectable } from './workloads.ts';

export type Quantity = string | number;

export interface HealthCheck {
  /** HTTP path probed on the App's port. */
  path: string;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface AppProps {
  image: string;
  /** Default 1. */
  replicas?: number;
  /** The container port, named `http`; `expose()` targets it. */
  port?: number;
  /** An HTTP path (or check) used for both the readiness and the liveness probe. */
  health?: string | HealthCheck;
  /** Requests; `limits` optional. Quantities as Kubernetes writes them: `250m`, `128Mi`. */
  resources?: { cpu?: Quantity; memory?: Quantity; limits?: { cpu?: Quantity; memory?: Quantity } };
  /** Environment: a value, or any Kubernetes EnvVar source. */
  env?: Record<string, string | Omit<EnvVarInput, 'name'>>;
  command?: string[];
  args?: string[];
  /** Extra labels for the ReplicaSet and its pods (the selector stays kite's own labels, or `selector`). */
  labels?: Record<string, string>;
  /**
   * The labels that select the App's pods, instead of kite's own (`app.kubernetes.io/name`,
   * `/instance`, `/managed-by`, which are then not added): for workloads that already run with
   * labels of their own, as `kite import` brings them in. A selector cannot change in place, so
   * changing it later replaces the workload.
   */
  selector?: Record<string, string>;
  annotations?: Record<string, string>;
  /**
   * How `kite apply` replaces the pods when the template changes (Deployments' rollingUpdate
   * terms): at most `maxSurge` pods over `replicas`, at most `maxUnavailable` not ready (each an
   * integer or a percentage of replicas; defaults 25%/25%); a new pod not ready within
   * `progressDeadlineSeconds` (default 600) stops the rollout. Written as `kite.dev/*` annotations
   * on the ReplicaSet, which YAML can set as well.
   */
  rollout?: { maxSurge?: number | string; maxUnavailable?: number | string; progressDeadlineSeconds?: number };
  /** Escape hatches, merged last: fields of the container and of the pod spec. */
  container?: Partial<ContainerInput>;
  podSpec?: Partial<Omit<PodSpecInput, 'containers'>>;
  /**
   * The workload object: a ReplicaSet (default), or a Deployment, which rolls its pods on the
   * server when the template changes (what real clusters use).
   */
  workload?: 'ReplicaSet' | 'Deployment';
}

export interface ExposeProps {
  /** The Service port. Defaults to the App's port. */
  port?: number;
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  nodePort?: number;
  /** The Service name. Defaults to the App's name. */
  name?: string;
}

const PROBE_TIMING = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const;
const QUANTITIES: PropsShape = { cpu: true, memory: true };

function quantities(r: { cpu?: Quantity | undefined; memory?: Quantity | undefined }): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  if (r.cpu !== undefined) out.cpu = r.cpu;
  if (r.memory !== undefined) out.memory = r.memory;
  return out;
}
const APP_PROPS: PropsShape = {
  image: true,
  replicas: true,
  port: true,
  health: { path: true, ...Object.fromEntries(PROBE_TIMING.map((k) => [k, true as const])) },
  resources: { ...QUANTITIES, limits: QUANTITIES },
  env: 'free',
  command: true,
  args: true,
  labels: 'free',
  selector: 'free',
  annotations: 'free',
  rollout: { maxSurge: true, maxUnavailable: true, progressDeadlineSeconds: true },
  // The object model checks these strictly as container and pod spec fields.
  container: true,
  podSpec: true,
  workload: true,
};
const EXPOSE_PROPS: PropsShape = { port: true, type: true, nodePort: true, name: true };

/** The annotations lib/plan/rollout/template-hash.ts reads (constructs do not import the planner). */
const ROLLOUT_ANNOTATIONS = {
  maxSurge: 'kite.dev/max-surge',
  maxUnavailable: 'kite.dev/max-unavailable',
  progressDeadlineSeconds: 'kite.dev/progress-deadline-seconds',
} as const;

function rolloutAnnotations(rollout: AppProps['rollout']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, annotation] of Object.entries(ROLLOUT_ANNOTATIONS)) {
    const v = rollout?.[k as keyof typeof ROLLOUT_ANNOTATIONS];
    if (v !== undefined) out[annotation] = String(v);
  }
  return out;
}

/**
 * A stateless application: an `apps/v1` ReplicaSet (or Deployment, `workload`) with sane defaults — recommended labels,
 * a selector of its own, a named port, probes from `health`, requests from `resources`.
 */
export class App extends Resource implements Selectable {
  readonly props: AppProps;
  readonly podSelector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppProps) {
    const meta: MetadataProps = { labels: props.labels, annotations: props.annotations };
    super(scope, id, 'apps/v1', props.workload === 'Deployment' ? 'Deployment' : 'ReplicaSet', meta);
    if (props.workload !== undefined && props.workload !== 'ReplicaSet' && props.workload !== 'Deployment') {
      throw new Error(`App ${this.node.path}: workload must be 'ReplicaSet' or 'Deployment', not ${JSON.stringify(props.workload)}`);
    }
    this.props = props;
    checkProps(this, 'AppProps', props, APP_PROPS);
    this.podSelector = props.selector
      ? { ...props.selector }
      : { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': `${Stack.of(this).name}-${this.name}` };
    Object.assign(this.labels, this.podLabels());
    Object.assign(this.annotations, rolloutAnnotations(props.rollout));
  }

  private podLabels(): Record<string, string> {
    return { ...this.props.labels, ...this.ownLabels() };
  }

  /** The selector's labels, plus kite's managed-by when the selector is kite's own. */
  private ownLabels(): Record<string, string> {
    return this.props.selector ? { ...this.podSelector } : { ...this.podSelector, 'app.kubernetes.io/managed-by': 'kite' };
  }

  /** A Service selecting this App's pods, targeting its named port. */
  expose(props: ExposeProps = {}): Service {
    checkProps(this, 'ExposeProps', props, EXPOSE_PROPS);
    const port = props.port ?? this.props.port;
    if (port === undefined) {
      throw new Error(`App ${this.node.path}: expose() needs a port (set AppProps.port or ExposeProps.port)`);
    }
    const servicePort: ServicePortInput = { name: 'http', port, targetPort: this.props.port ?? port };
    if (this.props.port !== undefined) servicePort.targetPort = 'http';
    if (props.nodePort !== undefined) servicePort.nodePort = props.nodePort;
    const name = props.name ?? this.name;
    return new Service(this, props.name === undefined ? 'service' : `service-${name}`, {
      metadata: { name, labels: this.ownLabels() },
      selects: this,
      ...(props.type ? { type: props.type } : {}),
      ports: [servicePort],
    });
  }

  private container(): ContainerInput {
    const p = this.props;
    const c: ContainerInput = { name: this.name, image: p.image };
    if (p.command) c.command = p.command;
    if (p.args) c.args = p.args;
    if (p.port !== undefined) c.ports = [{ name: 'http', containerPort: p.port }];
    if (p.env) {
      c.env = Object.entries(p.env).map(([name, v]) => (typeof v === 'string' ? { name, value: v } : { name, ...v }));
    }
    if (p.resources) {
      // Only known keys go on: an unknown one is reported once, by checkProps.
      const requests = quantities(p.resources);
      c.resources = {};
      if (Object.keys(requests).length > 0) c.resources.requests = requests;
      if (p.resources.limits) c.resources.limits = quantities(p.resources.limits);
    }
    if (p.health !== undefined) {
      const probe = this.probe(p.health);
      c.readinessProbe = probe;
      c.livenessProbe = probe;
    }
    return { ...c, ...p.container };
  }

  private probe(health: string | HealthCheck): ProbeInput {
    const check: HealthCheck = typeof health === 'string' ? { path: health } : health;
    if (this.props.port === undefined) {
      throw new Error(`App ${this.node.path}: health needs a port to probe (set AppProps.port)`);
    }
    const probe: ProbeInput = { httpGet: { path: check.path, port: 'http' } };
    for (const k of PROBE_TIMING) if (check[k] !== undefined) probe[k] = check[k];
    return probe;
  }

  protected body(): Record<string, unknown> {
    const podSpec: PodSpecInput = { ...this.props.podSpec, containers: [this.container()] };
    return {
      spec: {
        replicas: this.props.replicas ?? 1,
        selector: { matchLabels: { ...this.podSelector } },
        template: { metadata: { labels: this.podLabels() }, spec: podSpec },
      },
    };
  }
}

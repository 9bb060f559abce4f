// The web team's service: an App with the team's defaults (two replicas, requests and a memory
// limit, health probes on /healthz, the team label) exposed in the cluster, and the team's policy
// on everything it makes. Changing a default here changes every stack that uses it: that is a
// new minor version at least, and `kite plan` in each stack shows what it changes.
import type { Construct } from 'constructs';
import { App, addPolicy, policies, type AppProps } from 'kite';

/** Where the team's images may come from. */
export const TEAM_REGISTRIES = ['registry.acme.dev', 'docker.io/jonbaier'];

export interface WebServiceProps {
  image: string;
  /** The team that owns the service: the `team` label of every object. */
  team: string;
  /** Default 2. */
  replicas?: number;
  /** The container port (default 8080); the Service listens on 80. */
  port?: number;
  /** The HTTP health path (default /healthz). */
  health?: string;
  /** Default: requests 100m CPU and 128Mi, limit 256Mi. */
  resources?: AppProps['resources'];
  env?: AppProps['env'];
}

export class WebService extends App {
  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, {
      image: props.image,
      replicas: props.replicas ?? 2,
      port: props.port ?? 8080,
      health: props.health ?? '/healthz',
      resources: props.resources ?? { cpu: '100m', memory: '128Mi', limits: { memory: '256Mi' } },
      labels: { team: props.team },
      ...(props.env ? { env: props.env } : {}),
    });
    this.expose({ port: 80 });
    addPolicy(this, policies.allowedRegistries(TEAM_REGISTRIES));
  }
}

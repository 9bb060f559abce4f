import { Construct } from 'constructs';
import { checkProps } from './props.ts';
import { Endpoints, Service } from './service.ts';

export type ExternalDbProps =
  /** A database reached by DNS name: an ExternalName Service (a CNAME in cluster DNS). */
  | { host: string; port?: number }
  /** A database reached by IP: a selector-less Service plus hand-written Endpoints. */
  | { addresses: string[]; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' };

/**
 * A database that runs outside the cluster, given an in-cluster name so that apps never
 * hard-code where it lives (and a move is one change here).
 */
export class ExternalDb extends Construct {
  readonly service: Service;
  readonly endpoints: Endpoints | undefined;
  /** Where the user created this construct, so a diagnostic can point at their line. */
  readonly creationSite = new Error('created here');

  constructor(scope: Construct, id: string, props: ExternalDbProps) {
    super(scope, id);
    checkProps(this, 'ExternalDbProps', props, 'host' in props ? { host: true, port: true } : { addresses: true, port: true, protocol: true });
    const ports = props.port === undefined ? undefined : [{ port: props.port }];
    if ('host' in props) {
      this.service = new Service(this, 'service', {
        metadata: { name: id },
        type: 'ExternalName',
        externalName: props.host,
        ...(ports ? { ports } : {}),
      });
      this.endpoints = undefined;
    } else {
      const protocol = props.protocol ?? 'TCP';
      this.service = new Service(this, 'service', { metadata: { name: id }, ports: [{ port: props.port, protocol }] });
      this.endpoints = new Endpoints(this, 'endpoints', {
        metadata: { name: id },
        subsets: [{ addresses: props.addresses.map((ip) => ({ ip })), ports: [{ port: props.port, protocol }] }],
      });
    }
  }

  /** `name.namespace.svc.cluster.local`. */
  get dnsName(): string {
    return this.service.dnsName;
  }
}

import type { Construct } from 'constructs';
import { ServiceSpecSchema, type ServiceSpecInput, type EndpointSubsetInput } from '../api/model.ts';
import { METADATA_SHAPE, checkProps, type PropsShape } from './props.ts';
import { Resource, SpecResource, serviceDnsName, type MetadataProps } from './resource.ts';
import type { Selectable } from './workloads.ts';

export interface ServiceProps extends Omit<ServiceSpecInput, 'selector'> {
  metadata?: MetadataProps;
  /** Select the pods of a workload (an App, a ReplicaSet, ...). */
  selects?: Selectable;
  /** Or select pods by labels. Neither: a selector-less Service (pair it with Endpoints). */
  selector?: Record<string, string>;
}

const SERVICE_PROPS: PropsShape = {
  metadata: METADATA_SHAPE,
  selects: true,
  selector: 'free',
  // The rest is the ServiceSpec, whose values the object model checks.
  ...Object.fromEntries(Object.keys(ServiceSpecSchema.shape).map((k) => [k, true as const])),
};

/** A Service. `selects: app` keeps the selector in step with the workload's labels. */
export class Service extends SpecResource<ServiceSpecInput> {
  constructor(scope: Construct, id: string, props: ServiceProps = {}) {
    const { metadata, selects, selector, ...rest } = props;
    // An unknown prop is reported once, by checkProps, not again as an unknown spec field.
    const spec = Object.fromEntries(Object.entries(rest).filter(([k]) => Object.hasOwn(SERVICE_PROPS, k))) as ServiceSpecInput;
    const sel = selects ? { ...selects.podSelector, ...selector } : selector;
    super(scope, id, 'v1', 'Service', metadata, sel ? { ...spec, selector: sel } : spec);
    checkProps(this, 'ServiceProps', props, SERVICE_PROPS);
  }
  /** The name other pods resolve in cluster DNS: `name.namespace.svc.cluster.local`. */
  get dnsName(): string {
    return serviceDnsName(this.name, this.namespace);
  }
}

export interface EndpointsProps {
  metadata?: MetadataProps;
  subsets?: EndpointSubsetInput[];
}

/** Endpoints, 1:1: the addresses behind a selector-less Service of the same name. */
export class Endpoints extends Resource {
  readonly subsets: EndpointSubsetInput[] | undefined;
  constructor(scope: Construct, id: string, props: EndpointsProps = {}) {
    super(scope, id, 'v1', 'Endpoints', props.metadata);
    checkProps(this, 'EndpointsProps', props, { metadata: METADATA_SHAPE, subsets: true });
    this.subsets = props.subsets;
  }
  protected body(): Record<string, unknown> {
    return this.subsets ? { subsets: this.subsets } : {};
  }
}

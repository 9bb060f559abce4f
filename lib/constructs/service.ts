import type { Construct } from 'constructs';
import type { ServiceSpecInput, EndpointSubsetInput } from '../api/model.ts';
import { Resource, SpecResource, serviceDnsName, type MetadataProps } from './resource.ts';
import type { Selectable } from './workloads.ts';

export interface ServiceProps extends Omit<ServiceSpecInput, 'selector'> {
  metadata?: MetadataProps;
  /** Select the pods of a workload (an App, a ReplicaSet, ...). */
  selects?: Selectable;
  /** Or select pods by labels. Neither: a selector-less Service (pair it with Endpoints). */
  selector?: Record<string, string>;
}

/** A Service. `selects: app` keeps the selector in step with the workload's labels. */
export class Service extends SpecResource<ServiceSpecInput> {
  constructor(scope: Construct, id: string, props: ServiceProps = {}) {
    const { metadata, selects, selector, ...spec } = props;
    const sel = selects ? { ...selects.podSelector, ...selector } : selector;
    super(scope, id, 'v1', 'Service', metadata, sel ? { ...spec, selector: sel } : spec);
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
    this.subsets = props.subsets;
  }
  protected body(): Record<string, unknown> {
    return this.subsets ? { subsets: this.subsets } : {};
  }
}

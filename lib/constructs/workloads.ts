import type { Construct } from 'constructs';
import type { DeploymentSpecInput, PodSpecInput, ReplicaSetSpecInput, ReplicationControllerSpecInput } from '../api/model.ts';
import { METADATA_SHAPE, checkProps, type PropsShape } from './props.ts';
import { SpecResource, type MetadataProps } from './resource.ts';

// The spec's own fields are checked by the object model.
const WORKLOAD_PROPS: PropsShape = { metadata: METADATA_SHAPE, spec: true };

/** Something whose pods a Service can select. */
export interface Selectable {
  /** Equality labels that select exactly this workload's pods. */
  readonly podSelector: Readonly<Record<string, string>>;
}

export interface PodProps {
  metadata?: MetadataProps;
  spec: PodSpecInput;
}

/** A Pod, 1:1 with the Kubernetes object. */
export class Pod extends SpecResource<PodSpecInput> implements Selectable {
  constructor(scope: Construct, id: string, props: PodProps) {
    super(scope, id, 'v1', 'Pod', props.metadata, props.spec);
    checkProps(this, 'PodProps', props, WORKLOAD_PROPS);
  }
  get podSelector(): Record<string, string> {
    return { ...this.labels };
  }
}

export interface ReplicaSetProps {
  metadata?: MetadataProps;
  spec: ReplicaSetSpecInput;
}

/** An `apps/v1` ReplicaSet, 1:1 with the Kubernetes object. */
export class ReplicaSet extends SpecResource<ReplicaSetSpecInput> implements Selectable {
  constructor(scope: Construct, id: string, props: ReplicaSetProps) {
    super(scope, id, 'apps/v1', 'ReplicaSet', props.metadata, props.spec);
    checkProps(this, 'ReplicaSetProps', props, WORKLOAD_PROPS);
  }
  get podSelector(): Record<string, string> {
    return { ...this.spec.selector?.matchLabels };
  }
}

export interface ReplicationControllerProps {
  metadata?: MetadataProps;
  spec: ReplicationControllerSpecInput;
}

/** A ReplicationController, 1:1 with the Kubernetes object. */
export class ReplicationController extends SpecResource<ReplicationControllerSpecInput> implements Selectable {
  constructor(scope: Construct, id: string, props: ReplicationControllerProps) {
    super(scope, id, 'v1', 'ReplicationController', props.metadata, props.spec);
    checkProps(this, 'ReplicationControllerProps', props, WORKLOAD_PROPS);
  }
  get podSelector(): Record<string, string> {
    // Kubernetes defaults an empty RC selector to the template's labels.
    return { ...(this.spec.selector ?? this.spec.template?.metadata?.labels) };
  }
}

export interface DeploymentProps {
  metadata?: MetadataProps;
  spec: DeploymentSpecInput;
}

/** An `apps/v1` Deployment, 1:1 with the Kubernetes object: the cluster rolls its pods on template changes. */
export class Deployment extends SpecResource<DeploymentSpecInput> implements Selectable {
  constructor(scope: Construct, id: string, props: DeploymentProps) {
    super(scope, id, 'apps/v1', 'Deployment', props.metadata, props.spec);
    checkProps(this, 'DeploymentProps', props, WORKLOAD_PROPS);
  }
  get podSelector(): Record<string, string> {
    return { ...this.spec.selector?.matchLabels };
  }
}

import type { Construct } from 'constructs';
import type { PodSpecInput, PodTemplateInput, ReplicaSetSpecInput, ReplicationControllerSpecInput } from '../api/model.ts';
import { Resource, type MetadataProps } from './resource.ts';

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
export class Pod extends Resource implements Selectable {
  readonly spec: PodSpecInput;
  constructor(scope: Construct, id: string, props: PodProps) {
    super(scope, id, 'v1', 'Pod', props.metadata);
    this.spec = props.spec;
  }
  get podSelector(): Record<string, string> {
    return { ...this.labels };
  }
  protected body(): Record<string, unknown> {
    return { spec: this.spec };
  }
}

export interface ReplicaSetProps {
  metadata?: MetadataProps;
  spec: ReplicaSetSpecInput;
}

/** An `apps/v1` ReplicaSet, 1:1 with the Kubernetes object. */
export class ReplicaSet extends Resource implements Selectable {
  readonly spec: ReplicaSetSpecInput;
  constructor(scope: Construct, id: string, props: ReplicaSetProps) {
    super(scope, id, 'apps/v1', 'ReplicaSet', props.metadata);
    this.spec = props.spec;
  }
  get podSelector(): Record<string, string> {
    return { ...this.spec.selector?.matchLabels };
  }
  protected body(): Record<string, unknown> {
    return { spec: this.spec };
  }
}

export interface ReplicationControllerProps {
  metadata?: MetadataProps;
  spec: ReplicationControllerSpecInput;
}

/** A ReplicationController, 1:1 with the Kubernetes object. */
export class ReplicationController extends Resource implements Selectable {
  readonly spec: ReplicationControllerSpecInput;
  constructor(scope: Construct, id: string, props: ReplicationControllerProps) {
    super(scope, id, 'v1', 'ReplicationController', props.metadata);
    this.spec = props.spec;
  }
  get podSelector(): Record<string, string> {
    // Kubernetes defaults an empty RC selector to the template's labels.
    const template: PodTemplateInput | undefined = this.spec.template;
    return { ...(this.spec.selector ?? template?.metadata?.labels) };
  }
  protected body(): Record<string, unknown> {
    return { spec: this.spec };
  }
}

/**
 * A kind's readiness record: what `kite apply` watches for objects of the kind, when one is
 * ready, what detail the progress view shows, and how it fails fast. One file per kind, listed
 * in index.ts; kinds without a record are ready when they exist.
 */
import type { KubeObject } from '../../api/meta.ts';
import type { Selector } from '../../api/selector.ts';

export interface Readiness {
  ready: boolean;
  /** One line for the progress view: `3/5 ready`, `ContainerCreating`, `no ready endpoints`. */
  detail: string;
  /** A definite failure, in the cluster's words; waiting longer will not help. */
  failure?: string;
  /** What kind of failure (`Unschedulable`, `CrashLoopBackOff`, `ReplicaFailure`, `Failed`, ...). */
  reason?: string;
  /** For a crash-looping container: whose logs explain it (`previous`: the container restarted). */
  logsOf?: ContainerLogRef;
}

export interface ContainerLogRef {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

/** What else is known about the object; each optional (absent = not known / not watched). */
export interface Related {
  /**
   * Pods: for a ReplicaSet/RC those it owns are picked by ownerReference uid; for a Service they
   * are only used to explain missing endpoints (matched by its selector).
   */
  pods?: readonly KubeObject[];
  /** The Endpoints object of a Service (same name). */
  endpoints?: KubeObject;
  /** EndpointSlices of a Service (label `kubernetes.io/service-name`). */
  endpointSlices?: readonly KubeObject[];
  /** Warning events about the pods (and the object); matched by involvedObject.uid, latest last. */
  events?: readonly KubeObject[];
  /**
   * The stack's manifests in the object's namespace, as planned: for a Service, whether a workload
   * of the stack (Pod, ReplicaSet, Deployment, ...) is meant to back it.
   */
  stackManifests?: readonly KubeObject[];
}

/**
 * Which pods explain an object's readiness (the wait watches them, and their Warning events, in
 * the object's namespace): the object itself is a pod, the pods it owns, or those it selects.
 */
export type PodRelation = 'self' | 'owned' | 'selected';

export interface ReadinessKind {
  /** The kinds it is for, as `Kind.group` (`ReplicaSet.apps`; core kinds bare: `Pod`). */
  groupKinds: readonly string[];
  /** The pods to watch for it, if its readiness depends on pods. */
  pods?: PodRelation;
  /** With `pods: 'selected'`: its selector (undefined: it selects nothing). */
  selector?: (obj: KubeObject) => Selector | undefined;
  /** Its Service endpoints (EndpointSlices where served, else Endpoints of its name) are watched. */
  endpoints?: boolean;
  /** It reports its own deletion (a pod is Terminating); others are simply "being deleted". */
  reportsDeletion?: boolean;
  /** Ready, a definite failure (fail fast), or what it waits for (the detail): no I/O, no clock. */
  readiness(obj: KubeObject, related: Related): Readiness;
}

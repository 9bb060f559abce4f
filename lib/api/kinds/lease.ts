/** coordination.k8s.io/v1 Lease: node heartbeats and kite's apply lock. */
import type { ObjectMeta } from '../meta.ts';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** metav1.MicroTime */
  acquireTime?: string;
  /** metav1.MicroTime */
  renewTime?: string;
  leaseTransitions?: number;
  strategy?: string;
  preferredHolder?: string;
}

// A type alias, not an interface, so that it is assignable to KubeObject (an index signature).
export type Lease = {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: ObjectMeta;
  spec?: LeaseSpec;
};

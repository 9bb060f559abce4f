/** core/v1 Event, as controllers, the scheduler and kubelets record them (and describe prints them). */
import type { ObjectMeta } from '../meta.ts';
import type { ObjectReference } from './endpoints.ts';

export interface EventSource {
  component?: string;
  host?: string;
}

// A type alias, not an interface, so that it is assignable to KubeObject (an index signature).
export type Event = {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: EventSource;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: 'Normal' | 'Warning';
  /** metav1.MicroTime */
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
};

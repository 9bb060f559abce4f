/** What a describer is: one record per kind, listed in describe/index.ts (kubectl's DescriberFor). */
import type { KubeClient, KubeObject } from '../../kube/index.ts';

/** The shared inputs of a describer. */
export interface DescribeContext {
  /** For the related lookups describe makes (events, pods, endpoint slices, leases). */
  client: KubeClient;
  /** The clock ages are computed against (ms). */
  now: number;
}

export interface Describer {
  kind: string;
  /** The API groups the kind is served from (`''` is the core group). */
  groups: readonly string[];
  describe(o: KubeObject, ctx: DescribeContext): Promise<string>;
}

/**
 * What a describer is: one record per kind, listed in describe/index.ts (kubectl's DescriberFor),
 * in two phases. `related` makes the lookups describe makes (events, a controller's pods, a
 * node's lease...) through the client and returns them as plain data; `render` turns the object
 * and that data into kubectl's text with no I/O, so it is tested on plain objects alone.
 */
import type { KubeObject } from '../../api/meta.ts';
import type { KubeClient } from '../../kube/index.ts';

export interface Describer<R = unknown> {
  kind: string;
  /** The API groups the kind is served from (`''` is the core group). */
  groups: readonly string[];
  related(o: KubeObject, client: KubeClient): Promise<R>;
  /** kubectl's text; ages are computed against `now` (ms). */
  render(o: KubeObject, related: R, now: number): string;
}

/** A lookup that failed, kept as data: kubectl prints its message where the data would be. */
export interface LookupError {
  error: string;
}

/**
 * The object as its kind's type, for kinds typed as interfaces (Node, EndpointSlice), which a
 * KubeObject does not convert to directly: the registry hands a describer only its own kind.
 */
export function asKind<T>(o: KubeObject): T {
  return o as unknown as T;
}

/** The lookups a describer makes, then its text (ages against `now`, taken before the lookups as kubectl). */
export async function describeObject<R>(d: Describer<R>, o: KubeObject, client: KubeClient, now = Date.now()): Promise<string> {
  return d.render(o, await d.related(o, client), now);
}

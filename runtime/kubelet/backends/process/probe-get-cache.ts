/**
 * An httpGet probe's URL and headers, worked out once per probe and target instead of at each of
 * its ticks: they depend only on the probe's spec, the pod IP and the resolved port, which do not
 * change while the container runs. The request bytes built from them are cached in turn by
 * http-get-plain.ts (for a frozen headers object such as this one). Lifecycle hooks do not use this: a hook runs
 * once, and its HTTPS fallback changes its URL and headers.
 */
import type { HTTPGetAction } from '../../../../lib/api/kinds/probe.ts';
import { probeHeaders, probeURL } from './action-http.ts';

export interface ProbeGet {
  /** Shared by every tick of the probe: read, never changed. */
  readonly url: URL;
  readonly headers: Record<string, string[]>;
}

interface Cached extends ProbeGet {
  host: string;
  port: number;
  userAgent: string;
}

const cache = new WeakMap<HTTPGetAction, Cached>();

export function probeGet(action: HTTPGetAction, host: string, port: number, userAgent: string): ProbeGet {
  const hit = cache.get(action);
  if (hit && hit.host === host && hit.port === port && hit.userAgent === userAgent) return hit;
  // Frozen: shared by every tick, and what tells http-get-plain.ts its request bytes may be kept.
  const headers = probeHeaders(action, userAgent);
  for (const values of Object.values(headers)) Object.freeze(values);
  const fresh: Cached = { url: probeURL(action, host, port), headers: Object.freeze(headers), host, port, userAgent };
  cache.set(action, fresh);
  return fresh;
}

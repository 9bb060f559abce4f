/**
 * Service: with a selector, ready once its Endpoints or EndpointSlices have a ready address (the
 * detail explains a miss from the pods it selects) — or at once when the stack's workloads that it
 * selects are all scaled to zero: nothing is meant to back it, so no endpoint will come. (Helm's
 * `--wait` asks less, a cluster IP; kite asks that a Service the stack backs with pods can reach
 * one.) A Service that no workload of the stack selects waits for an endpoint: its pods come from
 * elsewhere, or its selector is wrong. ExternalName and selector-less Services are ready at once.
 * Never fails fast: its pods' failures belong to their owners.
 */
import { asArr, asObj, asStr } from '../../api/kinds/fields.ts';
import type { KubeObject } from '../../api/meta.ts';
import { selectorFromSet, type Selector } from '../../api/selector.ts';
import { podReport } from './pod.ts';
import { podLabelsOf, wantsPods } from './workloads.ts';
import type { Readiness, ReadinessKind, Related } from './types.ts';

/** The Service's selector, or undefined for a selector-less (or empty-selector) Service. */
export function serviceSelector(svc: KubeObject): Selector | undefined {
  const sel = asObj(asObj(svc.spec)?.selector);
  if (!sel) return undefined;
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) if (typeof v === 'string') set[k] = v;
  return Object.keys(set).length > 0 ? selectorFromSet(set) : undefined;
}

/** Ready addresses (by IP) of an Endpoints object and EndpointSlices together. */
export function readyAddresses(related: Pick<Related, 'endpoints' | 'endpointSlices'>): Set<string> {
  const ips = new Set<string>();
  for (const subset of asArr(related.endpoints?.subsets)) {
    for (const a of asArr(asObj(subset)?.addresses)) {
      const ip = asStr(asObj(a)?.ip);
      if (ip) ips.add(ip);
    }
  }
  for (const slice of related.endpointSlices ?? []) {
    for (const ep of asArr(slice.endpoints).map((e) => asObj(e) ?? {})) {
      // conditions.ready: nil means ready (discovery/v1 EndpointConditions).
      if (asObj(ep.conditions)?.ready === false) continue;
      for (const ip of asArr(ep.addresses)) if (typeof ip === 'string') ips.add(ip);
    }
  }
  return ips;
}

function readinessOfService(svc: KubeObject, related: Related): Readiness {
  const spec = asObj(svc.spec) ?? {};
  if (spec.type === 'ExternalName') return { ready: true, detail: `ExternalName ${asStr(spec.externalName) ?? ''}`.trim() };
  const selector = serviceSelector(svc);
  if (!selector) return { ready: true, detail: 'no selector' };
  const n = readyAddresses(related).size;
  if (n > 0) return { ready: true, detail: `${n} ready endpoint${n === 1 ? '' : 's'}` };
  const backing = (related.stackManifests ?? []).filter((w) => {
    const labels = podLabelsOf(w);
    return labels !== undefined && selector.matches(labels);
  });
  if (backing.length > 0 && !backing.some(wantsPods)) {
    const names = backing.map((w) => `${w.kind}/${w.metadata.name}`).join(', ');
    return { ready: true, detail: `no endpoints: scaled to 0 (${names})` };
  }
  let detail = 'no ready endpoints';
  const ns = svc.metadata?.namespace;
  const selected = (related.pods ?? []).filter((p) => (ns === undefined || p.metadata?.namespace === ns) && !p.metadata?.deletionTimestamp && selector.matches(p.metadata?.labels));
  if (selected.length === 0) detail += '; no pods match the selector';
  else {
    const events = related.events ?? [];
    const reports = selected.map((p) => ({ pod: p, r: podReport(p, events) })).filter(({ r }) => !r.ready && !r.terminal);
    const worst = reports.find(({ r }) => r.failure) ?? reports.find(({ r }) => r.note) ?? reports[0];
    if (worst) detail += `; pod ${worst.pod.metadata.name}: ${worst.r.failure ?? worst.r.note ?? worst.r.status}`;
  }
  return { ready: false, detail };
}

export const serviceReadiness: ReadinessKind = {
  groupKinds: ['Service'],
  pods: 'selected',
  selector: serviceSelector,
  endpoints: true,
  readiness: readinessOfService,
};

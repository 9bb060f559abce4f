/** `describe service`, as kubectl's ServiceDescriber prints it (endpoints from the Service's EndpointSlices). */
import { formatLabels } from '../../api/label-format.ts';
import type { Endpoint, EndpointSlice, Event, LoadBalancerIngress, Service, ServiceSpec } from '../../api/model.ts';
import type { Describer } from './describer.ts';
import { describeEvents, eventsAbout } from './events.ts';
import { obj } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { joinHostPort } from '../../api/names.ts';
import { LEVEL_0, PrefixWriter } from './prefix-writer.ts';

const ENDPOINT_SLICES = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true } as const;

/** formatEndpointSlices: up to 3 ready `ip:port` of the named port, then ` + N more...`. */
export function formatEndpointSlices(slices: readonly EndpointSlice[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  // kubectl counts an endpoint whose ready condition is unset as ready
  const ready = (ep: Endpoint) => ep.conditions?.ready ?? true;
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    const ports = slice.ports ?? [];
    if (ports.length === 0) {
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!ready(ep)) continue;
        if (!more) list.push(ep.addresses[0] ?? '');
        count++;
      }
      continue;
    }
    for (const port of ports) {
      if (portName !== undefined && (port.name ?? '') !== portName) continue;
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!ready(ep)) continue;
        if (!more) list.push(joinHostPort(ep.addresses[0] ?? '', String(port.port ?? 0)));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function buildIngressString(ingress: readonly LoadBalancerIngress[]): string {
  return ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ');
}

/** What describe looks up for a Service: its EndpointSlices (none when the lookup fails) and events. */
export interface ServiceRelated {
  slices: EndpointSlice[];
  events: Event[];
}

export const serviceDescriber: Describer<ServiceRelated> = {
  kind: 'Service',
  groups: [''],
  async related(svc, client) {
    const meta = svc.metadata;
    let slices: EndpointSlice[];
    try {
      slices = (await client.listAll<EndpointSlice>(ENDPOINT_SLICES, { namespace: meta.namespace ?? '', labelSelector: `kubernetes.io/service-name=${meta.name ?? ''}` })).items;
    } catch {
      slices = [];
    }
    return { slices, events: await eventsAbout(client, 'Service', svc) };
  },
  render(o, { slices, events }, now) {
    return describeService(o as Service, slices, events, now);
  },
};

function describeService(svc: Service, slices: readonly EndpointSlice[], events: readonly Event[], now: number): string {
  const spec: ServiceSpec = svc.spec ?? {};
  const w = new PrefixWriter();
  printObjectHeader(w, obj(svc.metadata));
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.write(LEVEL_0, `LoadBalancer Ingress:\t${buildIngressString(ingress)}\n`);
  for (const sp of spec.ports ?? []) {
    const name = sp.name || '<unset>';
    const protocol = sp.protocol ?? '';
    w.write(LEVEL_0, `Port:\t${name}\t${sp.port}/${protocol}\n`);
    w.write(LEVEL_0, `TargetPort:\t${sp.targetPort ?? ''}/${protocol}\n`);
    if (sp.appProtocol !== undefined) w.write(LEVEL_0, `AppProtocol:\t${sp.appProtocol}\n`);
    if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${protocol}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, sp.name ?? '')}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy !== undefined) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution !== undefined) w.write(LEVEL_0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeEvents(events, w, now);
  return w.toString();
}

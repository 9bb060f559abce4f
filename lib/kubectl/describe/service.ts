/** `describe service`, as kubectl's ServiceDescriber prints it (endpoints from the Service's EndpointSlices). */
import type { Obj } from '../../api/kinds/fields.ts';
import { formatLabels } from '../../api/label-format.ts';
import type { Service } from '../../api/model.ts';
import type { Describer } from './describer.ts';
import { describeEvents, eventsAbout } from './events.ts';
import { arr, int, obj, str, strs } from './fields.ts';
import { printObjectHeader } from './multiline.ts';
import { joinHostPort } from './probe.ts';
import { LEVEL_0, PrefixWriter } from './prefix-writer.ts';

const ENDPOINT_SLICES = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true } as const;

/** formatEndpointSlices: up to 3 ready `ip:port` of the named port, then ` + N more...`. */
export function formatEndpointSlices(slices: readonly Obj[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const slice of slices) {
    const endpoints = arr(slice.endpoints);
    const ports = arr(slice.ports);
    const ready = (ep: Obj) => {
      const r = obj(ep.conditions).ready;
      return r === undefined || r === null || r === true;
    };
    if (ports.length === 0) {
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!ready(ep)) continue;
        if (!more) list.push(strs(ep.addresses)[0] ?? '');
        count++;
      }
      continue;
    }
    for (const port of ports) {
      if (portName !== undefined && str(port.name) !== portName) continue;
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (!ready(ep)) continue;
        if (!more) list.push(joinHostPort(strs(ep.addresses)[0] ?? '', String(int(port.port))));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function buildIngressString(ingress: Obj[]): string {
  return ingress.map((i) => (str(i.ip) !== '' ? `${str(i.ip)}${i.ipMode ? ` (${str(i.ipMode)})` : ''}` : str(i.hostname))).join(', ');
}

export const serviceDescriber: Describer = {
  kind: 'Service',
  groups: [''],
  async describe(o, ctx) {
    const svc = o as Service;
    const meta = obj(svc.metadata);
    let slices: Obj[] = [];
    try {
      slices = (await ctx.client.listAll(ENDPOINT_SLICES, { namespace: str(meta.namespace), labelSelector: `kubernetes.io/service-name=${str(meta.name)}` })).items;
    } catch {
      slices = [];
    }
    const events = await eventsAbout(ctx, 'Service', meta);
    return describeServiceText(svc, slices, events, ctx.now);
  },
};

export function describeServiceText(svc: Service, slices: readonly Obj[], events: readonly Obj[], now: number): string {
  const meta = obj(svc.metadata);
  const spec = obj(svc.spec);
  const status = obj(svc.status);
  const w = new PrefixWriter();
  printObjectHeader(w, meta);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${str(spec.type)}\n`);
  if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${str(spec.ipFamilyPolicy)}\n`);
  const families = strs(spec.ipFamilies);
  w.write(LEVEL_0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${str(spec.clusterIP)}\n`);
  const ips = strs(spec.clusterIPs);
  w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
  const externalIPs = strs(spec.externalIPs);
  if (externalIPs.length > 0) w.write(LEVEL_0, `External IPs:\t${externalIPs.join(',')}\n`);
  if (str(spec.loadBalancerIP) !== '') w.write(LEVEL_0, `Desired LoadBalancer IP:\t${str(spec.loadBalancerIP)}\n`);
  if (str(spec.externalName) !== '') w.write(LEVEL_0, `External Name:\t${str(spec.externalName)}\n`);
  const ingress = arr(obj(status.loadBalancer).ingress);
  if (ingress.length > 0) w.write(LEVEL_0, `LoadBalancer Ingress:\t${buildIngressString(ingress)}\n`);
  for (const sp of arr(spec.ports)) {
    const name = str(sp.name) === '' ? '<unset>' : str(sp.name);
    const protocol = str(sp.protocol);
    w.write(LEVEL_0, `Port:\t${name}\t${int(sp.port)}/${protocol}\n`);
    if (typeof sp.targetPort === 'number') w.write(LEVEL_0, `TargetPort:\t${int(sp.targetPort)}/${protocol}\n`);
    else w.write(LEVEL_0, `TargetPort:\t${str(sp.targetPort)}/${protocol}\n`);
    if (sp.appProtocol !== undefined && sp.appProtocol !== null) w.write(LEVEL_0, `AppProtocol:\t${str(sp.appProtocol)}\n`);
    if (int(sp.nodePort) !== 0) w.write(LEVEL_0, `NodePort:\t${name}\t${int(sp.nodePort)}/${protocol}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, str(sp.name))}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
  if (str(spec.externalTrafficPolicy) !== '') w.write(LEVEL_0, `External Traffic Policy:\t${str(spec.externalTrafficPolicy)}\n`);
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== null) w.write(LEVEL_0, `Internal Traffic Policy:\t${str(spec.internalTrafficPolicy)}\n`);
  if (int(spec.healthCheckNodePort) !== 0) w.write(LEVEL_0, `HealthCheck NodePort:\t${int(spec.healthCheckNodePort)}\n`);
  const ranges = strs(spec.loadBalancerSourceRanges);
  if (ranges.length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${ranges.join(',')}\n`);
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== null) w.write(LEVEL_0, `Traffic Distribution:\t${str(spec.trafficDistribution)}\n`);
  describeEvents(events, w, now);
  return w.toString();
}


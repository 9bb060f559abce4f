/** `describe service`, `describe endpoints` and `describe endpointslice`, as kubectl prints them. */
import {
  arr,
  describeEvents,
  int,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  obj,
  printAnnotationsMultiline,
  printLabelsMultiline,
  PrefixWriter,
  searchEvents,
  str,
  strs,
  type DescribeContext,
  type Obj,
} from './common.ts';
import { joinHostPort } from './pod.ts';
import { formatLabels } from './selectors.ts';

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

export async function describeService(svc: Obj, ctx: DescribeContext): Promise<string> {
  const meta = obj(svc.metadata);
  let slices: Obj[] = [];
  try {
    const list = await ctx.client.listAll(ENDPOINT_SLICES, { namespace: str(meta.namespace), labelSelector: `kubernetes.io/service-name=${str(meta.name)}` });
    slices = list.items as unknown as Obj[];
  } catch {
    slices = [];
  }
  const events = await searchEvents(ctx.client, { kind: 'Service', name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  return describeServiceText(svc, slices, events, ctx.now);
}

export function describeServiceText(svc: Obj, slices: readonly Obj[], events: readonly Obj[], now: number): string {
  const meta = obj(svc.metadata);
  const spec = obj(svc.spec);
  const status = obj(svc.status);
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
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

export async function describeEndpoints(ep: Obj, ctx: DescribeContext): Promise<string> {
  const meta = obj(ep.metadata);
  const events = await searchEvents(ctx.client, { kind: 'Endpoints', name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, 'Subsets:\n');
  for (const subset of arr(ep.subsets)) {
    const addresses = arr(subset.addresses)
      .map((a) => str(a.ip))
      .join(',');
    w.write(LEVEL_1, `Addresses:\t${addresses || '<none>'}\n`);
    const notReady = arr(subset.notReadyAddresses)
      .map((a) => str(a.ip))
      .join(',');
    w.write(LEVEL_1, `NotReadyAddresses:\t${notReady || '<none>'}\n`);
    const ports = arr(subset.ports);
    if (ports.length > 0) {
      w.write(LEVEL_1, 'Ports:\n');
      w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_2, '----\t----\t--------\n');
      for (const p of ports) w.write(LEVEL_2, `${str(p.name) || '<unset>'}\t${int(p.port)}\t${str(p.protocol)}\n`);
    }
    w.write(LEVEL_0, '\n');
  }
  describeEvents(events, w, ctx.now);
  return w.toString();
}

export async function describeEndpointSlice(eps: Obj, ctx: DescribeContext): Promise<string> {
  const meta = obj(eps.metadata);
  const events = await searchEvents(ctx.client, { kind: 'EndpointSlice', name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, `AddressType:\t${str(eps.addressType)}\n`);
  const ports = arr(eps.ports);
  if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n');
  else {
    w.write(LEVEL_0, 'Ports:\n');
    w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    for (const p of ports) {
      const name = str(p.name) || '<unset>';
      const port = typeof p.port === 'number' ? String(int(p.port)) : '<unset>';
      w.write(LEVEL_1, `${name}\t${port}\t${str(p.protocol)}\n`);
    }
  }
  const endpoints = arr(eps.endpoints);
  if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n');
  else {
    w.write(LEVEL_0, 'Endpoints:\n');
    for (const ep of endpoints) {
      w.write(LEVEL_1, `- Addresses:\t${strs(ep.addresses).join(', ') || '<none>'}\n`);
      w.write(LEVEL_2, 'Conditions:\n');
      const ready = obj(ep.conditions).ready;
      w.write(LEVEL_3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`);
      w.write(LEVEL_2, `Hostname:\t${typeof ep.hostname === 'string' ? ep.hostname : '<unset>'}\n`);
      if (ep.targetRef) w.write(LEVEL_2, `TargetRef:\t${str(obj(ep.targetRef).kind)}/${str(obj(ep.targetRef).name)}\n`);
      w.write(LEVEL_2, `NodeName:\t${typeof ep.nodeName === 'string' ? ep.nodeName : '<unset>'}\n`);
      w.write(LEVEL_2, `Zone:\t${typeof ep.zone === 'string' ? ep.zone : '<unset>'}\n`);
    }
  }
  describeEvents(events, w, ctx.now);
  return w.toString();
}

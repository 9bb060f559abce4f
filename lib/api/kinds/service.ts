/**
 * Service v1 and ValidateService / validateServicePort from pkg/apis/core/validation.
 *
 * Validation runs on what the user wrote, before API defaulting: an absent type means
 * ClusterIP, an absent protocol TCP, an absent or zero targetPort "same as port".
 */
import { z } from 'zod';
import { clusterWritten, type ServiceStatus } from './status.ts';
import { joinPath } from '../diagnostics.ts';
import { goLiteral } from '../go-value.ts';
import { goQuote, isQualifiedName, validateLabels } from '../labels.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { Protocols } from './container.ts';
import {
  asArr,
  asInt,
  asObj,
  asStr,
  asStrList,
  asStrMap,
  checkRange,
  duplicate,
  forbidden,
  invalid,
  invalidEach,
  isSet,
  required,
  zBool,
  zInt,
  zIntOrString,
  zStr,
  zStringMap,
  zStrList,
  type Obj,
  type Out,
} from './fields.ts';
import { validateCIDR, validateIP, validateNonSpecialIP, validatePortNumOrName } from './formats.ts';

export const ServiceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceType = (typeof ServiceTypes)[number];

export const ServicePortSchema = z.strictObject({
  name: zStr.optional(),
  protocol: z.enum(Protocols).optional(),
  appProtocol: zStr.optional(),
  port: zInt,
  targetPort: zIntOrString.optional(),
  nodePort: zInt.optional(),
});

export const SessionAffinityConfigSchema = z.strictObject({
  clientIP: z.strictObject({ timeoutSeconds: zInt.optional() }).optional(),
});

export const ServiceSpecSchema = z.strictObject({
  ports: z.array(ServicePortSchema).optional(),
  selector: zStringMap.optional(),
  clusterIP: zStr.optional(),
  clusterIPs: zStrList.optional(),
  type: z.enum(ServiceTypes).optional(),
  externalIPs: zStrList.optional(),
  sessionAffinity: z.enum(['ClientIP', 'None']).optional(),
  loadBalancerIP: zStr.optional(),
  loadBalancerSourceRanges: zStrList.optional(),
  externalName: zStr.optional(),
  externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
  healthCheckNodePort: zInt.optional(),
  publishNotReadyAddresses: zBool.optional(),
  sessionAffinityConfig: SessionAffinityConfigSchema.optional(),
  ipFamilies: z.array(z.enum(['IPv4', 'IPv6'])).optional(),
  ipFamilyPolicy: z.enum(['SingleStack', 'PreferDualStack', 'RequireDualStack']).optional(),
  allocateLoadBalancerNodePorts: zBool.optional(),
  loadBalancerClass: zStr.optional(),
  internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
  trafficDistribution: zStr.optional(),
});

export const ServiceSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: ObjectMetaSchema,
  spec: ServiceSpecSchema.optional(),
  status: clusterWritten<ServiceStatus>().optional(),
});

export type ServicePort = z.output<typeof ServicePortSchema>;
export type ServicePortInput = z.input<typeof ServicePortSchema>;
export type ServiceSpec = z.output<typeof ServiceSpecSchema>;
export type ServiceSpecInput = z.input<typeof ServiceSpecSchema>;
export type Service = z.output<typeof ServiceSchema>;
export type ServiceInput = z.input<typeof ServiceSchema>;

/** clusterIP "None" (or clusterIPs ["None"]) makes a headless service. */
export function isHeadless(spec: Obj | undefined): boolean {
  if (!spec) return false;
  const ips = asStrList(spec.clusterIPs);
  return spec.clusterIP === 'None' || (ips.length === 1 && ips[0] === 'None');
}

function validateServicePorts(out: Out, spec: Obj): void {
  const ports = asArr(spec.ports);
  const names = new Set<string>();
  const seen = new Set<string>();
  const seenNodePorts = new Set<string>();
  const type = asStr(spec.type) ?? 'ClusterIP';
  ports.forEach((item, i) => {
    const sp = asObj(item);
    if (!sp) return;
    const p = joinPath('spec.ports', i);
    const name = asStr(sp.name);
    if (ports.length > 1 && (sp.name === undefined || name === '')) required(out, joinPath(p, 'name'));
    else if (name) {
      invalidEach(out, joinPath(p, 'name'), name, isDNS1123Label(name));
      if (names.has(name)) duplicate(out, joinPath(p, 'name'), name);
      else names.add(name);
    }
    checkRange(out, joinPath(p, 'port'), sp.port, 1, 65535);
    // targetPort 0 / "" is defaulted to port by the API server.
    if (sp.targetPort !== 0 && sp.targetPort !== '') validatePortNumOrName(out, joinPath(p, 'targetPort'), sp.targetPort);
    const appProtocol = asStr(sp.appProtocol);
    if (appProtocol !== undefined) invalidEach(out, joinPath(p, 'appProtocol'), appProtocol, isQualifiedName(appProtocol));
    if (sp.nodePort !== 0) checkRange(out, joinPath(p, 'nodePort'), sp.nodePort, 1, 65535);
    const protocol = asStr(sp.protocol) ?? 'TCP';
    const nodePort = asInt(sp.nodePort);
    if (nodePort) {
      if (type === 'ClusterIP') forbidden(out, joinPath(p, 'nodePort'), "may not be used when `type` is 'ClusterIP'");
      const key = `${protocol}/${nodePort}`;
      if (seenNodePorts.has(key)) duplicate(out, joinPath(p, 'nodePort'), nodePort);
      seenNodePorts.add(key);
    }
    const port = asInt(sp.port);
    if (port !== undefined) {
      const key = `${protocol}/${port}`;
      if (seen.has(key)) duplicate(out, p, goLiteral(`core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`));
      seen.add(key);
    }
  });
}

function validateClusterIPs(out: Out, spec: Obj, type: string): void {
  const clusterIP = asStr(spec.clusterIP);
  const clusterIPs = asStrList(spec.clusterIPs);
  if (type === 'ExternalName') {
    if (clusterIP) forbidden(out, 'spec.clusterIP', 'may not be set for ExternalName services');
    else if (clusterIPs.length > 0) forbidden(out, 'spec.clusterIPs', 'may not be set for ExternalName services');
    return;
  }
  if (clusterIP && clusterIP !== 'None') validateIP(out, 'spec.clusterIP', clusterIP);
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None') {
      if (clusterIPs.length > 1) invalid(out, joinPath('spec.clusterIPs', i), ip, "'None' must be the first and only value");
    } else if (ip) {
      validateIP(out, joinPath('spec.clusterIPs', i), ip);
    }
  });
  if (clusterIP && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP) {
    invalid(out, 'spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`');
  }
  if (isHeadless(spec) && (type === 'LoadBalancer' || type === 'NodePort')) {
    const path = clusterIP ? 'spec.clusterIP' : 'spec.clusterIPs[0]';
    invalid(out, path, 'None', `may not be set to 'None' for ${type} services`);
  }
}

/** ValidateService (create). */
export function validateService(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-1035-label', namespaced: true });
  const spec = asObj(raw.spec) ?? {};
  const type = asStr(spec.type) ?? 'ClusterIP';
  const portsMalformed = isSet(spec.ports) && !Array.isArray(spec.ports); // reported by the schema
  if (asArr(spec.ports).length === 0 && !portsMalformed && !isHeadless(spec) && type !== 'ExternalName') {
    required(out, 'spec.ports');
  }
  if (type === 'ExternalName') {
    if (asArr(spec.ipFamilies).length > 0) forbidden(out, 'spec.ipFamilies', 'may not be set for ExternalName services');
    if (isSet(spec.ipFamilyPolicy)) forbidden(out, 'spec.ipFamilyPolicy', 'may not be set for ExternalName services');
    const name = asStr(spec.externalName);
    const cname = name?.endsWith('.') ? name.slice(0, -1) : name;
    if (cname) invalidEach(out, 'spec.externalName', cname, isDNS1123Subdomain(cname));
    else if (name !== undefined || spec.externalName === undefined) required(out, 'spec.externalName');
  }
  validateClusterIPs(out, spec, type);
  validateServicePorts(out, spec);
  const selector = asStrMap(spec.selector);
  if (selector) out.push(...validateLabels(selector, 'spec.selector'));

  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = asObj(asObj(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds;
    const seconds = asInt(timeout);
    // validateClientIPAffinityConfig; the value is a *int32, printed dereferenced.
    if (seconds !== undefined && (seconds <= 0 || seconds > 86400)) {
      invalid(out, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', seconds, 'must be greater than 0 and less than 86400');
    }
  } else if (isSet(spec.sessionAffinityConfig) && (spec.sessionAffinity === undefined || spec.sessionAffinity === 'None')) {
    forbidden(out, 'spec.sessionAffinityConfig', 'must not be set when session affinity is None');
  }

  asStrList(spec.externalIPs).forEach((ip, i) => {
    const p = joinPath('spec.externalIPs', i);
    if (validateIP(out, p, ip)) validateNonSpecialIP(out, p, ip);
  });

  const ranges = asStrList(spec.loadBalancerSourceRanges);
  if (ranges.length > 0) {
    if (type !== 'LoadBalancer') forbidden(out, 'spec.loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'");
    ranges.forEach((r, i) => validateCIDR(out, joinPath('spec.loadBalancerSourceRanges', i), r.trim()));
  }
  if (isSet(spec.allocateLoadBalancerNodePorts) && type !== 'LoadBalancer') {
    forbidden(out, 'spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'");
  }
  if (isSet(spec.loadBalancerClass) && type !== 'LoadBalancer') {
    forbidden(out, 'spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'");
  }
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && asArr(spec.externalIPs).length > 0);
  if (isSet(spec.externalTrafficPolicy) && !externallyAccessible) {
    invalid(out, 'spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services');
  }
  const hc = asInt(spec.healthCheckNodePort);
  if (hc) {
    if (type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local') {
      invalid(out, 'spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
    } else {
      checkRange(out, 'spec.healthCheckNodePort', hc, 1, 65535);
    }
  }
}

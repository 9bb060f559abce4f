/**
 * discovery.k8s.io/v1 EndpointSlice, as the endpoint slice controllers write them, and
 * ValidateEndpointSlice (pkg/apis/discovery/validation): addresses of the slice's type, at
 * most 1000 endpoints of 1 to 100 addresses, at most 20000 ports with valid numbers and names.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName } from '../labels.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { Protocols } from './container.ts';
import { ObjectReferenceSchema } from './endpoints.ts';
import { asArr, asObj, asStr, checkRange, duplicate, invalidEach, notSupported, required, tooMany, zBool, zInt, zStr, zStringMap, zStrList, type Obj, type Out } from './fields.ts';
import { parseIP, validateIP, validateNonSpecialIP } from './formats.ts';

export const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

export const EndpointConditionsSchema = z.strictObject({
  ready: zBool.optional(),
  serving: zBool.optional(),
  terminating: zBool.optional(),
});

export const EndpointSchema = z.strictObject({
  addresses: zStrList,
  conditions: EndpointConditionsSchema.optional(),
  hostname: zStr.optional(),
  targetRef: ObjectReferenceSchema.optional(),
  deprecatedTopology: zStringMap.optional(),
  nodeName: zStr.optional(),
  zone: zStr.optional(),
  hints: z.strictObject({ forZones: z.array(z.strictObject({ name: zStr })).optional(), forNodes: z.array(z.strictObject({ name: zStr })).optional() }).optional(),
});

export const EndpointSlicePortSchema = z.strictObject({
  name: zStr.optional(),
  // A string in the type (the controllers copy Service protocols); checked semantically.
  protocol: zStr.optional(),
  port: zInt.optional(),
  appProtocol: zStr.optional(),
});

export const EndpointSliceSchema = z.strictObject({
  apiVersion: z.literal('discovery.k8s.io/v1'),
  kind: z.literal('EndpointSlice'),
  metadata: ObjectMetaSchema,
  addressType: z.enum(ADDRESS_TYPES),
  endpoints: z.array(EndpointSchema),
  ports: z.array(EndpointSlicePortSchema).optional(),
});

export type EndpointConditions = z.output<typeof EndpointConditionsSchema>;
export type Endpoint = z.output<typeof EndpointSchema>;
export type EndpointSlicePort = z.output<typeof EndpointSlicePortSchema>;
export type EndpointSlice = z.output<typeof EndpointSliceSchema>;
export type EndpointSliceInput = z.input<typeof EndpointSliceSchema>;

const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

function validateAddress(out: Out, path: string, type: string | undefined, address: string): void {
  if (type === 'FQDN') return invalidEach(out, path, address, isDNS1123Subdomain(address));
  if (type !== 'IPv4' && type !== 'IPv6') return;
  if (!validateIP(out, path, address)) return;
  const family = parseIP(address)!.length === 4 ? 'IPv4' : 'IPv6';
  if (family !== type) invalidEach(out, path, address, [`must be a valid ${type} address`]);
  else validateNonSpecialIP(out, path, address);
}

/** ValidateEndpointSlice */
export function validateEndpointSlice(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const type = asStr(raw.addressType);
  const endpoints = asArr(raw.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) tooMany(out, 'endpoints', endpoints.length, MAX_ENDPOINTS);
  endpoints.forEach((e, i) => {
    const ep = asObj(e);
    if (!ep) return;
    const p = joinPath('endpoints', i);
    const addresses = asArr(ep.addresses);
    if (addresses.length === 0) required(out, joinPath(p, 'addresses'), 'must contain at least 1 address');
    else if (addresses.length > MAX_ADDRESSES) tooMany(out, joinPath(p, 'addresses'), addresses.length, MAX_ADDRESSES);
    addresses.forEach((a, j) => typeof a === 'string' && validateAddress(out, joinPath(joinPath(p, 'addresses'), j), type, a));
    const hostname = asStr(ep.hostname);
    if (hostname) invalidEach(out, joinPath(p, 'hostname'), hostname, isDNS1123Label(hostname));
    const nodeName = asStr(ep.nodeName);
    if (nodeName) invalidEach(out, joinPath(p, 'nodeName'), nodeName, isDNS1123Subdomain(nodeName));
  });
  const ports = asArr(raw.ports);
  if (ports.length > MAX_PORTS) tooMany(out, 'ports', ports.length, MAX_PORTS);
  const names = new Set<string>();
  ports.forEach((pt, i) => {
    const port = asObj(pt);
    if (!port) return;
    const p = joinPath('ports', i);
    const name = asStr(port.name) ?? '';
    if (name !== '') invalidEach(out, joinPath(p, 'name'), name, isDNS1123Label(name));
    if (names.has(name)) duplicate(out, joinPath(p, 'name'), name);
    names.add(name);
    checkRange(out, joinPath(p, 'port'), port.port, 1, 65535);
    const protocol = asStr(port.protocol);
    if (protocol !== undefined && !(Protocols as readonly string[]).includes(protocol)) notSupported(out, joinPath(p, 'protocol'), protocol, Protocols);
    const appProtocol = asStr(port.appProtocol);
    if (appProtocol !== undefined) invalidEach(out, joinPath(p, 'appProtocol'), appProtocol, isQualifiedName(appProtocol));
  });
}

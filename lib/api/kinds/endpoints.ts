/**
 * Endpoints v1 (subsets of addresses, notReadyAddresses and ports) and ValidateEndpoints /
 * validateEndpointSubsets / validateEndpointAddress / validateEndpointPort.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName } from '../labels.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { Protocols } from './container.ts';
import { asArr, asObj, asStr, checkRange, duplicate, invalidEach, required, zInt, zStr, type Obj, type Out } from './fields.ts';
import { validateIP, validateNonSpecialIP } from './formats.ts';

export const ObjectReferenceSchema = z.strictObject({
  kind: zStr.optional(),
  namespace: zStr.optional(),
  name: zStr.optional(),
  uid: zStr.optional(),
  apiVersion: zStr.optional(),
  resourceVersion: zStr.optional(),
  fieldPath: zStr.optional(),
});

export const EndpointAddressSchema = z.strictObject({
  ip: zStr,
  hostname: zStr.optional(),
  nodeName: zStr.optional(),
  targetRef: ObjectReferenceSchema.optional(),
});

export const EndpointPortSchema = z.strictObject({
  name: zStr.optional(),
  port: zInt,
  protocol: z.enum(Protocols).optional(),
  appProtocol: zStr.optional(),
});

export const EndpointSubsetSchema = z.strictObject({
  addresses: z.array(EndpointAddressSchema).optional(),
  notReadyAddresses: z.array(EndpointAddressSchema).optional(),
  ports: z.array(EndpointPortSchema).optional(),
});

export const EndpointsSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Endpoints'),
  metadata: ObjectMetaSchema,
  subsets: z.array(EndpointSubsetSchema).optional(),
});

export type ObjectReference = z.output<typeof ObjectReferenceSchema>;
export type EndpointAddress = z.output<typeof EndpointAddressSchema>;
export type EndpointAddressInput = z.input<typeof EndpointAddressSchema>;
export type EndpointPort = z.output<typeof EndpointPortSchema>;
export type EndpointPortInput = z.input<typeof EndpointPortSchema>;
export type EndpointSubset = z.output<typeof EndpointSubsetSchema>;
export type EndpointSubsetInput = z.input<typeof EndpointSubsetSchema>;
export type Endpoints = z.output<typeof EndpointsSchema>;
export type EndpointsInput = z.input<typeof EndpointsSchema>;

function validateAddress(out: Out, path: string, raw: unknown): void {
  const a = asObj(raw);
  if (!a) return;
  const ip = asStr(a.ip);
  if (ip !== undefined && validateIP(out, joinPath(path, 'ip'), ip)) validateNonSpecialIP(out, joinPath(path, 'ip'), ip);
  const hostname = asStr(a.hostname);
  if (hostname) invalidEach(out, joinPath(path, 'hostname'), hostname, isDNS1123Label(hostname));
  const nodeName = asStr(a.nodeName);
  if (nodeName !== undefined) invalidEach(out, joinPath(path, 'nodeName'), nodeName, isDNS1123Subdomain(nodeName));
}

/** ValidateEndpoints (create). Port names are also required to be unique within a subset. */
export function validateEndpoints(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  asArr(raw.subsets).forEach((item, i) => {
    const ss = asObj(item);
    if (!ss) return;
    const p = joinPath('subsets', i);
    const addresses = asArr(ss.addresses);
    const notReady = asArr(ss.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) required(out, p, 'must specify `addresses` or `notReadyAddresses`');
    addresses.forEach((a, j) => validateAddress(out, joinPath(joinPath(p, 'addresses'), j), a));
    notReady.forEach((a, j) => validateAddress(out, joinPath(joinPath(p, 'notReadyAddresses'), j), a));
    const ports = asArr(ss.ports);
    const names = new Set<string>();
    ports.forEach((pt, j) => {
      const port = asObj(pt);
      if (!port) return;
      const pp = joinPath(joinPath(p, 'ports'), j);
      const name = asStr(port.name);
      if (ports.length > 1 && (port.name === undefined || name === '')) required(out, joinPath(pp, 'name'));
      else if (name) {
        invalidEach(out, joinPath(pp, 'name'), name, isDNS1123Label(name));
        if (names.has(name)) duplicate(out, joinPath(pp, 'name'), name);
        names.add(name);
      }
      checkRange(out, joinPath(pp, 'port'), port.port, 1, 65535);
      const appProtocol = asStr(port.appProtocol);
      if (appProtocol !== undefined) invalidEach(out, joinPath(pp, 'appProtocol'), appProtocol, isQualifiedName(appProtocol));
    });
  });
}

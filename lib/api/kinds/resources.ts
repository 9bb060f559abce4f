/**
 * Compute resources (core/v1 ResourceRequirements) and ValidateContainerResourceRequirements /
 * validateContainerResourceName / ValidateResourceQuantityValue from pkg/apis/core/validation.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName } from '../labels.ts';
import { parseQuantity, type Quantity } from '../quantity.ts';
import { asObj, forbidden, invalid, invalidEach, keyPath, required, zQuantityMap, type Out } from './fields.ts';

export const ResourceRequirementsSchema = z.strictObject({
  limits: zQuantityMap.optional(),
  requests: zQuantityMap.optional(),
});

export type ResourceRequirements = z.output<typeof ResourceRequirementsSchema>;
export type ResourceRequirementsInput = z.input<typeof ResourceRequirementsSchema>;

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers', 'requests.cpu', 'requests.memory',
  'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);

const isHugePages = (n: string): boolean => n.startsWith('hugepages-');
const isNativeResource = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/');
const isExtendedResource = (n: string): boolean =>
  !isNativeResource(n) && !n.startsWith('requests.') && isQualifiedName(`requests.${n}`).length === 0;
const isOvercommitAllowed = (n: string): boolean => isNativeResource(n) && !isHugePages(n);

/** validateContainerResourceName */
function validateContainerResourceName(out: Out, path: string, name: string): void {
  const msgs = isQualifiedName(name);
  if (msgs.length) return invalidEach(out, path, name, msgs);
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name)) invalid(out, path, name, 'must be a standard resource type or fully qualified');
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) invalid(out, path, name, 'must be a standard resource for containers');
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    invalid(out, path, name, "doesn't follow extended resource name standard");
  }
}

function parseList(out: Out, path: string, raw: unknown): Map<string, Quantity> {
  const parsed = new Map<string, Quantity>();
  const m = asObj(raw);
  if (!m) return parsed;
  for (const name of Object.keys(m).sort()) {
    const v = m[name];
    const p = keyPath(path, name);
    validateContainerResourceName(out, p, name);
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    let q: Quantity;
    try {
      q = parseQuantity(v);
    } catch (e) {
      invalid(out, p, String(v), (e as Error).message);
      continue;
    }
    if (q.sign() < 0) invalid(out, p, q.toString(), 'must be greater than or equal to 0');
    if (isExtendedResource(name) && q.milliValue() % 1000n !== 0n) invalid(out, p, q.toString(), 'must be an integer');
    parsed.set(name, q);
  }
  return parsed;
}

/** ValidateContainerResourceRequirements */
export function validateResources(out: Out, path: string, raw: unknown): void {
  const r = asObj(raw);
  if (!r) return;
  const limPath = joinPath(path, 'limits');
  const reqPath = joinPath(path, 'requests');
  const limits = parseList(out, limPath, r.limits);
  const requests = parseList(out, reqPath, r.requests);
  for (const [name, q] of requests) {
    const lim = limits.get(name);
    const limSet = asObj(r.limits)?.[name] !== undefined;
    if (lim) {
      if (!isOvercommitAllowed(name) && q.cmp(lim) !== 0) {
        invalid(out, reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`);
      } else if (q.cmp(lim) > 0) {
        invalid(out, reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`);
      }
    } else if (!limSet && !isOvercommitAllowed(name)) {
      required(out, limPath, 'Limit must be set for non overcommitable resources');
    }
  }
  const all = [...limits.keys(), ...requests.keys()];
  if (all.some(isHugePages) && !all.some((n) => n === 'cpu' || n === 'memory')) forbidden(out, path, 'HugePages require cpu or memory');
}

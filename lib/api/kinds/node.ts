/**
 * Node v1, as kubelets register and report themselves (core/v1 types.go, Go field order), and
 * ValidateNode (pkg/apis/core/validation): the name, taints, pod CIDRs, and capacity and
 * allocatable quantities. The status is the kubelet's, but it is checked too: a capacity that
 * is not a quantity would break the scheduler and `kubectl describe node`.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName, isValidLabelValue } from '../labels.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { parseQuantity } from '../quantity.ts';
import { asArr, asObj, asStr, duplicate, invalid, invalidEach, keyPath, zAnyObject, zBool, zInt, zQuantityMap, zStr, zStrList, type Obj, type Out } from './fields.ts';
import { validateCIDR, validateTime } from './formats.ts';
import type { Condition } from './status.ts';
import { compareGoStrings } from '../go-order.ts';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export const TaintSchema = z.strictObject({
  key: zStr,
  value: zStr.optional(),
  effect: z.enum(TAINT_EFFECTS),
  timeAdded: zStr.nullable().optional(),
});

export const NodeSpecSchema = z.strictObject({
  podCIDR: zStr.optional(),
  podCIDRs: zStrList.optional(),
  providerID: zStr.optional(),
  unschedulable: zBool.optional(),
  taints: z.array(TaintSchema).optional(),
  configSource: zAnyObject.optional(),
  externalID: zStr.optional(),
});

export type NodeConditionType = 'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'NetworkUnavailable' | (string & {});
export type NodeCondition = Condition<NodeConditionType>;

const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export const NodeConditionSchema = z.strictObject({
  type: zStr as unknown as z.ZodType<NodeConditionType, NodeConditionType>,
  status: z.enum(CONDITION_STATUSES),
  lastHeartbeatTime: zStr.nullable().optional(),
  lastTransitionTime: zStr.nullable().optional(),
  reason: zStr.optional(),
  message: zStr.optional(),
});

export const NODE_ADDRESS_TYPES = ['Hostname', 'InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS'] as const;

export const NodeAddressSchema = z.strictObject({
  type: z.enum(NODE_ADDRESS_TYPES),
  address: zStr,
});

export const NodeSystemInfoSchema = z.strictObject({
  machineID: zStr,
  systemUUID: zStr,
  bootID: zStr,
  kernelVersion: zStr,
  osImage: zStr,
  containerRuntimeVersion: zStr,
  kubeletVersion: zStr,
  kubeProxyVersion: zStr,
  operatingSystem: zStr,
  architecture: zStr,
  swap: zAnyObject.optional(),
});

export const NodeStatusSchema = z.strictObject({
  capacity: zQuantityMap.optional(),
  allocatable: zQuantityMap.optional(),
  phase: zStr.optional(),
  conditions: z.array(NodeConditionSchema).optional(),
  addresses: z.array(NodeAddressSchema).optional(),
  daemonEndpoints: z.strictObject({ kubeletEndpoint: z.strictObject({ Port: zInt }).optional() }).optional(),
  nodeInfo: NodeSystemInfoSchema.optional(),
  images: z.array(z.strictObject({ names: zStrList.optional(), sizeBytes: zInt.optional() })).optional(),
  volumesInUse: zStrList.optional(),
  volumesAttached: z.array(zAnyObject).optional(),
  config: zAnyObject.optional(),
  runtimeHandlers: z.array(zAnyObject).optional(),
  features: zAnyObject.optional(),
});

export const NodeSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Node'),
  metadata: ObjectMetaSchema,
  spec: NodeSpecSchema.optional(),
  status: NodeStatusSchema.optional(),
});

export type Taint = z.output<typeof TaintSchema>;
export type NodeSpec = z.output<typeof NodeSpecSchema>;
export type NodeAddress = z.output<typeof NodeAddressSchema>;
export type NodeSystemInfo = z.output<typeof NodeSystemInfoSchema>;
export type NodeStatus = z.output<typeof NodeStatusSchema>;
export type Node = z.output<typeof NodeSchema>;
export type NodeInput = z.input<typeof NodeSchema>;

/** validateTaints: a qualified key, a label-value value, no two taints with the same key and effect. */
function validateTaints(out: Out, path: string, raw: unknown): void {
  const seen = new Set<string>();
  asArr(raw).forEach((t, i) => {
    const taint = asObj(t);
    if (!taint) return;
    const p = joinPath(path, i);
    const key = asStr(taint.key);
    if (key !== undefined) invalidEach(out, joinPath(p, 'key'), key, isQualifiedName(key));
    const value = asStr(taint.value);
    if (value !== undefined) invalidEach(out, joinPath(p, 'value'), value, isValidLabelValue(value));
    const effect = asStr(taint.effect);
    const id = `${key}|${effect}`;
    if (seen.has(id)) duplicate(out, p, { key, effect });
    seen.add(id);
    validateTime(out, joinPath(p, 'timeAdded'), taint.timeAdded);
  });
}

/** ValidateResourceQuantityValue for each entry of a ResourceList: a quantity, not negative. */
export function validateResourceList(out: Out, path: string, raw: unknown): void {
  const list = asObj(raw);
  for (const [name, v] of Object.entries(list ?? {})) {
    const p = keyPath(path, name);
    invalidEach(out, p, name, isQualifiedName(name));
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    try {
      if (parseQuantity(v).sign() < 0) invalid(out, p, String(v), 'must be greater than or equal to 0');
    } catch (e) {
      invalid(out, p, String(v), (e as Error).message);
    }
  }
}

/** ValidateNode */
export function validateNode(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: false });
  const spec = asObj(raw.spec);
  if (spec) {
    validateTaints(out, 'spec.taints', spec.taints);
    const cidrs = asArr(spec.podCIDRs).filter((c): c is string => typeof c === 'string');
    cidrs.forEach((c, i) => validateCIDR(out, joinPath(joinPath('spec', 'podCIDRs'), i), c));
    if (cidrs.length > 2) invalid(out, 'spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family');
    const podCIDR = asStr(spec.podCIDR);
    if (podCIDR) validateCIDR(out, 'spec.podCIDR', podCIDR);
  }
  const status = asObj(raw.status);
  if (status) {
    validateResourceList(out, 'status.capacity', status.capacity);
    validateResourceList(out, 'status.allocatable', status.allocatable);
    asArr(status.conditions).forEach((c, i) => {
      const cond = asObj(c);
      const p = joinPath(joinPath('status', 'conditions'), i);
      validateTime(out, joinPath(p, 'lastHeartbeatTime'), cond?.lastHeartbeatTime);
      validateTime(out, joinPath(p, 'lastTransitionTime'), cond?.lastTransitionTime);
    });
  }
}

/** kubectl's findNodeRoles: `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted. */
export function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role.length > 0) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort(compareGoStrings);
}

/**
 * Pod v1: PodSpec, PodTemplateSpec, Pod, and ValidatePodSpec / ValidatePodTemplateSpec /
 * validatePodMetadataAndSpec from pkg/apis/core/validation.
 *
 * Only fields of core/v1 are modelled, in Go struct order. status is accepted loosely (it is
 * server-populated; kubectl -o yaml output may carry it).
 */
import { z } from 'zod';
import { clusterWritten, type PodStatus } from './status.ts';
import { joinPath } from '../diagnostics.ts';
import { isQualifiedName, isValidLabelValue, validateLabels } from '../labels.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.ts';
import { ObjectMetaSchema, validateObjectMeta, validateTemplateMeta } from '../meta.ts';
import { ContainerSchema, SecurityContextSchema, validateContainers, validateSecurityContextCommon } from './container.ts';
import {
  asArr,
  asInt,
  asObj,
  asStr,
  asStrList,
  asStrMap,
  checkRange,
  forbidden,
  invalid,
  invalidEach,
  isSet,
  notSupported,
  required,
  zAnyObject,
  zBool,
  zInt,
  zStr,
  zStringMap,
  zStrList,
  type Obj,
  type Out,
} from './fields.ts';
import { validateIP } from './formats.ts';
import { VolumeSchema, validateVolumes } from './volume.ts';

export const RestartPolicies = ['Always', 'OnFailure', 'Never'] as const;
export type RestartPolicy = (typeof RestartPolicies)[number];

export const PodSecurityContextSchema = z.strictObject({
  seLinuxOptions: SecurityContextSchema.shape.seLinuxOptions,
  windowsOptions: SecurityContextSchema.shape.windowsOptions,
  runAsUser: zInt.optional(),
  runAsGroup: zInt.optional(),
  runAsNonRoot: zBool.optional(),
  supplementalGroups: z.array(zInt).optional(),
  supplementalGroupsPolicy: z.enum(['Merge', 'Strict']).optional(),
  fsGroup: zInt.optional(),
  sysctls: z.array(z.strictObject({ name: zStr, value: zStr })).optional(),
  fsGroupChangePolicy: z.enum(['OnRootMismatch', 'Always']).optional(),
  seccompProfile: SecurityContextSchema.shape.seccompProfile,
  appArmorProfile: SecurityContextSchema.shape.appArmorProfile,
  seLinuxChangePolicy: zStr.optional(),
});

/** Affinity is accepted loosely below its three top-level terms. */
export const AffinitySchema = z.strictObject({
  nodeAffinity: zAnyObject.optional(),
  podAffinity: zAnyObject.optional(),
  podAntiAffinity: zAnyObject.optional(),
});

export const TolerationSchema = z.strictObject({
  key: zStr.optional(),
  operator: z.enum(['Exists', 'Equal', '']).optional(),
  value: zStr.optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']).optional(),
  tolerationSeconds: zInt.optional(),
});

export const HostAliasSchema = z.strictObject({
  ip: zStr,
  hostnames: zStrList.optional(),
});

export const PodDNSConfigSchema = z.strictObject({
  nameservers: zStrList.optional(),
  searches: zStrList.optional(),
  options: z.array(z.strictObject({ name: zStr.optional(), value: zStr.optional() })).optional(),
});

export const PodSpecSchema = z.strictObject({
  volumes: z.array(VolumeSchema).optional(),
  initContainers: z.array(ContainerSchema).optional(),
  containers: z.array(ContainerSchema),
  restartPolicy: z.enum(RestartPolicies).optional(),
  terminationGracePeriodSeconds: zInt.optional(),
  activeDeadlineSeconds: zInt.optional(),
  dnsPolicy: z.enum(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']).optional(),
  nodeSelector: zStringMap.optional(),
  serviceAccountName: zStr.optional(),
  serviceAccount: zStr.optional(),
  automountServiceAccountToken: zBool.optional(),
  nodeName: zStr.optional(),
  hostNetwork: zBool.optional(),
  hostPID: zBool.optional(),
  hostIPC: zBool.optional(),
  shareProcessNamespace: zBool.optional(),
  securityContext: PodSecurityContextSchema.optional(),
  imagePullSecrets: z.array(z.strictObject({ name: zStr.optional() })).optional(),
  hostname: zStr.optional(),
  subdomain: zStr.optional(),
  affinity: AffinitySchema.optional(),
  schedulerName: zStr.optional(),
  tolerations: z.array(TolerationSchema).optional(),
  hostAliases: z.array(HostAliasSchema).optional(),
  priorityClassName: zStr.optional(),
  priority: zInt.optional(),
  dnsConfig: PodDNSConfigSchema.optional(),
  readinessGates: z.array(z.strictObject({ conditionType: zStr })).optional(),
  runtimeClassName: zStr.optional(),
  enableServiceLinks: zBool.optional(),
  preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never']).optional(),
  topologySpreadConstraints: z.array(zAnyObject).optional(),
  setHostnameAsFQDN: zBool.optional(),
  os: z.strictObject({ name: z.enum(['linux', 'windows']) }).optional(),
  hostUsers: zBool.optional(),
});

export const PodTemplateSpecSchema = z.strictObject({
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema,
});

export const PodSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
  status: clusterWritten<PodStatus>().optional(),
});

export type PodSecurityContext = z.output<typeof PodSecurityContextSchema>;
export type Affinity = z.output<typeof AffinitySchema>;
export type Toleration = z.output<typeof TolerationSchema>;
export type TolerationInput = z.input<typeof TolerationSchema>;
export type HostAlias = z.output<typeof HostAliasSchema>;
export type PodDNSConfig = z.output<typeof PodDNSConfigSchema>;
export type PodSpec = z.output<typeof PodSpecSchema>;
export type PodSpecInput = z.input<typeof PodSpecSchema>;
export type PodTemplateSpec = z.output<typeof PodTemplateSpecSchema>;
export type PodTemplateSpecInput = z.input<typeof PodTemplateSpecSchema>;
/** Alias of PodTemplateSpecInput. */
export type PodTemplateInput = PodTemplateSpecInput;
export type Pod = z.output<typeof PodSchema>;
export type PodInput = z.input<typeof PodSchema>;

// ---------------------------------------------------------------------------------------------

function validateTolerations(out: Out, path: string, raw: unknown): void {
  asArr(raw).forEach((item, i) => {
    const t = asObj(item);
    if (!t) return;
    const p = joinPath(path, i);
    const key = asStr(t.key) ?? '';
    const op = asStr(t.operator) ?? '';
    if (key) invalidEach(out, joinPath(p, 'key'), key, isQualifiedName(key));
    if (!key && op !== 'Exists') {
      invalid(out, joinPath(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"');
    }
    if (isSet(t.tolerationSeconds) && t.effect !== 'NoExecute') {
      invalid(out, joinPath(p, 'effect'), asStr(t.effect) ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set");
    }
    const value = asStr(t.value) ?? '';
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) invalid(out, joinPath(p, 'operator'), value, msgs.join(';'));
    } else if (op === 'Exists' && value) {
      invalid(out, joinPath(p, 'operator'), value, "value must be empty when `operator` is 'Exists'");
    }
  });
}

function validateDNS(out: Out, path: string, spec: Obj): void {
  const cfgPath = joinPath(path, 'dnsConfig');
  const cfg = asObj(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!isSet(spec.dnsConfig)) return required(out, cfgPath, 'must provide `dnsConfig` when `dnsPolicy` is None');
    if (cfg && asArr(cfg.nameservers).length === 0) {
      return required(out, joinPath(cfgPath, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None');
    }
  }
  if (!cfg) return;
  const ns = asStrList(cfg.nameservers);
  if (ns.length > 3) invalid(out, joinPath(cfgPath, 'nameservers'), ns, 'must not have more than 3 nameservers');
  ns.forEach((ip, i) => validateIP(out, joinPath(joinPath(cfgPath, 'nameservers'), i), ip));
  const searches = asStrList(cfg.searches);
  if (searches.length > 32) invalid(out, joinPath(cfgPath, 'searches'), searches, 'must not have more than 32 search paths');
  if (searches.join(' ').length > 2048) {
    invalid(out, joinPath(cfgPath, 'searches'), searches, 'must not have more than 2048 characters (including spaces) in the search list');
  }
  searches.forEach((s, i) => {
    const d = s.endsWith('.') ? s.slice(0, -1) : s;
    invalidEach(out, joinPath(joinPath(cfgPath, 'searches'), i), d, isDNS1123Subdomain(d));
  });
  asArr(cfg.options).forEach((o, i) => {
    if (!asStr(asObj(o)?.name)) required(out, joinPath(joinPath(cfgPath, 'options'), i), 'must not be empty');
  });
}

function validateHostNetworkPorts(out: Out, path: string, spec: Obj): void {
  if (spec.hostNetwork !== true) return;
  asArr(spec.containers).forEach((c, i) => {
    asArr(asObj(c)?.ports).forEach((item, j) => {
      const port = asObj(item);
      const hp = asInt(port?.hostPort);
      if (hp !== undefined && hp !== 0 && hp !== port?.containerPort) {
        const p = joinPath(joinPath(joinPath(joinPath(path, 'containers'), i), 'ports'), j);
        invalid(out, joinPath(p, 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true');
      }
    });
  });
}

/** ValidatePodSpec. `isPod` adds the pod-only checks (validateContainersOnlyForPod). */
export function validatePodSpec(out: Out, path: string, raw: unknown, isPod: boolean): void {
  const spec = asObj(raw);
  if (!spec) return;
  const gracePeriod = asInt(spec.terminationGracePeriodSeconds);
  const volumes = validateVolumes(out, joinPath(path, 'volumes'), spec.volumes);
  validateContainers(out, path, spec, { volumes, gracePeriod, isPod });
  validateHostNetworkPorts(out, path, spec);
  validateDNS(out, path, spec);
  const nodeSelector = asStrMap(spec.nodeSelector);
  if (nodeSelector) out.push(...validateLabels(nodeSelector, joinPath(path, 'nodeSelector')));
  const sc = asObj(spec.securityContext);
  if (sc) validateSecurityContextCommon(out, joinPath(path, 'securityContext'), sc);
  for (const f of ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName'] as const) {
    const v = asStr(spec[f]);
    if (v) invalidEach(out, joinPath(path, f), v, isDNS1123Subdomain(v));
  }
  checkRange(out, joinPath(path, 'activeDeadlineSeconds'), spec.activeDeadlineSeconds, 1, 2147483647);
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = asStr(spec[f]);
    if (v) invalidEach(out, joinPath(path, f), v, isDNS1123Label(v));
  }
  validateTolerations(out, joinPath(path, 'tolerations'), spec.tolerations);
  asArr(spec.hostAliases).forEach((item, i) => {
    const a = asObj(item);
    if (!a) return;
    const p = joinPath(joinPath(path, 'hostAliases'), i);
    const ip = asStr(a.ip);
    if (ip !== undefined) validateIP(out, joinPath(p, 'ip'), ip);
    asStrList(a.hostnames).forEach((h, j) => invalidEach(out, joinPath(joinPath(p, 'hostnames'), j), h, isDNS1123Subdomain(h)));
  });
  asArr(spec.readinessGates).forEach((g, i) => {
    const t = asStr(asObj(g)?.conditionType);
    if (t !== undefined) invalidEach(out, joinPath(joinPath(joinPath(path, 'readinessGates'), i), 'conditionType'), t, isQualifiedName(t));
  });
}

/** ValidatePodTemplateSpec: template labels/annotations and the pod spec. */
export function validatePodTemplateSpec(out: Out, path: string, raw: unknown): void {
  const t = asObj(raw);
  if (!t) return;
  const meta = asObj(t.metadata);
  if (meta) validateTemplateMeta(out, meta, joinPath(path, 'metadata'));
  validatePodSpec(out, joinPath(path, 'spec'), t.spec, false);
}

/**
 * The checks ValidatePodTemplateSpecForRC / ForReplicaSet add to a controller's template:
 * restartPolicy must be Always (the default) and activeDeadlineSeconds is not allowed.
 */
export function validateControllerTemplate(out: Out, path: string, raw: unknown, controller: 'ReplicaSet' | 'ReplicationController'): void {
  const spec = asObj(asObj(raw)?.spec);
  if (!spec) return;
  const rp = spec.restartPolicy;
  if (typeof rp === 'string' && rp !== 'Always' && (RestartPolicies as readonly string[]).includes(rp)) {
    notSupported(out, joinPath(joinPath(path, 'spec'), 'restartPolicy'), rp, ['Always']);
  }
  if (isSet(spec.activeDeadlineSeconds)) {
    const p = joinPath(joinPath(path, 'spec'), 'activeDeadlineSeconds');
    const msg = `activeDeadlineSeconds in ${controller} is not Supported`;
    if (controller === 'ReplicationController') forbidden(out, p, msg);
    else invalid(out, p, spec.activeDeadlineSeconds, msg);
  }
}

/** validatePodMetadataAndSpec (ValidatePodCreate without the update-only rules). */
export function validatePod(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  validatePodSpec(out, 'spec', raw.spec, true);
}

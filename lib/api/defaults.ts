/**
 * Server-side defaulting, as the Kubernetes API server applies it to what it stores and
 * returns: the generated SetObjectDefaults_* of k/k `pkg/apis/core/v1` and `pkg/apis/apps/v1`
 * (SetDefaults_Pod / _PodSpec / _Container / _Probe / _HTTPGetAction / _Volume / _Service /
 * _Endpoints / _ReplicationController / _ReplicaSet / _Namespace / _NamespaceStatus /
 * _NodeStatus / _ResourceList / _ObjectFieldSelector and the declarative `+default` markers),
 * plus what the server always writes on top of that:
 *
 *  - the Go zero-value structs every response carries (`resources: {}` on containers,
 *    template `metadata: {}`, Pod `status: {}`, Service `status: {loadBalancer: {}}`,
 *    RC/RS `status: {replicas: 0}`, Namespace `spec: {}`);
 *  - quantities as the server re-serializes them (Quantity.String() after decoding; every
 *    v1.ResourceList value first rounded up to milli precision);
 *  - in `create` mode only, the create-time normalizations of the registries that need no
 *    allocator: Namespace `spec.finalizers` gains `kubernetes`, Service `clusterIPs` is
 *    initialized from `clusterIP` and `ipFamilyPolicy`/`ipFamilies` are inferred
 *    (pkg/registry/core/service/storage/alloc.go initIPFamilyFields, for a create). ClusterIP
 *    and NodePort allocation stay with the caller.
 *
 * Input is a validated, normalized manifest (validateManifest's output); the result is a new
 * object (the input is never mutated) whose keys keep the canonical order validateManifest
 * emits. applyDefaults is idempotent.
 */
import type { z } from 'zod';
import { DeploymentSchema } from './kinds/deployment.ts';
import { EndpointsSchema } from './kinds/endpoints.ts';
import { asArr, asStr, type Obj } from './kinds/fields.ts';
import { NamespaceSchema } from './kinds/namespace.ts';
import { PodSchema } from './kinds/pod.ts';
import { ReplicaSetSchema } from './kinds/replicaset.ts';
import { ReplicationControllerSchema } from './kinds/replicationcontroller.ts';
import { defaultSecret } from './kinds/secret.ts';
import { defaultPersistentVolumeClaim } from './kinds/persistentvolumeclaim.ts';
import { ServiceSchema } from './kinds/service.ts';
import type { KubeObject } from './meta.ts';
import { unmarshalQuantity } from './quantity.ts';

export type IPFamily = 'IPv4' | 'IPv6';

export interface DefaultsOptions {
  /**
   * `create` (default): defaulting plus the create-time normalizations listed above.
   * `update`: defaulting only (what the server applies when decoding any write); use it for
   * PUT/PATCH/status writes, where e.g. a namespace's `kubernetes` finalizer may have been
   * removed on purpose and an absent ipFamilyPolicy is taken from the stored object.
   */
  mode?: 'create' | 'update';
  /**
   * The caller hands `obj` over (nothing else refers to it, e.g. validateManifest's fresh
   * output): defaults are written into it rather than into a deep copy, which a write through
   * the API server would otherwise make of every object it stores.
   */
  owned?: boolean;
  /** The cluster's service IP families, primary first (kube-apiserver `--service-cluster-ip-range`). Default `['IPv4']`. */
  serviceIPFamilies?: readonly IPFamily[];
}

/** v1.TerminationMessagePathDefault */
export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';
/** v1.DefaultTerminationGracePeriodSeconds */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** v1.DefaultSchedulerName */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** v1.SecretVolumeSourceDefaultMode / ConfigMapVolumeSourceDefaultMode (0644). */
export const DEFAULT_VOLUME_MODE = 0o644;
/** v1.DefaultClientIPServiceAffinitySeconds (3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;
/** v1.LabelMetadataName */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

// ---------------------------------------------------------------------------------------------
// Image references (github.com/distribution/reference, as k/k pkg/util/parsers.ParseImageName
// uses it): only the tag matters for imagePullPolicy.

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REFERENCE_RE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  /** Fully qualified repository, e.g. `docker.io/library/nginx`. */
  name: string;
  /** The tag; `latest` when neither a tag nor a digest is given; '' for a digest-only reference. */
  tag: string;
  digest: string;
}

/**
 * parsers.ParseImageName: reference.ParseNormalizedNamed, with the default `latest` tag when
 * the reference has neither tag nor digest. Undefined where upstream returns an error.
 */
export function parseImageReference(image: string): ImageReference | undefined {
  if (ANCHORED_IDENTIFIER_RE.test(image)) return undefined;
  // splitDockerDomain
  const slash = image.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? '' : image.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = 'docker.io';
    remainder = image;
  } else {
    domain = first;
    remainder = image.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const remoteName = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) return undefined;

  const m = REFERENCE_RE.exec(`${domain}/${remainder}`);
  if (!m) return undefined;
  const name = m[1]!;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  const digest = m[3] ?? '';
  if (digest) {
    // go-digest Parse: a registered algorithm and a lowercase hex encoding of its exact size.
    const i = digest.indexOf(':');
    const size = DIGEST_HEX_LENGTH[digest.slice(0, i)];
    const hex = digest.slice(i + 1);
    if (size === undefined || hex.length !== size || !/^[a-f0-9]+$/.test(hex)) return undefined;
  }
  let tag = m[2] ?? '';
  if (!tag && !digest) tag = 'latest';
  return { name, tag, digest };
}

/** SetDefaults_Container's imagePullPolicy: `Always` for the `latest` tag (or none), else `IfNotPresent`. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  let policy = pullPolicyOf.get(image);
  if (policy === undefined) {
    policy = parseImageReference(image)?.tag === 'latest' ? 'Always' : 'IfNotPresent';
    // Bounded: thousands of objects share a few images, but a long-lived API server sees any number.
    if (pullPolicyOf.size >= PULL_POLICY_MEMO_MAX) pullPolicyOf.clear();
    pullPolicyOf.set(image, policy);
  }
  return policy;
}

/** defaultImagePullPolicy by image: parsing a reference is a few regular expressions, per container per object. */
const pullPolicyOf = new Map<string, 'Always' | 'IfNotPresent'>();
const PULL_POLICY_MEMO_MAX = 1024;

// ---------------------------------------------------------------------------------------------
// Canonical key order, taken from the kinds' zod schemas (Go struct order; map keys sorted
// where the schema sorts them).

type Orderer = (v: unknown) => unknown;

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

const identity: Orderer = (v) => v;
const ordererCache = new WeakMap<object, Orderer>();

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function isPlain(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sortedKeys(o: Obj): Obj {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      const out: Obj = {};
      for (const k of keys.sort()) out[k] = o[k];
      return out;
    }
  }
  return o;
}

function ordererFor(schema: z.ZodType): Orderer {
  const cached = ordererCache.get(schema);
  if (cached) return cached;
  let result: Orderer = identity;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      result = ordererFor(def.innerType!);
      break;
    case 'pipe': {
      const inner = defOf(def.in!);
      if (inner.type === 'record') {
        // zStringMap / zQuantityMap: emitted with sorted keys.
        const value = ordererFor(inner.valueType!);
        result = (v) => {
          if (!isPlain(v)) return v;
          if (value !== identity) for (const k in v) v[k] = value(v[k]);
          return sortedKeys(v);
        };
      } else result = ordererFor(def.in!);
      break;
    }
    case 'record': {
      const value = ordererFor(def.valueType!);
      if (value !== identity) {
        result = (v) => {
          if (isPlain(v)) for (const k in v) v[k] = value(v[k]);
          return v;
        };
      }
      break;
    }
    case 'array': {
      const element = ordererFor(def.element!);
      if (element !== identity) result = (v) => (Array.isArray(v) ? v.map(element) : v);
      break;
    }
    case 'object': {
      const shape = def.shape!;
      const keys = Object.keys(shape);
      const rank = new Map(keys.map((k, i) => [k, i]));
      const children = new Map<string, Orderer>();
      for (const k of keys) {
        const o = ordererFor(shape[k]!);
        if (o !== identity) children.set(k, o);
      }
      result = (v) => {
        if (!isPlain(v)) return v;
        let last = -1;
        let inOrder = true;
        for (const k in v) {
          const child = children.get(k);
          if (child) v[k] = child(v[k]);
          const r = rank.get(k) ?? keys.length;
          if (r < last) inOrder = false;
          last = r;
        }
        if (inOrder) return v;
        const out: Obj = {};
        for (const k of keys) if (k in v) out[k] = v[k];
        for (const k in v) if (!rank.has(k)) out[k] = v[k];
        return out;
      };
      break;
    }
    default:
      break;
  }
  ordererCache.set(schema, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// helpers

/** Deep copy of JSON data (plain objects, arrays, scalars). */
function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const k in v as Obj) out[k] = clone((v as Obj)[k]);
    return out as T;
  }
  return v;
}

/** A child object of `o` that can be written to: created (as `{}`) when `create`, else only if present. */
function objAt(o: Obj, key: string): Obj | undefined {
  const v = o[key];
  return isPlain(v) ? v : undefined;
}

function ensureObj(o: Obj, key: string): Obj {
  const v = o[key];
  if (isPlain(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

function objects(v: unknown): Obj[] {
  return asArr(v).filter(isPlain);
}

/** Go's zero-value test for the scalar fields SetDefaults_* look at (`== ""`, `== 0`, `== nil`). */
function unset(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0;
}

/** Quantity.String() after the server decoded the text (the API returns this form). */
function canonicalQuantity(v: unknown): unknown {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  try {
    return unmarshalQuantity(v).toString();
  } catch {
    return v; // validation reports it; defaulting leaves it alone
  }
}

/** SetDefaults_ResourceList: every value rounded up to milli precision, then canonical. */
function defaultResourceList(list: Obj | undefined): void {
  if (!list) return;
  for (const k in list) {
    const v = list[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    try {
      list[k] = unmarshalQuantity(v).roundUp(-3).quantity.toString();
    } catch {
      // invalid quantity: left for validation
    }
  }
}

// ---------------------------------------------------------------------------------------------
// core/v1 pods and pod templates

function defaultHTTPGet(h: Obj | undefined): void {
  if (!h) return;
  if (unset(h.path)) h.path = '/';
  if (unset(h.scheme)) h.scheme = 'HTTP';
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  if (unset(p.timeoutSeconds)) p.timeoutSeconds = 1;
  if (unset(p.periodSeconds)) p.periodSeconds = 10;
  if (unset(p.successThreshold)) p.successThreshold = 1;
  if (unset(p.failureThreshold)) p.failureThreshold = 3;
  defaultHTTPGet(objAt(p, 'httpGet'));
  const grpc = objAt(p, 'grpc');
  if (grpc && grpc.service === undefined) grpc.service = ''; // +default=""
}

function defaultContainer(c: Obj, isPod: boolean, hostNetwork: boolean): void {
  // SetDefaults_Container
  if (unset(c.imagePullPolicy)) c.imagePullPolicy = defaultImagePullPolicy(asStr(c.image) ?? '');
  if (unset(c.terminationMessagePath)) c.terminationMessagePath = DEFAULT_TERMINATION_MESSAGE_PATH;
  if (unset(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  for (const port of objects(c.ports)) {
    if (unset(port.protocol)) port.protocol = 'TCP'; // +default="TCP"
    // SetDefaults_Pod, hostNetwork: defaultHostNetworkPorts
    if (isPod && hostNetwork && unset(port.hostPort) && port.containerPort !== undefined) port.hostPort = port.containerPort;
  }
  for (const env of objects(c.env)) {
    const from = objAt(env, 'valueFrom');
    const fieldRef = from && objAt(from, 'fieldRef');
    if (fieldRef && unset(fieldRef.apiVersion)) fieldRef.apiVersion = 'v1'; // SetDefaults_ObjectFieldSelector
    const resRef = from && objAt(from, 'resourceFieldRef');
    if (resRef && resRef.divisor !== undefined) resRef.divisor = canonicalQuantity(resRef.divisor);
  }
  // Resources is a struct: always serialized, `{}` when empty.
  const resources = ensureObj(c, 'resources');
  const limits = objAt(resources, 'limits');
  if (isPod && limits) {
    // SetDefaults_Pod: requests default to limits, per resource, on Pods only (not templates).
    const missing = Object.keys(limits).filter((k) => !(k in (objAt(resources, 'requests') ?? {})));
    if (missing.length > 0) {
      const requests = ensureObj(resources, 'requests');
      for (const k of missing) requests[k] = limits[k];
    }
  }
  defaultResourceList(limits);
  defaultResourceList(objAt(resources, 'requests'));
  defaultProbe(objAt(c, 'livenessProbe'));
  defaultProbe(objAt(c, 'readinessProbe'));
  defaultProbe(objAt(c, 'startupProbe'));
  const lifecycle = objAt(c, 'lifecycle');
  if (lifecycle) {
    for (const hook of ['postStart', 'preStop'] as const) {
      const h = objAt(lifecycle, hook);
      if (h) defaultHTTPGet(objAt(h, 'httpGet'));
    }
  }
}

const VOLUME_SOURCES = ['hostPath', 'emptyDir', 'secret', 'nfs', 'persistentVolumeClaim', 'configMap'] as const;

function defaultVolume(v: Obj): void {
  // SetDefaults_Volume: no source at all means emptyDir.
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  const hostPath = objAt(v, 'hostPath');
  if (hostPath && hostPath.type === undefined) hostPath.type = ''; // HostPathUnset
  for (const k of ['secret', 'configMap'] as const) {
    const src = objAt(v, k);
    if (src && src.defaultMode === undefined) src.defaultMode = DEFAULT_VOLUME_MODE;
  }
  const emptyDir = objAt(v, 'emptyDir');
  if (emptyDir && emptyDir.sizeLimit !== undefined) emptyDir.sizeLimit = canonicalQuantity(emptyDir.sizeLimit);
}

/** SetDefaults_PodSpec and the nested defaulters; `isPod` adds SetDefaults_Pod's pod-only ones. */
function defaultPodSpec(spec: Obj, isPod: boolean): void {
  if (unset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (unset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (!isPlain(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (unset(spec.schedulerName)) spec.schedulerName = DEFAULT_SCHEDULER_NAME;
  for (const v of objects(spec.volumes)) defaultVolume(v);
  const hostNetwork = spec.hostNetwork === true;
  for (const c of objects(spec.initContainers)) defaultContainer(c, isPod, hostNetwork);
  for (const c of objects(spec.containers)) defaultContainer(c, isPod, hostNetwork);
  if (isPod && (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null)) spec.enableServiceLinks = true;
}

function defaultPodTemplate(template: Obj | undefined): void {
  if (!template) return;
  ensureObj(template, 'metadata'); // ObjectMeta is a struct: `metadata: {}` at least
  const spec = objAt(template, 'spec');
  if (spec) defaultPodSpec(spec, false);
}

function defaultPod(pod: Obj): void {
  const spec = objAt(pod, 'spec');
  if (spec) defaultPodSpec(spec, true);
  ensureObj(pod, 'status');
}

// ---------------------------------------------------------------------------------------------
// Service

function ipFamilyOf(ip: string): IPFamily | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return 'IPv4';
  if (ip.includes(':')) return 'IPv6';
  return undefined;
}

/** initIPFamilyFields for a create on a cluster serving `families` (the error paths are validation's). */
function initIPFamilyFields(spec: Obj, families: readonly IPFamily[]): void {
  if (spec.type === 'ExternalName') return;
  const selector = objAt(spec, 'selector');
  const headlessSelectorless = spec.clusterIP === 'None' && (!selector || Object.keys(selector).length === 0);
  if (unset(spec.ipFamilyPolicy)) spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  const ipFamilies = asArr(spec.ipFamilies).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  // Infer ipFamilies from clusterIPs.
  asArr(spec.clusterIPs).every((ip, i) => {
    if (ip === 'None') return false;
    const fam = typeof ip === 'string' ? ipFamilyOf(ip) : undefined;
    if (i >= ipFamilies.length && fam && families.includes(fam)) ipFamilies.push(fam);
    return true;
  });
  const primary = families[0] ?? 'IPv4';
  const other = (f: IPFamily): IPFamily => (f === 'IPv4' ? 'IPv6' : 'IPv4');
  if (headlessSelectorless) {
    if (ipFamilies.length === 0) ipFamilies.push(primary);
    if (ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') ipFamilies.push(other(ipFamilies[0]!));
  } else {
    if (ipFamilies.length === 0) ipFamilies.push(primary);
    if (spec.ipFamilyPolicy !== 'SingleStack' && ipFamilies.length === 1 && families.length === 2) ipFamilies.push(other(ipFamilies[0]!));
  }
  spec.ipFamilies = ipFamilies;
}

function defaultService(svc: Obj, opts: DefaultsOptions): void {
  const spec = ensureObj(svc, 'spec');
  // SetDefaults_Service
  if (unset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = objAt(objAt(spec, 'sessionAffinityConfig') ?? {}, 'clientIP')?.timeoutSeconds;
    if (timeout === undefined || timeout === null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  if (unset(spec.type)) spec.type = 'ClusterIP';
  for (const port of objects(spec.ports)) {
    if (unset(port.protocol)) port.protocol = 'TCP';
    if (unset(port.targetPort)) port.targetPort = port.port;
  }
  const type = spec.type;
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && asArr(spec.externalIPs).length > 0);
  if (externallyAccessible && unset(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if ((spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) && (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    spec.allocateLoadBalancerNodePorts = true;
  }
  // Registry, on create: clusterIPs from clusterIP, then the IP family fields.
  if ((opts.mode ?? 'create') === 'create' && type !== 'ExternalName') {
    const clusterIP = asStr(spec.clusterIP);
    if (clusterIP && asArr(spec.clusterIPs).length === 0) spec.clusterIPs = [clusterIP];
    initIPFamilyFields(spec, opts.serviceIPFamilies ?? ['IPv4']);
  }
  // ServiceStatus is a struct, LoadBalancerStatus too: `status: {loadBalancer: {}}`.
  const status = ensureObj(svc, 'status');
  const lb = ensureObj(status, 'loadBalancer');
  if (type === 'LoadBalancer') {
    for (const ing of objects(lb.ingress)) if (asStr(ing.ip) && (ing.ipMode === undefined || ing.ipMode === null)) ing.ipMode = 'VIP';
  }
}

// ---------------------------------------------------------------------------------------------
// other kinds

function defaultEndpoints(ep: Obj): void {
  for (const ss of objects(ep.subsets)) for (const port of objects(ss.ports)) if (unset(port.protocol)) port.protocol = 'TCP';
}

function defaultReplicationController(rc: Obj): void {
  const spec = ensureObj(rc, 'spec');
  const template = objAt(spec, 'template');
  // SetDefaults_ReplicationController
  const labels = template ? objAt(objAt(template, 'metadata') ?? {}, 'labels') : undefined;
  if (labels) {
    if (Object.keys(objAt(spec, 'selector') ?? {}).length === 0) spec.selector = { ...labels };
    const meta = ensureObj(rc, 'metadata');
    if (Object.keys(objAt(meta, 'labels') ?? {}).length === 0) meta.labels = { ...labels };
  }
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1; // +default=1
  defaultPodTemplate(template);
  const status = ensureObj(rc, 'status');
  if (status.replicas === undefined) status.replicas = 0; // `json:"replicas"`: always serialized
}

function defaultReplicaSet(rs: Obj): void {
  const spec = ensureObj(rs, 'spec');
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1; // SetDefaults_ReplicaSet
  defaultPodTemplate(objAt(spec, 'template'));
  const status = ensureObj(rs, 'status');
  if (status.replicas === undefined) status.replicas = 0;
}

/** SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go). */
function defaultDeployment(d: Obj): void {
  const spec = ensureObj(d, 'spec');
  if (unset(spec.replicas)) spec.replicas = 1;
  const strategy = ensureObj(spec, 'strategy');
  if (unset(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObj(strategy, 'rollingUpdate');
    if (unset(ru.maxUnavailable)) ru.maxUnavailable = '25%';
    if (unset(ru.maxSurge)) ru.maxSurge = '25%';
  }
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (unset(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  defaultPodTemplate(objAt(spec, 'template'));
  ensureObj(d, 'status');
}

function defaultNamespace(ns: Obj, opts: DefaultsOptions): void {
  const meta = ensureObj(ns, 'metadata');
  const name = asStr(meta.name);
  if (name) meta.labels = { ...(objAt(meta, 'labels') ?? {}), [LABEL_METADATA_NAME]: name }; // SetDefaults_Namespace
  const spec = ensureObj(ns, 'spec');
  if ((opts.mode ?? 'create') === 'create') {
    // namespaceStrategy.PrepareForCreate requires the `kubernetes` finalizer.
    const finalizers = asArr(spec.finalizers).filter((f): f is string => typeof f === 'string');
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  }
  const status = ensureObj(ns, 'status');
  if (unset(status.phase)) status.phase = 'Active'; // SetDefaults_NamespaceStatus
}

const NODE_STATUS_ORDER = [
  'capacity', 'allocatable', 'phase', 'conditions', 'addresses', 'daemonEndpoints', 'nodeInfo', 'images',
  'volumesInUse', 'volumesAttached', 'config', 'runtimeHandlers', 'features',
];

function defaultNode(node: Obj): KubeObject {
  const status = objAt(node, 'status');
  if (status) {
    const capacity = objAt(status, 'capacity');
    if (capacity && status.allocatable === undefined) {
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      const out: Obj = {};
      for (const k of NODE_STATUS_ORDER) {
        if (k === 'allocatable') out[k] = { ...capacity };
        else if (k in status) out[k] = status[k];
      }
      for (const k in status) if (!(k in out)) out[k] = status[k];
      node.status = out;
    }
    const s = objAt(node, 'status')!;
    defaultResourceList(objAt(s, 'capacity'));
    defaultResourceList(objAt(s, 'allocatable'));
  }
  return node as KubeObject;
}

const ORDER = {
  Pod: ordererFor(PodSchema),
  Service: ordererFor(ServiceSchema),
  Endpoints: ordererFor(EndpointsSchema),
  ReplicationController: ordererFor(ReplicationControllerSchema),
  ReplicaSet: ordererFor(ReplicaSetSchema),
  Deployment: ordererFor(DeploymentSchema),
  Namespace: ordererFor(NamespaceSchema),
} as const;

/**
 * The object as the API server stores and returns it after defaulting. Kinds without
 * defaults come back as an unchanged deep copy.
 */
export function applyDefaults(obj: KubeObject, options: DefaultsOptions = {}): KubeObject {
  const o = (options.owned ? obj : clone(obj)) as Obj;
  const core = obj.apiVersion === 'v1';
  switch (obj.kind) {
    case 'Pod':
      if (!core) break;
      defaultPod(o);
      return ORDER.Pod(o) as KubeObject;
    case 'Service':
      if (!core) break;
      defaultService(o, options);
      return ORDER.Service(o) as KubeObject;
    case 'Endpoints':
      if (!core) break;
      defaultEndpoints(o);
      return ORDER.Endpoints(o) as KubeObject;
    case 'ReplicationController':
      if (!core) break;
      defaultReplicationController(o);
      return ORDER.ReplicationController(o) as KubeObject;
    case 'ReplicaSet':
      if (obj.apiVersion !== 'apps/v1') break;
      defaultReplicaSet(o);
      return ORDER.ReplicaSet(o) as KubeObject;
    case 'Deployment':
      if (obj.apiVersion !== 'apps/v1') break;
      defaultDeployment(o);
      return ORDER.Deployment(o) as KubeObject;
    case 'Namespace':
      if (!core) break;
      defaultNamespace(o, options);
      return ORDER.Namespace(o) as KubeObject;
    case 'Node':
      if (!core) break;
      return defaultNode(o);
    case 'Secret':
      if (!core) break;
      return defaultSecret(o) as KubeObject;
    case 'PersistentVolumeClaim':
      if (!core) break;
      return defaultPersistentVolumeClaim(o) as KubeObject;
    default:
      break;
  }
  // Kinds without defaults may be passed through unmodelled, sharing nested values with the
  // caller's input: they always come back as a copy.
  return (options.owned ? clone(obj) : o) as KubeObject;
}

/**
 * The object's keys in the canonical order validateManifest emits (Go struct order, sorted
 * maps), e.g. after a registry filled in fields (clusterIP, nodePort, status) by assignment.
 * Returns a new object; kinds that are not modelled come back as a deep copy.
 */
export function canonicalKeyOrder(obj: KubeObject): KubeObject {
  const o = clone(obj) as Obj;
  const order = obj.apiVersion === 'v1' || obj.apiVersion === 'apps/v1' ? (ORDER as Record<string, Orderer>)[obj.kind] : undefined;
  const apps = obj.kind === 'ReplicaSet' || obj.kind === 'Deployment';
  if (!order || apps !== (obj.apiVersion === 'apps/v1')) return o as KubeObject;
  return order(o) as KubeObject;
}

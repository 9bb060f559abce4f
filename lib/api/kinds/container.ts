/**
 * Containers (core/v1 Container, ContainerPort, SecurityContext) and validateContainers /
 * validateInitContainers / validateContainerCommon / validateContainerPorts from
 * pkg/apis/core/validation. Env and resources live in env.ts and resources.ts.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isDNS1123Label, isValidPortName } from '../names.ts';
import {
  asArr,
  asObj,
  asStr,
  checkRange,
  duplicate,
  forbidden,
  invalid,
  invalidEach,
  isSet,
  required,
  zBool,
  zInt,
  zStr,
  zStrList,
  type Obj,
  type Out,
} from './fields.ts';
import { EnvFromSourceSchema, EnvVarSchema, validateEnv, validateEnvFrom } from './env.ts';
import { LifecycleSchema, ProbeSchema, validateLifecycle, validateProbe } from './probe.ts';
import { ResourceRequirementsSchema, validateResources } from './resources.ts';
import { VolumeMountSchema, validateVolumeMounts } from './volume.ts';

export const Protocols = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof Protocols)[number];

export const ContainerPortSchema = z.strictObject({
  name: zStr.optional(),
  hostPort: zInt.optional(),
  containerPort: zInt,
  protocol: z.enum(Protocols).optional(),
  hostIP: zStr.optional(),
});

export const SELinuxOptionsSchema = z.strictObject({
  user: zStr.optional(),
  role: zStr.optional(),
  type: zStr.optional(),
  level: zStr.optional(),
});

export const WindowsSecurityContextOptionsSchema = z.strictObject({
  gmsaCredentialSpecName: zStr.optional(),
  gmsaCredentialSpec: zStr.optional(),
  runAsUserName: zStr.optional(),
  hostProcess: zBool.optional(),
});

export const SeccompProfileSchema = z.strictObject({
  type: z.enum(['Unconfined', 'RuntimeDefault', 'Localhost']),
  localhostProfile: zStr.optional(),
});

export const AppArmorProfileSchema = z.strictObject({
  type: z.enum(['Unconfined', 'RuntimeDefault', 'Localhost']),
  localhostProfile: zStr.optional(),
});

export const SecurityContextSchema = z.strictObject({
  capabilities: z.strictObject({ add: zStrList.optional(), drop: zStrList.optional() }).optional(),
  privileged: zBool.optional(),
  seLinuxOptions: SELinuxOptionsSchema.optional(),
  windowsOptions: WindowsSecurityContextOptionsSchema.optional(),
  runAsUser: zInt.optional(),
  runAsGroup: zInt.optional(),
  runAsNonRoot: zBool.optional(),
  readOnlyRootFilesystem: zBool.optional(),
  allowPrivilegeEscalation: zBool.optional(),
  procMount: z.enum(['Default', 'Unmasked']).optional(),
  seccompProfile: SeccompProfileSchema.optional(),
  appArmorProfile: AppArmorProfileSchema.optional(),
});

export const ContainerSchema = z.strictObject({
  name: zStr,
  image: zStr,
  command: zStrList.optional(),
  args: zStrList.optional(),
  workingDir: zStr.optional(),
  ports: z.array(ContainerPortSchema).optional(),
  envFrom: z.array(EnvFromSourceSchema).optional(),
  env: z.array(EnvVarSchema).optional(),
  resources: ResourceRequirementsSchema.optional(),
  restartPolicy: z.enum(['Always']).optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  livenessProbe: ProbeSchema.optional(),
  readinessProbe: ProbeSchema.optional(),
  startupProbe: ProbeSchema.optional(),
  lifecycle: LifecycleSchema.optional(),
  terminationMessagePath: zStr.optional(),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  securityContext: SecurityContextSchema.optional(),
  stdin: zBool.optional(),
  stdinOnce: zBool.optional(),
  tty: zBool.optional(),
});

export type ContainerPort = z.output<typeof ContainerPortSchema>;
export type ContainerPortInput = z.input<typeof ContainerPortSchema>;
export type SecurityContext = z.output<typeof SecurityContextSchema>;
export type SeccompProfile = z.output<typeof SeccompProfileSchema>;
export type Container = z.output<typeof ContainerSchema>;
export type ContainerInput = z.input<typeof ContainerSchema>;

// ---------------------------------------------------------------------------------------------
// ports

function validateContainerPorts(out: Out, path: string, raw: unknown): void {
  const names = new Set<string>();
  asArr(raw).forEach((item, i) => {
    const port = asObj(item);
    if (!port) return;
    const p = joinPath(path, i);
    const name = asStr(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) invalidEach(out, joinPath(p, 'name'), name, msgs);
      else if (names.has(name)) duplicate(out, joinPath(p, 'name'), name);
      else names.add(name);
    }
    if (port.containerPort === 0) required(out, joinPath(p, 'containerPort'));
    else checkRange(out, joinPath(p, 'containerPort'), port.containerPort, 1, 65535);
    if (port.hostPort !== 0) checkRange(out, joinPath(p, 'hostPort'), port.hostPort, 1, 65535);
  });
}

// ---------------------------------------------------------------------------------------------
// containers

function validateProfile(out: Out, path: string, raw: unknown, what: string): void {
  const p = asObj(raw);
  if (!p) return;
  const type = asStr(p.type);
  if (type === 'Localhost' && !asStr(p.localhostProfile)) {
    required(out, joinPath(path, 'localhostProfile'), `must be set when ${what} type is Localhost`);
  } else if (type !== undefined && type !== 'Localhost' && isSet(p.localhostProfile)) {
    invalid(out, joinPath(path, 'localhostProfile'), p.localhostProfile, `can only be set when ${what} type is Localhost`);
  }
}

/** The parts of ValidateSecurityContext / pod security context that need no cluster policy. */
export function validateSecurityContextCommon(out: Out, path: string, sc: Obj): void {
  checkRange(out, joinPath(path, 'runAsUser'), sc.runAsUser, 0, 2147483647);
  checkRange(out, joinPath(path, 'runAsGroup'), sc.runAsGroup, 0, 2147483647);
  validateProfile(out, joinPath(path, 'seccompProfile'), sc.seccompProfile, 'seccomp');
  validateProfile(out, joinPath(path, 'appArmorProfile'), sc.appArmorProfile, 'AppArmor');
}

export interface ContainerContext {
  volumes: ReadonlySet<string>;
  gracePeriod: number | undefined;
  /** true when validating a Pod (not a template): image whitespace is checked. */
  isPod: boolean;
}

/** validateContainerCommon */
function validateContainerCommon(out: Out, path: string, c: Obj, ctx: ContainerContext): void {
  const name = asStr(c.name);
  if (name === '') required(out, joinPath(path, 'name'));
  else if (name !== undefined) invalidEach(out, joinPath(path, 'name'), name, isDNS1123Label(name));
  const image = asStr(c.image);
  if (image === '') required(out, joinPath(path, 'image'));
  else if (image !== undefined && ctx.isPod && image !== image.trim()) {
    invalid(out, joinPath(path, 'image'), image, 'must not have leading or trailing whitespace');
  }
  validateContainerPorts(out, joinPath(path, 'ports'), c.ports);
  validateEnv(out, joinPath(path, 'env'), c.env);
  validateEnvFrom(out, joinPath(path, 'envFrom'), c.envFrom);
  const sc = asObj(c.securityContext);
  validateVolumeMounts(out, joinPath(path, 'volumeMounts'), c.volumeMounts, ctx.volumes, sc?.privileged === true);
  validateResources(out, joinPath(path, 'resources'), c.resources);
  if (sc) validateSecurityContextCommon(out, joinPath(path, 'securityContext'), sc);
}

function checkHostPortConflicts(out: Out, path: string, list: readonly { c: Obj; i: number }[]): void {
  const seen = new Set<string>();
  for (const { c, i } of list) {
    asArr(c.ports).forEach((item, j) => {
      const port = asObj(item);
      const hp = port?.hostPort;
      if (!port || typeof hp !== 'number' || hp === 0) return;
      const key = `${asStr(port.protocol) ?? 'TCP'}/${asStr(port.hostIP) ?? ''}/${hp}`;
      const p = joinPath(joinPath(joinPath(path, i), 'ports'), j);
      if (seen.has(key)) duplicate(out, joinPath(p, 'hostPort'), key);
      else seen.add(key);
    });
  }
}

/** validateContainers + validateInitContainers (names unique across both lists). */
export function validateContainers(out: Out, specPath: string, spec: Obj, ctx: ContainerContext): void {
  const path = joinPath(specPath, 'containers');
  const containers = asArr(spec.containers);
  if (Array.isArray(spec.containers) && containers.length === 0) required(out, path);
  const names = new Set<string>();
  const regular: { c: Obj; i: number }[] = [];
  containers.forEach((item, i) => {
    const c = asObj(item);
    if (!c) return;
    regular.push({ c, i });
    const p = joinPath(path, i);
    validateContainerCommon(out, p, c, ctx);
    const name = asStr(c.name);
    if (name !== undefined) {
      if (names.has(name)) duplicate(out, joinPath(p, 'name'), name);
      else names.add(name);
    }
    if (isSet(c.lifecycle)) validateLifecycle(out, joinPath(p, 'lifecycle'), c.lifecycle, ctx.gracePeriod);
    validateProbe(out, joinPath(p, 'livenessProbe'), c.livenessProbe, 'liveness', ctx.gracePeriod);
    validateProbe(out, joinPath(p, 'readinessProbe'), c.readinessProbe, 'readiness', ctx.gracePeriod);
    validateProbe(out, joinPath(p, 'startupProbe'), c.startupProbe, 'startup', ctx.gracePeriod);
    if (isSet(c.restartPolicy)) forbidden(out, joinPath(p, 'restartPolicy'), 'may not be set for non-init containers');
  });
  checkHostPortConflicts(out, path, regular);

  const initPath = joinPath(specPath, 'initContainers');
  asArr(spec.initContainers).forEach((item, i) => {
    const c = asObj(item);
    if (!c) return;
    const p = joinPath(initPath, i);
    validateContainerCommon(out, p, c, ctx);
    const name = asStr(c.name);
    if (name !== undefined) {
      if (names.has(name)) duplicate(out, joinPath(p, 'name'), name);
      else if (name) names.add(name);
    }
    checkHostPortConflicts(out, initPath, [{ c, i }]);
    if (c.restartPolicy === 'Always') {
      if (isSet(c.lifecycle)) validateLifecycle(out, joinPath(p, 'lifecycle'), c.lifecycle, ctx.gracePeriod);
      validateProbe(out, joinPath(p, 'livenessProbe'), c.livenessProbe, 'liveness', ctx.gracePeriod);
      validateProbe(out, joinPath(p, 'readinessProbe'), c.readinessProbe, 'readiness', ctx.gracePeriod);
      validateProbe(out, joinPath(p, 'startupProbe'), c.startupProbe, 'startup', ctx.gracePeriod);
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (isSet(c[f])) forbidden(out, joinPath(p, f), 'may not be set for init containers without restartPolicy=Always');
      }
    }
  });
}

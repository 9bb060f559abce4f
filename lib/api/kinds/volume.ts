/**
 * Pod volumes and volume mounts (core/v1 Volume, VolumeSource subset, VolumeMount) and
 * ValidateVolumes / validateVolumeSource / ValidateVolumeMounts.
 *
 * Volume sources modelled: hostPath, emptyDir, secret, nfs, persistentVolumeClaim, configMap
 * (VolumeSource field order). Any other source is an unknown field.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { isDNS1123Label } from '../names.ts';
import { parseQuantity } from '../quantity.ts';
import {
  asArr,
  asInt,
  asObj,
  asStr,
  duplicate,
  forbidden,
  invalid,
  invalidEach,
  isSet,
  notFound,
  required,
  zBool,
  zInt,
  zAnyObject,
  zQuantity,
  zStr,
  type Out,
} from './fields.ts';
import { validateLocalDescendingPath, validateLocalNonReservedPath, validatePathNoBacksteps } from './formats.ts';

export const HostPathTypes = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;

export const HostPathVolumeSourceSchema = z.strictObject({
  path: zStr,
  type: z.enum(HostPathTypes).optional(),
});

export const EmptyDirVolumeSourceSchema = z.strictObject({
  medium: zStr.optional(),
  sizeLimit: zQuantity.optional(),
});

export const KeyToPathSchema = z.strictObject({
  key: zStr,
  path: zStr,
  mode: zInt.optional(),
});

export const SecretVolumeSourceSchema = z.strictObject({
  secretName: zStr.optional(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: zInt.optional(),
  optional: zBool.optional(),
});

export const NFSVolumeSourceSchema = z.strictObject({
  server: zStr,
  path: zStr,
  readOnly: zBool.optional(),
});

export const PersistentVolumeClaimVolumeSourceSchema = z.strictObject({
  claimName: zStr,
  readOnly: zBool.optional(),
});

export const ConfigMapVolumeSourceSchema = z.strictObject({
  name: zStr.optional(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: zInt.optional(),
  optional: zBool.optional(),
});

const MODELLED_SOURCES = ['hostPath', 'emptyDir', 'secret', 'nfs', 'persistentVolumeClaim', 'configMap'] as const;
/** The rest of core/v1 VolumeSource, accepted without checking their bodies. */
const OTHER_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'downwardAPI', 'ephemeral', 'fc',
  'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'image', 'iscsi', 'photonPersistentDisk',
  'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
] as const;
const SOURCES = [...MODELLED_SOURCES, ...OTHER_SOURCES] as const;
const OTHER_SOURCE_SCHEMAS = Object.fromEntries(OTHER_SOURCES.map((k) => [k, zAnyObject.optional()])) as {
  [K in (typeof OTHER_SOURCES)[number]]: z.ZodOptional<typeof zAnyObject>;
};

export const VolumeSchema = z.strictObject({
  name: zStr,
  hostPath: HostPathVolumeSourceSchema.optional(),
  emptyDir: EmptyDirVolumeSourceSchema.optional(),
  secret: SecretVolumeSourceSchema.optional(),
  nfs: NFSVolumeSourceSchema.optional(),
  persistentVolumeClaim: PersistentVolumeClaimVolumeSourceSchema.optional(),
  configMap: ConfigMapVolumeSourceSchema.optional(),
  // Every other Kubernetes volume source is accepted as written (its body is not checked), so
  // real-cluster manifests using them are never blocked.
  ...OTHER_SOURCE_SCHEMAS,
});

export const VolumeMountSchema = z.strictObject({
  name: zStr,
  readOnly: zBool.optional(),
  mountPath: zStr,
  subPath: zStr.optional(),
  mountPropagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
  subPathExpr: zStr.optional(),
});

export type HostPathVolumeSource = z.output<typeof HostPathVolumeSourceSchema>;
export type EmptyDirVolumeSource = z.output<typeof EmptyDirVolumeSourceSchema>;
export type KeyToPath = z.output<typeof KeyToPathSchema>;
export type SecretVolumeSource = z.output<typeof SecretVolumeSourceSchema>;
export type NFSVolumeSource = z.output<typeof NFSVolumeSourceSchema>;
export type PersistentVolumeClaimVolumeSource = z.output<typeof PersistentVolumeClaimVolumeSourceSchema>;
export type ConfigMapVolumeSource = z.output<typeof ConfigMapVolumeSourceSchema>;
export type Volume = z.output<typeof VolumeSchema>;
export type VolumeInput = z.input<typeof VolumeSchema>;
export type VolumeMount = z.output<typeof VolumeMountSchema>;
export type VolumeMountInput = z.input<typeof VolumeMountSchema>;

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

function checkMode(out: Out, path: string, v: unknown): void {
  const m = asInt(v);
  if (m !== undefined && (m < 0 || m > 0o777)) invalid(out, path, m, FILE_MODE_MSG);
}

function validateItems(out: Out, path: string, v: unknown): void {
  asArr(v).forEach((it, i) => {
    const kp = asObj(it);
    if (!kp) return;
    const p = joinPath(path, i);
    if (asStr(kp.key) === '') required(out, joinPath(p, 'key'));
    const target = asStr(kp.path);
    if (target === '') required(out, joinPath(p, 'path'));
    if (target !== undefined) validateLocalNonReservedPath(out, joinPath(p, 'path'), target);
    checkMode(out, joinPath(p, 'mode'), kp.mode);
  });
}

function validateSource(out: Out, path: string, kind: (typeof SOURCES)[number], s: Record<string, unknown>): void {
  if (!(MODELLED_SOURCES as readonly string[]).includes(kind)) return;
  switch (kind) {
    case 'hostPath': {
      const p = asStr(s.path);
      if (p === '') required(out, joinPath(path, 'path'));
      else if (p !== undefined) validatePathNoBacksteps(out, joinPath(path, 'path'), p);
      break;
    }
    case 'emptyDir': {
      const q = s.sizeLimit;
      if (typeof q === 'string' || typeof q === 'number') {
        try {
          if (parseQuantity(q).sign() < 0) forbidden(out, joinPath(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity');
        } catch (e) {
          invalid(out, joinPath(path, 'sizeLimit'), String(q), (e as Error).message);
        }
      }
      break;
    }
    case 'secret':
      if (s.secretName === undefined || s.secretName === '') required(out, joinPath(path, 'secretName'));
      checkMode(out, joinPath(path, 'defaultMode'), s.defaultMode);
      validateItems(out, joinPath(path, 'items'), s.items);
      break;
    case 'configMap':
      if (s.name === undefined || s.name === '') required(out, joinPath(path, 'name'));
      checkMode(out, joinPath(path, 'defaultMode'), s.defaultMode);
      validateItems(out, joinPath(path, 'items'), s.items);
      break;
    case 'nfs': {
      if (asStr(s.server) === '') required(out, joinPath(path, 'server'));
      const p = asStr(s.path);
      if (p === '') required(out, joinPath(path, 'path'));
      if (p !== undefined && !p.startsWith('/')) invalid(out, joinPath(path, 'path'), p, 'must be an absolute path');
      break;
    }
    case 'persistentVolumeClaim':
      if (asStr(s.claimName) === '') required(out, joinPath(path, 'claimName'));
      break;
  }
}

/** ValidateVolumes: returns the set of volume names that mounts may reference. */
export function validateVolumes(out: Out, path: string, raw: unknown): Set<string> {
  const names = new Set<string>();
  asArr(raw).forEach((item, i) => {
    const v = asObj(item);
    if (!v) return;
    const p = joinPath(path, i);
    let n = 0;
    for (const k of SOURCES) {
      if (!isSet(v[k])) continue;
      if (n > 0) {
        forbidden(out, joinPath(p, k), 'may not specify more than 1 volume type');
        continue;
      }
      n++;
      const s = asObj(v[k]);
      if (s) validateSource(out, joinPath(p, k), k, s);
    }
    if (n === 0) required(out, p, 'must specify a volume type');
    const name = asStr(v.name);
    const namePath = joinPath(p, 'name');
    if (name === '') required(out, namePath);
    else if (name !== undefined) invalidEach(out, namePath, name, isDNS1123Label(name));
    if (name !== undefined && names.has(name)) duplicate(out, namePath, name);
    if (name) names.add(name);
  });
  return names;
}

/** ValidateVolumeMounts */
export function validateVolumeMounts(out: Out, path: string, raw: unknown, volumes: ReadonlySet<string>, privileged: boolean): void {
  const mountPoints = new Set<string>();
  asArr(raw).forEach((item, i) => {
    const m = asObj(item);
    if (!m) return;
    const p = joinPath(path, i);
    const name = asStr(m.name);
    if (name === '') required(out, joinPath(p, 'name'));
    if (name !== undefined && !volumes.has(name)) notFound(out, joinPath(p, 'name'), name);
    const mountPath = asStr(m.mountPath);
    if (mountPath === '') required(out, joinPath(p, 'mountPath'));
    if (mountPath !== undefined) {
      if (mountPoints.has(mountPath)) invalid(out, joinPath(p, 'mountPath'), mountPath, 'must be unique');
      mountPoints.add(mountPath);
    }
    const subPath = asStr(m.subPath);
    if (subPath) validateLocalDescendingPath(out, joinPath(p, 'subPath'), subPath);
    const subPathExpr = asStr(m.subPathExpr);
    if (subPathExpr) {
      if (subPath) invalid(out, joinPath(p, 'subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive');
      validateLocalDescendingPath(out, joinPath(p, 'subPathExpr'), subPathExpr);
    }
    if (m.mountPropagation === 'Bidirectional' && !privileged) {
      forbidden(out, joinPath(p, 'mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers');
    }
  });
}

/**
 * PersistentVolumeClaim v1: the schema, SetDefaults_PersistentVolumeClaimSpec (volumeMode
 * Filesystem) and the parts of ValidatePersistentVolumeClaim (pkg/apis/core/validation) that a
 * claim without a provisioner needs: access modes and the storage request. The runtime stores
 * claims (kubectl's `apply --prune` lists them) and never binds them: they stay Pending.
 */
import { z } from 'zod';
import { joinPath } from '../diagnostics.ts';
import { ObjectMetaSchema, validateObjectMeta } from '../meta.ts';
import { parseQuantity } from '../quantity.ts';
import { LabelSelectorSchema } from './replicaset.ts';
import { asObj, asStr, asStrList, invalid, keyPath, notSupported, required, zAnyObject, zQuantityMap, zStr, zStrList, type Obj, type Out } from './fields.ts';

/** core.PersistentVolumeAccessMode values (supportedAccessModes). */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
const VOLUME_MODES = ['Block', 'Filesystem'] as const;

/** core/v1 TypedLocalObjectReference (a claim's data source). */
const TypedLocalObjectReferenceSchema = z.strictObject({ apiGroup: zStr.optional(), kind: zStr, name: zStr });

export const PersistentVolumeClaimSpecSchema = z.strictObject({
  accessModes: zStrList.optional(),
  selector: LabelSelectorSchema.optional(),
  resources: z.strictObject({ limits: zQuantityMap.optional(), requests: zQuantityMap.optional() }).optional(),
  volumeName: zStr.optional(),
  storageClassName: zStr.optional(),
  volumeMode: zStr.optional(),
  dataSource: TypedLocalObjectReferenceSchema.optional(),
  dataSourceRef: TypedLocalObjectReferenceSchema.extend({ namespace: zStr.optional() }).optional(),
  volumeAttributesClassName: zStr.optional(),
});

export const PersistentVolumeClaimStatusSchema = z.strictObject({
  phase: zStr.optional(),
  accessModes: zStrList.optional(),
  capacity: zQuantityMap.optional(),
  conditions: z.array(zAnyObject).optional(),
  allocatedResources: zQuantityMap.optional(),
  allocatedResourceStatuses: z.record(z.string(), z.string()).optional(),
  currentVolumeAttributesClassName: zStr.optional(),
  modifyVolumeStatus: zAnyObject.optional(),
});

export const PersistentVolumeClaimSchema = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('PersistentVolumeClaim'),
  metadata: ObjectMetaSchema,
  spec: PersistentVolumeClaimSpecSchema.optional(),
  status: PersistentVolumeClaimStatusSchema.optional(),
});

export type PersistentVolumeClaimSpec = z.output<typeof PersistentVolumeClaimSpecSchema>;
export type PersistentVolumeClaim = z.output<typeof PersistentVolumeClaimSchema>;
export type PersistentVolumeClaimInput = z.input<typeof PersistentVolumeClaimSchema>;

/** SetDefaults_PersistentVolumeClaimSpec: a claim is for a filesystem unless it says Block. */
export function defaultPersistentVolumeClaim(o: Obj): Obj {
  const spec = asObj(o.spec) ?? {};
  return spec.volumeMode ? o : { ...o, spec: { ...spec, volumeMode: 'Filesystem' } };
}

/** ValidatePersistentVolumeClaim / ValidatePersistentVolumeClaimSpec (access modes, storage request, volume mode). */
export function validatePersistentVolumeClaim(out: Out, raw: Obj): void {
  validateObjectMeta(out, raw.metadata, { nameRule: 'dns-subdomain', namespaced: true });
  const spec = asObj(raw.spec) ?? {};
  const p = (f: string) => joinPath('spec', f);
  const modes = asStrList(spec.accessModes);
  if (modes.length === 0) required(out, p('accessModes'), 'at least 1 access mode is required');
  for (const mode of modes) if (!(ACCESS_MODES as readonly string[]).includes(mode)) notSupported(out, p('accessModes'), mode, ACCESS_MODES);
  const storagePath = keyPath(p('resources'), 'storage');
  const storage = asObj(asObj(spec.resources)?.requests)?.storage;
  if (storage === undefined) required(out, storagePath);
  else if (typeof storage === 'string' || typeof storage === 'number') {
    try {
      if (parseQuantity(storage).sign() <= 0) invalid(out, storagePath, String(storage), 'must be greater than zero');
    } catch (e) {
      invalid(out, storagePath, String(storage), (e as Error).message);
    }
  }
  const volumeMode = asStr(spec.volumeMode);
  if (volumeMode && !(VOLUME_MODES as readonly string[]).includes(volumeMode)) notSupported(out, p('volumeMode'), volumeMode, VOLUME_MODES);
}

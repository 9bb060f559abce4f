import { conditionsField, metadataField } from '../patch/schema.ts';
import { AGE, age, col, NAME, nameOf, WIDE, type TablePrinter } from '../printers.ts';
import { obj, str, type KindStrategy } from './strategy.ts';

// Column descriptions: the SwaggerDoc() texts printers.go references (k8s.io/api 1.32).
const PVC_TABLE: TablePrinter = {
  columns: [
    NAME,
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE,
    col('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', WIDE),
  ],
  print: printPersistentVolumeClaim,
};

/** helper.GetAccessModesAsString: the short forms, in this order, each once. */
const MODE_ABBREVIATIONS: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

function accessModesString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  return MODE_ABBREVIATIONS.filter(([mode]) => list.includes(mode)).map(([, short]) => short).join(',');
}

/** printPersistentVolumeClaim: capacity and access modes only once bound to a volume. */
function printPersistentVolumeClaim(pvc: Readonly<Record<string, unknown>>, now: Date) {
  const spec = obj(pvc.spec);
  const status = obj(pvc.status);
  const meta = obj(pvc.metadata);
  const phase = meta.deletionTimestamp ? 'Terminating' : str(status.phase);
  const bound = str(spec.volumeName) !== '';
  // helper.GetPersistentVolumeClaimClass: the beta annotation wins over the field.
  const storageClass = str(obj(meta.annotations)['volume.beta.kubernetes.io/storage-class']) || str(spec.storageClassName);
  return {
    cells: [
      nameOf(pvc),
      phase,
      str(spec.volumeName),
      bound ? str(obj(status.capacity).storage) : '',
      bound ? accessModesString(status.accessModes) : '',
      storageClass,
      str(spec.volumeAttributesClassName) || '<unset>',
      age(pvc, now),
      str(spec.volumeMode) || '<unset>',
    ],
  };
}

export const persistentVolumeClaim: KindStrategy = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  subresources: ['status'],
  // Nothing provisions volumes here: a claim stays Pending (SetDefaults_PersistentVolumeClaim's phase).
  prepareForCreate(o) {
    o.status = { phase: 'Pending' };
  },
  table: PVC_TABLE,
  patchSchema: {
    name: 'PersistentVolumeClaim',
    fields: { metadata: metadataField, status: { type: { name: 'PersistentVolumeClaimStatus', fields: { conditions: conditionsField } } } },
  },
};

/** The parts of a pod spec that pods and pod templates both print: volumes and topology spread constraints. */
import type { Obj } from '../../api/kinds/fields.ts';
import { compareGoStrings, formatLabelSelector } from '../../api/label-format.ts';
import { arr, int, obj, quantity, str } from './fields.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './prefix-writer.ts';

export function describeVolumes(volumes: Obj[], w: PrefixWriter, space: string): void {
  if (volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    const nameIndent = space.length > 0 ? ' ' : '';
    w.write(LEVEL_1, `${nameIndent}${str(v.name)}:\n`);
    describeVolumeSource(v, w);
  }
}

function describeVolumeSource(v: Obj, w: PrefixWriter): void {
  if (v.hostPath) {
    const h = obj(v.hostPath);
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(h.path)}\n    HostPathType:\t${h.type === undefined || h.type === null ? '<none>' : str(h.type)}\n`);
  } else if (v.emptyDir) {
    const e = obj(v.emptyDir);
    const limit = quantity(e.sizeLimit);
    const sizeLimit = limit && limit.sign() > 0 ? limit.toString() : '<unset>';
    w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(e.medium)}\n    SizeLimit:\t${sizeLimit}\n`);
  } else if (v.secret) {
    const s = obj(v.secret);
    w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(s.secretName)}\n    Optional:\t${s.optional === true}\n`);
  } else if (v.configMap) {
    const c = obj(v.configMap);
    w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(c.name)}\n    Optional:\t${c.optional === true}\n`);
  } else if (v.nfs) {
    const n = obj(v.nfs);
    w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(n.server)}\n    Path:\t${str(n.path)}\n    ReadOnly:\t${n.readOnly === true}\n`);
  } else if (v.persistentVolumeClaim) {
    const p = obj(v.persistentVolumeClaim);
    w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(p.claimName)}\n    ReadOnly:\t${p.readOnly === true}\n`);
  } else if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of arr(obj(v.downwardAPI).items)) {
      if (item.fieldRef) w.write(LEVEL_3, `${str(obj(item.fieldRef).fieldPath)} -> ${str(item.path)}\n`);
      if (item.resourceFieldRef) w.write(LEVEL_3, `${str(obj(item.resourceFieldRef).resource)} -> ${str(item.path)}\n`);
    }
  } else if (v.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const source of arr(obj(v.projected).sources)) {
      if (source.secret) w.write(LEVEL_2, `SecretName:\t${str(obj(source.secret).name)}\n    Optional:\t${obj(source.secret).optional === true}\n`);
      else if (source.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      else if (source.configMap) w.write(LEVEL_2, `ConfigMapName:\t${str(obj(source.configMap).name)}\n    Optional:\t${obj(source.configMap).optional === true}\n`);
      else if (source.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${int(obj(source.serviceAccountToken).expirationSeconds)}\n`);
    }
  } else if (v.image) {
    const i = obj(v.image);
    w.write(LEVEL_2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${str(i.reference)}\n    PullPolicy:\t${str(i.pullPolicy)}\n`);
  } else {
    w.write(LEVEL_1, '<unknown>\n');
  }
}

export function describeTopologySpreadConstraints(tscs: Obj[], w: PrefixWriter, space: string): void {
  if (tscs.length === 0) return;
  const sorted = [...tscs].sort((a, b) => compareGoStrings(str(a.topologyKey), str(b.topologyKey)));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((tsc, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, space);
      w.write(LEVEL_0, '\t');
    }
    w.write(LEVEL_0, `${str(tsc.topologyKey)}:`);
    w.write(LEVEL_0, str(tsc.whenUnsatisfiable));
    w.write(LEVEL_0, ` when max skew ${int(tsc.maxSkew)} is exceeded`);
    if (tsc.labelSelector) w.write(LEVEL_0, ` for selector ${formatLabelSelector(tsc.labelSelector)}`);
    w.write(LEVEL_0, '\n');
  });
}


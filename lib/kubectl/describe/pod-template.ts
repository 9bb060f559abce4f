/** DescribePodTemplate: the `Pod Template:` section of replica sets and replication controllers. */
import type { Obj } from '../../api/kinds/fields.ts';
import { describeContainers } from './containers.ts';
import { arr, obj, str } from './fields.ts';
import { printAnnotationsMultiline, printLabelsMultiline, printPodTolerationsMultiline } from './multiline.ts';
import { describeTopologySpreadConstraints, describeVolumes } from './pod-spec.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefix-writer.ts';

/** DescribePodTemplate (replica sets, replication controllers). */
export function describePodTemplate(template: Obj | undefined, w: PrefixWriter): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const meta = obj(template.metadata);
  const spec = obj(template.spec);
  printLabelsMultiline(w, '  Labels', meta.labels);
  if (Object.keys(obj(meta.annotations)).length > 0) printAnnotationsMultiline(w, '  Annotations', meta.annotations);
  if (str(spec.serviceAccountName).length > 0) w.write(LEVEL_1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (arr(spec.initContainers).length > 0) describeContainers('Init Containers', arr(spec.initContainers), [], undefined, w, '  ');
  describeContainers('Containers', arr(spec.containers), [], undefined, w, '  ');
  describeVolumes(arr(spec.volumes), w, '  ');
  describeTopologySpreadConstraints(arr(spec.topologySpreadConstraints), w, '  ');
  if (str(spec.priorityClassName).length > 0) w.write(LEVEL_1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printPodTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

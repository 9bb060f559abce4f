/** `describe pod`, laid out as kubectl's describePod. */
import type { Event, Pod, PodStatus } from '../../api/model.ts';
import { qosClass } from '../../api/qos.ts';
import { rfc1123z } from '../time.ts';
import { describeContainers, describeResources } from './containers.ts';
import type { Describer } from './describer.ts';
import { envValueRetriever } from './env.ts';
import { describeEvents, searchEvents } from './events.ts';
import { arr, int, obj, since, str } from './fields.ts';
import { printController, printLabelsAndAnnotations, printLabelsMultiline, printPodTolerationsMultiline } from './multiline.ts';
import { describeTopologySpreadConstraints, describeVolumes } from './pod-spec.ts';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './prefix-writer.ts';

export interface PodRelated {
  events: Event[];
}

export const podDescriber: Describer<PodRelated> = {
  kind: 'Pod',
  groups: [''],
  async related(pod, client) {
    const meta = pod.metadata ?? {};
    // no kind: events about the pod from any reporter (kubectl clears it); a mirror pod's by its source's uid
    const uid = meta.annotations?.['kubernetes.io/config.mirror'] ?? meta.uid ?? '';
    return { events: await searchEvents(client, { name: meta.name ?? '', namespace: meta.namespace ?? '', uid }) };
  },
  render(o, { events }, now) {
    return describePod(o as Pod, events, now);
  },
};

/** describePod, given the pod and its events. */
function describePod(pod: Pod, events: readonly Event[], now: number): string {
  const w = new PrefixWriter();
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status: PodStatus = pod.status ?? {};
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  if (typeof spec.priority === 'number') w.write(LEVEL_0, `Priority:\t${int(spec.priority)}\n`);
  if (str(spec.priorityClassName).length > 0) w.write(LEVEL_0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (str(spec.runtimeClassName).length > 0) w.write(LEVEL_0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (str(spec.serviceAccountName).length > 0) w.write(LEVEL_0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (str(spec.nodeName) === '') w.write(LEVEL_0, 'Node:\t<none>\n');
  else w.write(LEVEL_0, `Node:\t${str(spec.nodeName)}/${status.hostIP ?? ''}\n`);
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsAndAnnotations(w, meta);
  const phase = status.phase ?? '';
  if (meta.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${int(meta.deletionGracePeriodSeconds)}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${phase}\n`);
  }
  if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
  const seccomp = obj(obj(spec.securityContext).seccompProfile);
  if (obj(spec.securityContext).seccompProfile) {
    w.write(LEVEL_0, `SeccompProfile:\t${str(seccomp.type)}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
  }
  w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
  const podIPs = status.podIPs ?? [];
  if (podIPs.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n');
  else {
    w.write(LEVEL_0, 'IPs:\n');
    for (const ip of podIPs) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = printController(pod);
  if (controlledBy.length > 0) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(LEVEL_0, 'Resources:\n');
    describeResources(obj(spec.resources), w, LEVEL_1);
  }
  const resolver = envValueRetriever(pod);
  if (arr(spec.initContainers).length > 0) describeContainers('Init Containers', arr(spec.initContainers), status.initContainerStatuses ?? [], resolver, w, '');
  describeContainers('Containers', arr(spec.containers), status.containerStatuses ?? [], resolver, w, '');
  if (arr(spec.ephemeralContainers).length > 0) describeContainers('Ephemeral Containers', arr(spec.ephemeralContainers), status.ephemeralContainerStatuses ?? [], resolver, w, '');
  const gates = arr(spec.readinessGates);
  const conditions = status.conditions ?? [];
  if (gates.length > 0) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of gates) {
      const c = conditions.find((x) => x.type === g.conditionType);
      w.write(LEVEL_1, `${str(g.conditionType)} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(arr(spec.volumes), w, '');
  w.write(LEVEL_0, `QoS Class:\t${status.qosClass || qosClass(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printPodTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeTopologySpreadConstraints(arr(spec.topologySpreadConstraints), w, '');
  describeEvents(events, w, now);
  return w.toString();
}

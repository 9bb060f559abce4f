/** `describe replicaset` and `describe replicationcontroller`, as kubectl's describers lay them out. */
import type { Obj } from '../../api/kinds/fields.ts';
import { formatLabels, formatLabelSelector } from '../../api/label-format.ts';
import type { Event, Pod, PodPhase, ReplicaSet, ReplicaSetStatus, ReplicationController } from '../../api/model.ts';
import { labelSelectorAsSelector, selectorFromSet } from '../../api/selector.ts';
import type { KubeClient } from '../../kube/index.ts';
import type { Describer, LookupError } from './describer.ts';
import { describeEvents, eventsAbout } from './events.ts';
import { obj, str } from './fields.ts';
import { printController, printLabelsAndAnnotations } from './multiline.ts';
import { describePodTemplate } from './pod-template.ts';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './prefix-writer.ts';

const PODS = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;

/** What describe looks up for a ReplicationController: the pods it controls and its events. */
export interface ReplicationControllerRelated {
  pods: Pod[];
  events: Event[];
}

/** A ReplicaSet's: the same, a failed pod lookup kept as data (kubectl prints it; an RC's fails describe). */
export interface ReplicaSetRelated {
  pods: Pod[] | LookupError;
  events: Event[];
}

/** The pods `selector` selects in the namespace that the controller with `uid` controls. */
async function controlledPods(client: KubeClient, namespace: string, selector: string, uid: string): Promise<Pod[]> {
  const list = await client.listAll<Pod>(PODS, { namespace, labelSelector: selector });
  return list.items.filter((pod) => pod.metadata.ownerReferences?.find((r) => r.controller === true)?.uid === uid);
}

/** getPodStatusForController's counts: the pods by phase (Pending ones are "Waiting"). */
function podsStatus(pods: readonly Pod[]): string {
  const count = (phase: PodPhase) => pods.filter((p) => p.status?.phase === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}


/** Name, Namespace, Selector, Labels, Annotations: the header both controllers print. */
function printHeader(w: PrefixWriter, meta: Obj, selector: string): void {
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  w.write(LEVEL_0, `Selector:\t${selector}\n`);
  printLabelsAndAnnotations(w, meta);
}

function describeConditions(status: ReplicaSetStatus | undefined, w: PrefixWriter): void {
  const conditions = status?.conditions ?? [];
  if (conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

export const replicationControllerDescriber: Describer<ReplicationControllerRelated> = {
  kind: 'ReplicationController',
  groups: [''],
  async related(o, client) {
    const rc = o as ReplicationController;
    const meta = rc.metadata;
    const selector = selectorFromSet(rc.spec.selector ?? {}).toString();
    const pods = await controlledPods(client, meta.namespace ?? '', selector, meta.uid ?? '');
    return { pods, events: await eventsAbout(client, 'ReplicationController', rc) };
  },
  render(o, { pods, events }, now) {
    const rc = o as ReplicationController;
    const spec = rc.spec;
    const w = new PrefixWriter();
    printHeader(w, obj(rc.metadata), formatLabels(spec.selector));
    w.write(LEVEL_0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${spec.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatus(pods)}\n`);
    describePodTemplate(spec.template ? obj(spec.template) : undefined, w);
    describeConditions(rc.status, w);
    describeEvents(events, w, now);
    return w.toString();
  },
};

export const replicaSetDescriber: Describer<ReplicaSetRelated> = {
  kind: 'ReplicaSet',
  groups: ['apps', 'extensions'],
  async related(o, client) {
    const rs = o as ReplicaSet;
    const meta = rs.metadata;
    let pods: Pod[] | LookupError;
    try {
      const selector = labelSelectorAsSelector(rs.spec.selector ?? null).toString();
      pods = await controlledPods(client, meta.namespace ?? '', selector, meta.uid ?? '');
    } catch (e) {
      pods = { error: (e as Error).message };
    }
    return { pods, events: await eventsAbout(client, 'ReplicaSet', rs) };
  },
  render(o, { pods, events }, now) {
    const rs = o as ReplicaSet;
    const spec = rs.spec;
    const w = new PrefixWriter();
    printHeader(w, obj(rs.metadata), formatLabelSelector(spec.selector));
    const controlledBy = printController(rs);
    if (controlledBy.length > 0) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${spec.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    if (Array.isArray(pods)) w.write(LEVEL_0, `${podsStatus(pods)}\n`);
    else w.write(LEVEL_0, `error in fetching pods: ${pods.error}\n`);
    describePodTemplate(obj(spec.template), w);
    describeConditions(rs.status, w);
    describeEvents(events, w, now);
    return w.toString();
  },
};

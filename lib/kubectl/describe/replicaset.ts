/** `describe replicaset` and `describe replicationcontroller`, as kubectl's describers lay them out. */
import type { Obj } from '../../api/kinds/fields.ts';
import { formatLabels, formatLabelSelector } from '../../api/label-format.ts';
import type { ReplicaSet, ReplicationController } from '../../api/model.ts';
import { labelSelectorAsSelector, selectorFromSet, type LabelSelector } from '../../api/selector.ts';
import type { DescribeContext, Describer } from './describer.ts';
import { describeEvents, eventsAbout } from './events.ts';
import { arr, int, obj, str, strMap } from './fields.ts';
import { printController, printLabelsAndAnnotations } from './multiline.ts';
import { describePodTemplate } from './pod-template.ts';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './prefix-writer.ts';

const PODS = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;

interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

/** getPodStatusForController: the selected pods this controller owns, by phase. */
async function podStatusForController(ctx: DescribeContext, namespace: string, selector: string, uid: string): Promise<PodCounts> {
  const counts: PodCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  const list = await ctx.client.listAll(PODS, { namespace, labelSelector: selector });
  for (const pod of list.items) {
    const ref = arr(obj(pod.metadata).ownerReferences).find((r) => r.controller === true);
    if (!ref || str(ref.uid) !== uid) continue;
    switch (str(obj(pod.status).phase)) {
      case 'Running':
        counts.running++;
        break;
      case 'Pending':
        counts.waiting++;
        break;
      case 'Succeeded':
        counts.succeeded++;
        break;
      case 'Failed':
        counts.failed++;
        break;
    }
  }
  return counts;
}

function podsStatus(c: PodCounts): string {
  return `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
}

function replicas(spec: Obj): number {
  return spec.replicas === undefined || spec.replicas === null ? 1 : int(spec.replicas);
}

/** Name, Namespace, Selector, Labels, Annotations: the header both controllers print. */
function printHeader(w: PrefixWriter, meta: Obj, selector: string): void {
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  w.write(LEVEL_0, `Selector:\t${selector}\n`);
  printLabelsAndAnnotations(w, meta);
}

function describeConditions(status: Obj, w: PrefixWriter): void {
  const conditions = arr(status.conditions);
  if (conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
}

export const replicationControllerDescriber: Describer = {
  kind: 'ReplicationController',
  groups: [''],
  async describe(o, ctx) {
    const rc = o as ReplicationController;
    const meta = obj(rc.metadata);
    const spec = obj(rc.spec);
    const counts = await podStatusForController(ctx, str(meta.namespace), selectorFromSet(strMap(spec.selector)).toString(), str(meta.uid));
    const events = await eventsAbout(ctx, 'ReplicationController', meta);
    const w = new PrefixWriter();
    printHeader(w, meta, formatLabels(spec.selector));
    w.write(LEVEL_0, `Replicas:\t${int(obj(rc.status).replicas)} current / ${replicas(spec)} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`);
    describePodTemplate(spec.template ? obj(spec.template) : undefined, w);
    describeConditions(obj(rc.status), w);
    describeEvents(events, w, ctx.now);
    return w.toString();
  },
};

export const replicaSetDescriber: Describer = {
  kind: 'ReplicaSet',
  groups: ['apps', 'extensions'],
  async describe(o, ctx) {
    const rs = o as ReplicaSet;
    const meta = obj(rs.metadata);
    const spec = obj(rs.spec);
    let counts: PodCounts | undefined;
    let podErr: string | undefined;
    try {
      const selector = labelSelectorAsSelector((spec.selector ?? null) as LabelSelector | null).toString();
      counts = await podStatusForController(ctx, str(meta.namespace), selector, str(meta.uid));
    } catch (e) {
      podErr = (e as Error).message;
    }
    const events = await eventsAbout(ctx, 'ReplicaSet', meta);
    const w = new PrefixWriter();
    printHeader(w, meta, formatLabelSelector(spec.selector));
    const controlledBy = printController(rs);
    if (controlledBy.length > 0) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${int(obj(rs.status).replicas)} current / ${replicas(spec)} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    if (podErr !== undefined || !counts) w.write(LEVEL_0, `error in fetching pods: ${podErr}\n`);
    else w.write(LEVEL_0, `${podsStatus(counts)}\n`);
    describePodTemplate(obj(spec.template), w);
    describeConditions(obj(rs.status), w);
    describeEvents(events, w, ctx.now);
    return w.toString();
  },
};

/** `describe replicaset` / `describe replicationcontroller`, as kubectl's describers lay them out. */
import { labelSelectorAsSelector, type LabelSelector } from '../../lib/api/selector.ts';
import {
  arr,
  describeEvents,
  int,
  LEVEL_0,
  LEVEL_1,
  obj,
  printAnnotationsMultiline,
  printController,
  printLabelsMultiline,
  PrefixWriter,
  searchEvents,
  str,
  type DescribeContext,
  type Obj,
} from './common.ts';
import { describePodTemplate } from './pod.ts';
import { formatLabels, formatLabelSelector, selectorFromMap } from './selectors.ts';

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
  for (const pod of list.items as unknown as Obj[]) {
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

function describeConditions(status: Obj, w: PrefixWriter): void {
  const conditions = arr(status.conditions);
  if (conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
}

export async function describeReplicationController(rc: Obj, ctx: DescribeContext): Promise<string> {
  const meta = obj(rc.metadata);
  const spec = obj(rc.spec);
  const counts = await podStatusForController(ctx, str(meta.namespace), selectorFromMap(spec.selector), str(meta.uid));
  const events = await searchEvents(ctx.client, { kind: 'ReplicationController', name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(LEVEL_0, `Replicas:\t${int(obj(rc.status).replicas)} current / ${replicas(spec)} desired\n`);
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(counts)}\n`);
  describePodTemplate(spec.template ? obj(spec.template) : undefined, w);
  describeConditions(obj(rc.status), w);
  describeEvents(events, w, ctx.now);
  return w.toString();
}

export async function describeReplicaSet(rs: Obj, ctx: DescribeContext): Promise<string> {
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
  const events = await searchEvents(ctx.client, { kind: 'ReplicaSet', name: str(meta.name), namespace: str(meta.namespace), uid: str(meta.uid) });
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${str(meta.name)}\n`);
  w.write(LEVEL_0, `Namespace:\t${str(meta.namespace)}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
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
}

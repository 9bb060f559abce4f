/**
 * The mutating admission plugins every Pod passes on a real cluster (kube-apiserver's default
 * set), as pure functions of the pod; the API server composes them and supplies what they look
 * up (runtime/apiserver/pod-admission.ts):
 *
 *  - ServiceAccount (plugin/pkg/admission/serviceaccount), on create: an unset
 *    `spec.serviceAccountName` becomes `default`, and the account must exist;
 *  - DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds), on create and
 *    update: 300 s NoExecute tolerations of `not-ready` and `unreachable` unless tolerated;
 *  - Priority (plugin/pkg/admission/priority), on create: `priority` from the priority class
 *    (0 and PreemptLowerPriority without one); an update keeps what create set.
 *
 * They apply to Pods only: pod templates (ReplicaSets...) are stored as written.
 */
import { DEFAULT_SERVICE_ACCOUNT } from './kinds/serviceaccount.ts';
import type { Pod, PodSpec, Toleration } from './kinds/pod.ts';

/** defaulttolerationseconds' --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** scheduling.DefaultPriorityWhenNoDefaultClassExists */
export const DEFAULT_PRIORITY = 0;
const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';

/**
 * The priority classes every cluster has (the API server creates them at start:
 * scheduling.SystemPriorityClasses). PriorityClasses are not served here, so these are the only
 * names a pod may give.
 */
const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/** A refusal, worded as the plugin's error (the API server prefixes `pods "x" is forbidden: `). */
export interface PodAdmissionRefusal {
  forbidden: string;
}

/** ServiceAccount admission's defaulting: the account a pod runs as. */
export function withServiceAccount(spec: PodSpec): PodSpec {
  const name = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  // The v1 conversion writes the deprecated `serviceAccount` alongside the name.
  return { ...spec, serviceAccountName: name, serviceAccount: name };
}

/** ServiceAccount admission's refusal of a pod naming an account that does not exist. */
export function serviceAccountNotFound(namespace: string, name: string): PodAdmissionRefusal {
  return { forbidden: `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found` };
}

/** DefaultTolerationSeconds: a toleration with an empty key or effect covers that taint too. */
export function withDefaultTolerations(spec: PodSpec): PodSpec {
  const tolerations = spec.tolerations ?? [];
  const covers = (key: string) => tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
  const added: Toleration[] = [TAINT_NOT_READY, TAINT_UNREACHABLE]
    .filter((key) => !covers(key))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
  return added.length === 0 ? spec : { ...spec, tolerations: [...tolerations, ...added] };
}

/** Priority admission on create: the class's value (or the default), refusing a contradicting literal. */
export function withPriority(spec: PodSpec): PodSpec | PodAdmissionRefusal {
  let priority = DEFAULT_PRIORITY;
  if (spec.priorityClassName) {
    const value = SYSTEM_PRIORITY_CLASSES[spec.priorityClassName];
    if (value === undefined) return { forbidden: `no PriorityClass with name ${spec.priorityClassName} was found` };
    priority = value;
  }
  if (spec.priority !== undefined && spec.priority !== priority) {
    return {
      forbidden: `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    };
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== PREEMPT_LOWER_PRIORITY) {
    return {
      forbidden: `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${PREEMPT_LOWER_PRIORITY} from the given PriorityClass name`,
    };
  }
  return { ...spec, priority, preemptionPolicy: PREEMPT_LOWER_PRIORITY };
}

/** Priority admission on update: what create set is kept when an update leaves it out. */
export function keepPriority(spec: PodSpec, old: PodSpec): PodSpec {
  return {
    ...spec,
    ...(spec.priority === undefined && old.priority !== undefined ? { priority: old.priority } : {}),
    ...(spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined ? { preemptionPolicy: old.preemptionPolicy } : {}),
  };
}

/**
 * The plugins on a pod being created, in kube-apiserver's order. `serviceAccounts: false` is a
 * server run without the ServiceAccount plugin (no account defaulted or required).
 */
export function admitPodCreate(pod: Pod, opts: { serviceAccounts: boolean }): Pod | PodAdmissionRefusal {
  let spec = opts.serviceAccounts ? withServiceAccount(pod.spec) : pod.spec;
  spec = withDefaultTolerations(spec);
  const prioritized = withPriority(spec);
  if ('forbidden' in prioritized) return prioritized;
  return { ...pod, spec: prioritized };
}

/** The plugins on a pod update (not a status update). */
export function admitPodUpdate(pod: Pod, old: Pod): Pod {
  return { ...pod, spec: withDefaultTolerations(keepPriority(pod.spec, old.spec)) };
}

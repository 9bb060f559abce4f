/**
 * kube-scheduler's framework, small: filter and score plugins over an in-memory snapshot of the
 * nodes (NodeInfo: the node, the pods bound or assumed there and what they request), the
 * status a filter returns (a code and the reasons users read in FailedScheduling events), and
 * FitError, which assembles the "0/3 nodes are available: ..." message exactly as upstream
 * (k/k pkg/scheduler/framework/types.go FitError.Error, interface.go Status).
 */
import { compareGoStrings } from '../../lib/api/label-format.ts';
import type { Node, Pod, Taint } from '../../lib/api/model.ts';

/** framework.Code, the ones a filter can return. */
export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

/** framework.Status: a code and the reasons (each counted separately in the FitError message). */
export class Status {
  constructor(
    readonly code: StatusCode,
    readonly reasons: readonly string[] = [],
    /** The plugin that failed the node. */
    public plugin = '',
  ) {}

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }
}

/** Resource amounts as the scheduler compares them: milli-CPU, bytes, and plain counts. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Other resources (extended resources, hugepages), by name. */
  scalar: Map<string, number> | undefined;
}

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: undefined };
}

export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

/** What the scheduler derives from a pod once (framework.PodInfo + the preFilter state). */
export interface PodInfo {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  pod: Pod;
  /** Σ containers, max with each init container (sidecars added): what NodeResourcesFit checks. */
  requests: Resources;
  /** The same with 100m CPU / 200Mi memory for containers that request none (scoring only). */
  nonZero: { milliCPU: number; memory: number };
  hostPorts: HostPort[];
  /** Spreading groups: `ctl:<owner uid>` and `svc:<ns>/<name>` of the Services selecting the pod. */
  groups: string[];
  /** `groups` sorted and joined: the key of the node's spread counts. */
  signature: string;
  terminating: boolean;
}

/** A node and what is bound (or assumed bound) to it: framework.NodeInfo. */
export interface NodeInfo {
  name: string;
  /** Undefined while only pods on a node are known (the node object arrives later or is gone). */
  node: Node | undefined;
  allocatable: Resources & { pods: number };
  requested: Resources;
  nonZeroRequested: { milliCPU: number; memory: number };
  pods: Map<string, PodInfo>;
  /** `protocol/port` → hostIP → count of pods using it. */
  usedPorts: Map<string, Map<string, number>>;
  /** Spread signature → pods (not terminating) with exactly those groups. */
  spread: Map<string, { groups: string[]; count: number }>;
  /** The spread signatures that include each group (countMatching looks only at those of a pod's first group). */
  spreadByGroup: Map<string, Set<string>>;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  unschedulable: boolean;
}

/** State a scheduling cycle shares between plugins (framework.CycleState). */
export type CycleState = Map<string, unknown>;

export interface FilterPlugin {
  readonly name: string;
  /** undefined (or a Success status) when the pod fits the node. */
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined;
}

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Runs once per cycle over the feasible nodes before `score` (framework.PreScorePlugin). */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): void;
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rewrites the raw scores (same order as the nodes) into 0..MAX_NODE_SCORE. */
  normalize?(state: CycleState, pod: PodInfo, scores: number[]): void;
}

/** helper.DefaultNormalizeScore: scale to the maximum, optionally reversed; integer arithmetic. */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]!) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

export const NO_NODE_AVAILABLE_MSG = 'no nodes available to schedule pods';

/**
 * framework.FitError: `0/N nodes are available:` + ` <reasons>.` (each `<count> <reason>`,
 * the strings sorted) + ` <postFilterMsg>.` — SeparatorFormat is " %v.", so a PostFilter
 * message that ends with a period (preemption's does) ends the text with "..", as 1.32 prints.
 */
export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly nodeStatuses: ReadonlyMap<string, Status>,
    readonly postFilterMsg = '',
  ) {
    super(fitErrorMessage(numAllNodes, nodeStatuses.values(), postFilterMsg));
    this.name = 'FitError';
  }
}

export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, postFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(compareGoStrings);
  if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

export { compareGoStrings };

/** truncateMessage of schedule_one.go: events carry at most 1024 characters. */
export function truncateMessage(message: string, max = 1024): string {
  if (message.length <= max) return message;
  const suffix = ' ...';
  return message.slice(0, max - suffix.length) + suffix;
}

import { asArr, asObj, asStr, asStrList } from '../../../lib/api/kinds/fields.ts';
import type { Pod } from '../../../lib/api/model.ts';
import type { FilterPlugin, NodeInfo, ScorePlugin } from '../framework.ts';
import { defaultNormalizeScore, MAX_NODE_SCORE, Status } from '../framework.ts';

export const ERR_REASON_POD_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

// Node affinity is loose JSON in lib/api's Pod (as are all affinity terms): read it defensively.

/** A NodeSelectorRequirement against node labels (or, for matchFields, `metadata.name`). */
function requirementMatches(req: Record<string, unknown>, value: string | undefined): boolean {
  const values = asStrList(req.values);
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      if (!/^[+-]?\d+$/.test(value) || !/^[+-]?\d+$/.test(values[0]!)) return false;
      const a = BigInt(value);
      const b = BigInt(values[0]!);
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A NodeSelectorTerm: every expression and field requirement holds; an empty term matches nothing. */
export function termMatches(term: unknown, node: NodeInfo): boolean {
  const t = asObj(term);
  const exprs = asArr(t?.matchExpressions).map((e) => asObj(e) ?? {});
  const fields = asArr(t?.matchFields).map((f) => asObj(f) ?? {});
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const e of exprs) {
    const key = asStr(e.key);
    if (!requirementMatches(e, key !== undefined && Object.hasOwn(node.labels, key) ? node.labels[key] : undefined)) return false;
  }
  for (const f of fields) if (f.key !== 'metadata.name' || !requirementMatches(f, node.name)) return false;
  return true;
}

/** The pod's spec.affinity.nodeAffinity as an object (empty when absent). */
function nodeAffinityOf(pod: Pod): Record<string, unknown> {
  return pod.spec.affinity?.nodeAffinity ?? {};
}

/** nodeSelector and required node affinity (terms ORed). */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: NodeInfo): boolean {
  const selector = pod.spec.nodeSelector;
  if (selector) {
    for (const [k, v] of Object.entries(selector)) if (!Object.hasOwn(node.labels, k) || node.labels[k] !== v) return false;
  }
  const required = asObj(nodeAffinityOf(pod).requiredDuringSchedulingIgnoredDuringExecution);
  const terms = required?.nodeSelectorTerms;
  if (Array.isArray(terms) && !terms.some((t) => termMatches(t, node))) return false;
  return true;
}

/** NodeAffinity: spec.nodeSelector against the node's labels, and required node affinity. */
export const NodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  filter(_state, pod, node) {
    return podMatchesNodeSelectorAndAffinity(pod.pod, node) ? undefined : Status.unresolvable(ERR_REASON_POD_NODE_AFFINITY);
  },
};

/** NodeAffinity score: the summed weights of the preferred terms the node matches. */
export const NodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score(_state, pod, node) {
    let sum = 0;
    for (const p of asArr(nodeAffinityOf(pod.pod).preferredDuringSchedulingIgnoredDuringExecution)) {
      const term = asObj(p);
      const weight = term?.weight;
      if (typeof weight === 'number' && weight !== 0 && termMatches(term?.preference, node)) sum += weight;
    }
    return sum;
  },
  normalize(_state, _pod, scores) {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  },
};

import type { Obj } from '../../client/client.ts';
import type { FilterPlugin, NodeInfo, ScorePlugin } from '../framework.ts';
import { defaultNormalizeScore, MAX_NODE_SCORE, Status } from '../framework.ts';

export const ERR_REASON_POD_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** A NodeSelectorRequirement against node labels (or, for matchFields, `metadata.name`). */
function requirementMatches(req: Obj, value: string | undefined): boolean {
  const values = (req.values ?? []) as string[];
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
export function termMatches(term: Obj | undefined, node: NodeInfo): boolean {
  const exprs = (term?.matchExpressions ?? []) as Obj[];
  const fields = (term?.matchFields ?? []) as Obj[];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const e of exprs) if (!requirementMatches(e, Object.hasOwn(node.labels, e.key) ? node.labels[e.key] : undefined)) return false;
  for (const f of fields) if (f.key !== 'metadata.name' || !requirementMatches(f, node.name)) return false;
  return true;
}

/** nodeSelector and required node affinity (terms ORed). */
export function podMatchesNodeSelectorAndAffinity(pod: Obj, node: NodeInfo): boolean {
  const selector = pod.spec?.nodeSelector as Record<string, string> | undefined;
  if (selector) {
    for (const [k, v] of Object.entries(selector)) if (!Object.hasOwn(node.labels, k) || node.labels[k] !== v) return false;
  }
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Obj[] | undefined;
  if (terms && !terms.some((t) => termMatches(t, node))) return false;
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
    const preferred = (pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[];
    let sum = 0;
    for (const p of preferred) if (p.weight && termMatches(p.preference, node)) sum += p.weight;
    return sum;
  },
  normalize(_state, _pod, scores) {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  },
};

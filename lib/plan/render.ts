/**
 * The plan as people read it (`kite plan`, the preview of `kite apply`) and as programs read it
 * (`--output json`, the schema in schema/plan-v1.schema.json).
 *
 *   kite will perform these actions on context kite-local (stack shop):
 *
 *     + prod/Service/my-database            create  (ExternalName → database.company.com)
 *     ~ prod/ReplicaSet/api                 update
 *         ~ spec.replicas: 3 → 5
 *     - prod/Service/old-cache              delete  (no longer in the program)
 *    -/+ prod/Service/legacy                replace (spec.type ExternalName → ClusterIP)
 *     ! prod/ReplicaSet/worker              drift   spec.replicas changed outside kite: 2 (was 4)
 *     ~ Namespace/old                       kept    (it holds 1 object kite did not create: old/ConfigMap/x; …)
 *     → prod/Service/api                    adopt   (exists, not created by kite: joins stack shop; no changes)
 *     → prod/Service/web                    move    (from stack a)
 *
 *   Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy, 1 drifted, 1 kept; 1 to adopt, 1 to move.
 *
 * A plan that only adopts or moves says so: `No changes to objects; 5 to adopt into stack shop.`
 *
 * Unchanged objects are not listed; kept ones are (they were to be deleted), so a plan that keeps
 * something is never "No changes".
 */
import {
  FieldChangeSchema,
  ObjectRefSchema,
  PlannedActionSchema,
  PlanSchema,
  PlanSummarySchema,
  refId,
  shownActions,
  type FieldChange,
  type Plan,
  type PlannedAction,
} from './plan.ts';
import { redactManifest, redactPlan, SENSITIVE } from './sensitive.ts';

export interface RenderOptions {
  /** ANSI colours on the symbols (only when writing to a terminal). */
  color: boolean;
  /** Terminal width: long values are shortened to fit. */
  width?: number;
}

type Mark = '+' | '~' | '-' | '-/+' | '!' | '→';

const COLORS: Record<Mark, string> = { '+': '32', '~': '33', '-': '31', '-/+': '35', '!': '36', '→': '34' };

/** Where the action word starts, at least. */
const ACTION_COLUMN = 40;
/** Width of the action word column (`replace` and a space). */
const WORD_WIDTH = 8;
const CHANGE_INDENT = '      ';

export function renderPlan(plan: Plan, opts: RenderOptions): string {
  const actions = shownActions(plan);
  if (actions.length === 0) return `No changes. The cluster matches stack ${plan.stack}.\n`;
  const paint = (sym: Mark): string => (opts.color ? `\x1b[${COLORS[sym]}m${sym}\x1b[0m` : sym);
  const maxValue = Math.max(16, Math.floor((opts.width ?? 150) * 0.4));
  const fmt = (v: unknown): string => formatValue(v, maxValue);

  const heads = actions.map((a) => head(a, fmt));
  const column = Math.max(ACTION_COLUMN, ...heads.map((h) => lead(h.sym).length + h.id.length + 2));
  const lines: string[] = [`kite will perform these actions on context ${plan.target.context} (stack ${plan.stack}):`, ''];
  for (const h of heads) {
    const rest = h.id.padEnd(column - lead(h.sym).length) + (h.detail ? h.word.padEnd(WORD_WIDTH) + h.detail : h.word);
    lines.push(`${lead(h.sym, paint)}${rest}`.trimEnd());
    for (const c of h.changes) {
      const line = changeLine(c, fmt);
      lines.push(CHANGE_INDENT + paint(line.sym) + line.text);
    }
  }
  lines.push('', summaryLine(plan), '');
  return lines.join('\n');
}

/** `  + `, or ` -/+ ` (which pushes the id one column right, as Terraform's does). */
function lead(sym: Mark, paint: (sym: Mark) => string = (x) => x): string {
  return sym.length === 1 ? `  ${paint(sym)} ` : ` ${paint(sym)} `;
}

interface Head {
  sym: Mark;
  id: string;
  word: string;
  detail: string;
  /** Field changes shown under the action line. */
  changes: FieldChange[];
}

function head(a: PlannedAction, fmt: (v: unknown) => string): Head {
  const id = refId(a.ref);
  switch (a.action) {
    case 'create': {
      const s = a.desired ? createSummary(a.desired) : '';
      return { sym: '+', id, word: 'create', detail: s ? `(${s})` : '', changes: [] };
    }
    case 'delete':
      return { sym: '-', id, word: 'delete', detail: `(${a.reason ?? 'no longer in the program'})`, changes: [] };
    case 'replace': {
      const forcing = a.changes.find((c) => c.forcesReplacement);
      const why = a.reason ?? (forcing ? describeForcing(forcing, fmt) : '');
      // The detail already says it when it is exactly the forcing change.
      const changes = a.changes.filter((c) => !(c.forcesReplacement && describeForcing(c, fmt) === why));
      return { sym: '-/+', id, word: 'replace', detail: why ? `(${why})` : '', changes };
    }
    case 'no-op':
      return { sym: '~', id, word: 'kept', detail: a.reason ? `(${a.reason})` : '', changes: [] };
    case 'adopt':
      return { sym: '→', id, word: 'adopt', detail: a.reason ? `(${a.reason})` : '', changes: [] };
    case 'move': {
      const rolls = a.rolls ? `rolls ${a.rolls} ${a.rolls === 1 ? 'pod' : 'pods'} ` : '';
      return { sym: '→', id, word: 'move', detail: `${rolls}(${a.reason ?? `from stack ${a.from ?? '?'}`})`, changes: a.changes };
    }
    case 'update':
    default: {
      const driftOnly = a.changes.length > 0 && a.changes.every((c) => c.drift);
      if (driftOnly && a.changes.length === 1) return { sym: '!', id, word: 'drift', detail: changeLine(a.changes[0]!, fmt).text.trimStart(), changes: [] };
      if (driftOnly) return { sym: '!', id, word: 'drift', detail: '', changes: a.changes };
      const rolls = a.rolls ? `, rolls ${a.rolls} ${a.rolls === 1 ? 'pod' : 'pods'}` : '';
      const word = rolls && !a.reason ? `update${rolls}` : 'update';
      const detail = [rolls && a.reason ? rolls.slice(2) : '', a.reason ? `(${a.reason})` : ''].filter(Boolean).join(' ');
      return { sym: '~', id, word, detail, changes: a.changes };
    }
  }
}

function describeForcing(c: FieldChange, fmt: (v: unknown) => string): string {
  if (c.op === 'change') return `${c.path} ${fmt(c.before)} → ${fmt(c.after)}`;
  if (c.op === 'add') return `${c.path} ${fmt(c.after)}`;
  return `${c.path} removed`;
}

/** One field change: the symbol and the rest (` spec.replicas: 3 → 5`). */
function changeLine(c: FieldChange, fmt: (v: unknown) => string): { sym: Mark; text: string } {
  const mark = c.forcesReplacement ? '  # forces replacement' : '';
  if (c.drift) {
    const was = ` (was ${fmt(c.drift.lastApplied)})`;
    if (c.op === 'add') return { sym: '!', text: ` ${c.path} removed outside kite${was}${mark}` };
    return { sym: '!', text: ` ${c.path} changed outside kite: ${fmt(c.before)}${was}${mark}` };
  }
  switch (c.op) {
    case 'add':
      return { sym: '+', text: ` ${c.path}: ${fmt(c.after)}${mark}` };
    case 'remove':
      return { sym: '-', text: ` ${c.path}: ${fmt(c.before)}${mark}` };
    default:
      return { sym: '~', text: ` ${c.path}: ${fmt(c.before)} → ${fmt(c.after)}${mark}` };
  }
}

function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const drifted = s.drifted > 0 ? `, ${s.drifted} drifted` : '';
  const kept = (s.kept ?? 0) > 0 ? `, ${s.kept} kept` : '';
  const joining = [s.adopt ? `${s.adopt} to adopt` : '', s.move ? `${s.move} to move` : ''].filter(Boolean).join(', ');
  if (joining && s.add + s.change + s.replace + s.destroy + s.drifted + (s.kept ?? 0) === 0) return `No changes to objects; ${joining} into stack ${plan.stack}.`;
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.replace} to replace, ${s.destroy} to destroy${drifted}${kept}${joining ? `; ${joining}` : ''}.`;
}

// ---------------------------------------------------------------------------------------------
// values

const AMBIGUOUS = /^(?:true|false|null|~|yes|no|on|off|[-+]?(?:\d[\d_]*)?\.?\d+(?:e[-+]?\d+)?|0x[0-9a-f]+|\(none\))$/i;

/** Compact: strings bare unless they would read as something else, objects as JSON, long ones cut with `…`. */
export function formatValue(v: unknown, max = 60): string {
  let s: string;
  if (v === undefined) s = '(none)';
  else if (typeof v === 'string') {
    const quote = v !== SENSITIVE && (v === '' || AMBIGUOUS.test(v) || /^\s|\s$|[\n\r\t"]|→|^[[{]/.test(v));
    s = quote ? JSON.stringify(v) : v;
  } else s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** One line about what is created: `ExternalName → database.company.com`, `3 replicas of nginx:1.27`, `ClusterIP 80/TCP`. */
export function createSummary(m: Record<string, unknown>): string {
  const spec = obj(m.spec);
  switch (m.kind) {
    case 'Service': {
      if (spec.type === 'ExternalName') return `ExternalName → ${str(spec.externalName)}`;
      const type = str(spec.type) || 'ClusterIP';
      const headless = spec.clusterIP === 'None' ? ' (headless)' : '';
      const ports = arr(spec.ports)
        .map((p) => `${String(obj(p).port)}/${str(obj(p).protocol) || 'TCP'}`)
        .join(', ');
      return `${type}${headless}${ports ? ` ${ports}` : ''}`;
    }
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Deployment':
    case 'StatefulSet': {
      const n = typeof spec.replicas === 'number' ? spec.replicas : 1;
      const images = imagesOf(obj(obj(spec.template).spec));
      return `${n} ${n === 1 ? 'replica' : 'replicas'}${images ? ` of ${images}` : ''}`;
    }
    case 'DaemonSet':
    case 'Job':
      return imagesOf(obj(obj(spec.template).spec));
    case 'Pod':
      return imagesOf(spec);
    case 'Endpoints': {
      const eps: string[] = [];
      for (const ss of arr(m.subsets)) {
        const ports = arr(obj(ss).ports).map((p) => String(obj(p).port));
        for (const a of arr(obj(ss).addresses)) {
          const ip = str(obj(a).ip);
          if (ports.length === 0) eps.push(ip);
          for (const p of ports) eps.push(`${ip}:${p}`);
        }
      }
      return eps.length > 3 ? `${eps.slice(0, 3).join(', ')} and ${eps.length - 3} more` : eps.join(', ');
    }
    case 'Secret':
    case 'ConfigMap': {
      const keys = new Set([...Object.keys(obj(m.data)), ...Object.keys(obj(m.stringData)), ...Object.keys(obj(m.binaryData))]);
      const n = `${keys.size} ${keys.size === 1 ? 'key' : 'keys'}`;
      return m.kind === 'Secret' ? `${str(m.type) || 'Opaque'}, ${n}` : n;
    }
    default:
      return '';
  }
}

function imagesOf(podSpec: Record<string, unknown>): string {
  return arr(podSpec.containers)
    .map((c) => str(obj(c).image))
    .filter(Boolean)
    .join(', ');
}

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

// ---------------------------------------------------------------------------------------------
// JSON

/**
 * The plan as pretty JSON, keys in the schema's order (manifests keep theirs: lib/api's canonical
 * order), Secret values redacted. Validates against PlanSchema / schema/plan-v1.schema.json.
 */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(ordered(redactPlan(plan)), null, 2) + '\n';
}

function pick<T extends object>(o: T, keys: readonly string[]): T {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out as T;
}

function ordered(plan: Plan): Plan {
  const p = PlanSchema.shape;
  return pick(
    {
      ...plan,
      tool: pick(plan.tool, Object.keys(p.tool.shape)),
      target: pick(plan.target, Object.keys(p.target.shape)),
      applySet: pick({ ...plan.applySet, parent: pick(plan.applySet.parent, Object.keys(ObjectRefSchema.shape)) }, Object.keys(p.applySet.shape)),
      actions: plan.actions.map((a) =>
        pick(
          {
            ...a,
            ref: pick(a.ref, Object.keys(ObjectRefSchema.shape)),
            changes: a.changes.map((c) => pick(c, Object.keys(FieldChangeSchema.shape))),
            ...(a.desired ? { desired: redactManifest(a.desired) } : {}),
          },
          Object.keys(PlannedActionSchema.shape),
        ),
      ),
      summary: pick(plan.summary, Object.keys(PlanSummarySchema.shape)),
    },
    Object.keys(p),
  );
}

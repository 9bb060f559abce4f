import { readFile, writeFile, rename } from 'node:fs/promises';
import { PLAN_FORMAT_VERSION, PlanSchema, type Plan } from '../lib/plan/plan.ts';
import { UserError } from './output.ts';

/** A saved plan, checked against the published schema; a broken file is a user error naming the field. */
export async function readSavedPlan(path: string): Promise<Plan> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: not a saved plan (${(e as Error).message})`);
  }
  const version = (raw as { formatVersion?: unknown })?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new UserError(`${path}: plan format version ${JSON.stringify(version)} is not supported (this kite reads version ${PLAN_FORMAT_VERSION}); run kite plan again`);
  }
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Writes atomically, so an interrupted `kite plan --out` never leaves half a plan. */
export async function writeSavedPlan(path: string, plan: Plan): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(plan, null, 2) + '\n');
  await rename(tmp, path);
}

/** True if the input is a saved plan (JSON with formatVersion and actions) rather than manifests. */
export async function isSavedPlan(path: string): Promise<boolean> {
  if (!path.endsWith('.json')) return false;
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    return typeof v === 'object' && v !== null && 'formatVersion' in v && 'actions' in v;
  } catch {
    return false;
  }
}

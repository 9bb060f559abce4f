import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { FileError } from '../lib/errors.ts';
import { PLAN_FORMAT_VERSION, PlanSchema, type Plan } from '../lib/plan/plan.ts';
import { checkPlan, PlanFileError } from '../lib/plan/plan-file.ts';

/**
 * A saved plan, checked against the published schema and for parts that disagree (a hand-edited
 * `stack`): a broken file is a PlanFileError naming the file and the field.
 */
export async function readSavedPlan(path: string): Promise<Plan> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new PlanFileError(`not a saved plan (${(e as Error).message})`, undefined, path);
  }
  const version = (raw as { formatVersion?: unknown })?.formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(`plan format version ${JSON.stringify(version)} is not supported (this kite reads version ${PLAN_FORMAT_VERSION}); run kite plan again`, undefined, path);
  }
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlanFileError(issue.message, issue.path.join('.') || '(root)', path);
  }
  checkPlan(parsed.data, path);
  return parsed.data;
}

/** Writes atomically, so an interrupted `kite plan --out` never leaves half a plan. */
export async function writeSavedPlan(path: string, plan: Plan): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(plan, null, 2) + '\n');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new FileError('save the plan to', path, e);
  }
}

/**
 * True if the input is a saved plan rather than manifests: JSON with formatVersion and actions,
 * or a `.json` file that names a formatVersion but no longer parses (a truncated plan is a broken
 * plan, not a broken manifest).
 */
export async function isSavedPlan(path: string): Promise<boolean> {
  if (!path.endsWith('.json')) return false;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false;
  }
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return typeof v === 'object' && v !== null && 'formatVersion' in v && 'actions' in v;
  } catch {
    return /^\s*\{\s*"formatVersion"\s*:/.test(text);
  }
}

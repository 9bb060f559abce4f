/**
 * Generates schema/plan-v1.schema.json, the published JSON Schema of `kite plan --output json`
 * and of saved plans, from the zod PlanSchema (lib/plan/plan.ts), which stays the source of truth.
 *
 *   npx tsx scripts/plan-schema.ts          # writes the file
 *   npx tsx scripts/plan-schema.ts --check  # exits 1 if the committed file is stale
 *
 * test/plan/schema.test.ts fails when the committed file differs from what this generates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { PLAN_FORMAT_VERSION, PlanSchema } from '../lib/plan/plan.ts';

export const PLAN_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'schema', `plan-v${PLAN_FORMAT_VERSION}.schema.json`);

/**
 * Field documentation, by property path, for fields whose zod schema carries no description of its
 * own (a `.describe()` / `.meta()` in lib/plan/plan.ts wins over these). `[]` is "each item".
 */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  formatVersion: 'Version of this format; changes only when a consumer would have to change.',
  tool: 'The kite that made the plan.',
  stack: 'The stack (the program\'s Stack name) the plan is for.',
  target: 'The cluster: kubeconfig context name and API server URL.',
  createdAt: 'When the plan was computed (RFC 3339).',
  applySet: 'The ApplySet (KEP-3659) that records the stack\'s members in the cluster: its id and parent object.',
  actions: 'One entry per object, in apply order: namespaces, then Services and Endpoints, then workloads; deletions in reverse.',
  'actions[].ref': 'The object: apiVersion, kind, namespace (absent for cluster-scoped kinds) and name.',
  'actions[].action':
    'create, update (in place), delete, replace (delete then create: an immutable field changes), no-op, adopt (an object kite did not create, already as the program wants it, joins the stack: only kite\'s labels and annotations are written) or move (a member of another stack named by --adopt-from joins this one, with any field changes).',
  'actions[].changes': 'Field-level changes (update and replace; empty otherwise), in the object\'s field order.',
  'actions[].changes[].path': 'Readable path; list items by their merge key: `spec.template.spec.containers[api].image`, `metadata.labels[app.kubernetes.io/name]`.',
  'actions[].changes[].op': 'add (the live object lacks the field), change, or remove (the program dropped it since the last apply).',
  'actions[].changes[].before': 'The live value (absent for add). Secret values are "(sensitive)".',
  'actions[].changes[].after': 'The value apply writes, as the program wrote it (absent for remove). Secret values are "(sensitive)".',
  'actions[].changes[].drift': 'Present when the live value is not what kite last applied (it was changed outside kite); `lastApplied` is what kite had written. Apply restores the program\'s value.',
  'actions[].changes[].forcesReplacement': 'The field cannot change in place (the API server refuses the update): the object is replaced.',
  'actions[].reason': 'Why, in a few words: `no longer in the program`, `spec.selector is immutable`.',
  'actions[].liveResourceVersion': 'resourceVersion of the live object the plan was computed against.',
  'actions[].liveHash': 'Hash of that live object, its status and the server\'s bookkeeping (resourceVersion, managedFields, generation) left out: if the resourceVersion moved and this changed, apply refuses the plan as stale.',
  'actions[].kept': 'With `no-op`: the object was to be deleted (pruned, or by kite destroy) but is kept; `reason` says why (a Namespace holding objects kite did not create, and the inventory while one is kept).',
  'actions[].desired': 'The manifest apply writes (create, update, replace), with kite\'s labels and annotations. Secret values are "(sensitive)" in printed plans.',
  'actions[].rolls': 'A ReplicaSet or ReplicationController update: how many running pods carry an older template and are replaced by apply\'s rollout (absent when none, or with --no-roll).',
  'actions[].from': 'With `move` (or a replace that moves the object): the stack whose member the object was.',
  summary:
    'Counts of actions; `drifted` counts objects whose only changes restore values changed outside kite; `kept` (absent when none) objects kept though they were to be deleted; `adopt` and `move` (absent when none) objects that join the stack as they are, or from another stack.',
};

function describe(schema: Record<string, unknown>): void {
  for (const [path, text] of Object.entries(DESCRIPTIONS)) {
    let node: Record<string, unknown> | undefined = schema;
    for (const part of path.split('.')) {
      const [name, ...items] = part.split('[]');
      node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[name!];
      for (let i = 0; i < items.length; i++) node = node?.items as Record<string, unknown> | undefined;
    }
    if (!node) throw new Error(`plan-schema: no property at ${path}`);
    if (node.description === undefined) node.description = text;
  }
}

/** The JSON Schema (draft 2020-12) of a kite plan. */
export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PlanSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  describe(generated);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `https://kite.dev/schema/plan-v${PLAN_FORMAT_VERSION}.schema.json`,
    title: `kite plan (format version ${PLAN_FORMAT_VERSION})`,
    description:
      'What `kite plan --output json` prints and `kite plan --out FILE` saves: the actions kite will take on one stack in one cluster ' +
      '(create, update, delete, replace, no-op), with field-level changes on readable paths, drift and forced replacements, and the ' +
      'manifests apply writes. `formatVersion` changes only when a consumer would have to change. Generated from lib/plan/plan.ts ' +
      'by scripts/plan-schema.ts; Secret values appear as "(sensitive)" in printed plans.',
    ...rest,
  };
}

/** The file's text: pretty JSON with a final newline. */
export function planJsonSchemaText(): string {
  return JSON.stringify(planJsonSchema(), null, 2) + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const text = planJsonSchemaText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(PLAN_SCHEMA_PATH, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) {
      process.stderr.write(`${PLAN_SCHEMA_PATH} is out of date: run npx tsx scripts/plan-schema.ts\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(PLAN_SCHEMA_PATH, text);
    process.stdout.write(`wrote ${join('schema', `plan-v${PLAN_FORMAT_VERSION}.schema.json`)}\n`);
  }
}

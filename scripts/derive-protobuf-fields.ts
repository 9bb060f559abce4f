/**
 * Derives the protobuf field table the API server decodes request bodies with
 * (runtime/apiserver/http/protobuf/fields.json) from the kubectl binary itself:
 *
 * - the message layouts (field numbers, wire types, repeated/packed, message types, map entries)
 *   from the gzipped FileDescriptorProtos gogo-protobuf registers for every generated.proto
 *   (scripts/protobuf/descriptors.ts);
 * - each field's JSON name, inlining, omitempty and pointer-ness from the Go structs' reflection
 *   data (scripts/protobuf/go-structs.ts): the struct of the message's name and package, with
 *   the same (number, name) protobuf tags.
 *
 * Only messages reachable from the kinds the API server decodes are kept.
 *
 *   npx tsx scripts/derive-protobuf-fields.ts [kubectl-binary]          # writes the table
 *   npx tsx scripts/derive-protobuf-fields.ts [kubectl-binary] --check  # exits 1 if it is stale
 *
 * test/scripts/derive-protobuf-fields.test.ts runs the check and the cross-check against
 * kubectl's own encoder (a capturing server).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KIND_STRATEGIES } from '../runtime/apiserver/kinds/index.ts';
import { CUSTOM_JSON_MESSAGES } from '../runtime/apiserver/http/protobuf/custom.ts';
import type { FieldTable, MessageTable, TableField } from '../runtime/apiserver/http/protobuf/table.ts';
import { findFileDescriptors, type FieldDescriptor, type MessageDescriptor } from './protobuf/descriptors.ts';
import { findGoStructs, type GoField, type GoStruct } from './protobuf/go-structs.ts';

export const DEFAULT_KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
export const FIELDS_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'runtime', 'apiserver', 'http', 'protobuf', 'fields.json');

/**
 * Kinds decoded besides the served ones: bodies kubectl's typed clients send (DeleteOptions from
 * drain and typed deletes, Eviction from drain, the access reviews of `auth can-i`), the
 * subresource bodies (Binding, Scale), and kinds expected to be served soon, so adding one does
 * not need a regeneration (ServiceAccount, PersistentVolumeClaim, Deployment).
 */
const EXTRA_KINDS: readonly string[] = [
  'meta.k8s.io/v1 DeleteOptions',
  'policy/v1 Eviction',
  'authorization.k8s.io/v1 SelfSubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectRulesReview',
  'v1 Binding',
  'autoscaling/v1 Scale',
  'v1 ServiceAccount',
  'v1 PersistentVolumeClaim',
  'apps/v1 Deployment',
];

/** `apps/v1` -> `k8s.io.api.apps.v1`; `v1` -> `k8s.io.api.core.v1`; meta.k8s.io -> apimachinery's meta. */
function protoPackage(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'meta.k8s.io') return `k8s.io.apimachinery.pkg.apis.meta.${version}`;
  return `k8s.io.api.${group === '' ? 'core' : group!.replace(/\.k8s\.io$/, '')}.${version}`;
}

export function rootKinds(): string[] {
  const served = KIND_STRATEGIES.flatMap((s) => [s.apiVersion, ...(s.aliases ?? [])].map((v) => `${v} ${s.kind}`));
  return [...new Set([...served, ...EXTRA_KINDS])];
}

export function deriveFieldTable(binary: Buffer, roots: readonly string[] = rootKinds()): FieldTable {
  const messages = new Map<string, MessageDescriptor>();
  for (const file of findFileDescriptors(binary)) for (const m of file.messages) messages.set(m.fullName, m);
  if (messages.size === 0) throw new Error('no protobuf descriptors found in the binary');
  const structs = findGoStructs(binary);

  const kinds: Record<string, string> = {};
  const table: Record<string, MessageTable> = {};
  const queue: string[] = [];
  for (const root of roots) {
    const [apiVersion, kind] = root.split(' ') as [string, string];
    const name = `${protoPackage(apiVersion)}.${kind}`;
    if (!messages.has(name)) throw new Error(`${root}: no message ${name} in the binary`);
    kinds[root] = name;
    queue.push(name);
  }
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (table[name]) continue;
    const message = messages.get(name);
    if (!message) throw new Error(`message ${name} is referenced but not described in the binary`);
    const go = name in CUSTOM_JSON_MESSAGES ? undefined : goFieldsOf(message, structs);
    const fields: TableField[] = [];
    // Descriptor order is the Go struct's, which is the order of the JSON form.
    for (const f of message.fields) {
      const entry = tableField(f, go?.get(f.number), messages);
      fields.push(entry);
      const next = entry.map?.message ?? entry.message;
      if (next && !table[next]) queue.push(next);
    }
    table[name] = fields;
  }
  const sorted = Object.fromEntries(Object.keys(table).sort().map((k) => [k, table[k]!]));
  return { kinds: Object.fromEntries(Object.keys(kinds).sort().map((k) => [k, kinds[k]!])), messages: sorted };
}

function tableField(f: FieldDescriptor, go: GoField | undefined, messages: Map<string, MessageDescriptor>): TableField {
  const entry = f.typeName ? messages.get(f.typeName) : undefined;
  if (go?.json === '-') throw new Error(`${f.name} (${f.number}) is not in the JSON form (json:"-"): its message needs a custom decoder (CUSTOM_JSON_MESSAGES)`);
  const base = {
    number: f.number,
    name: f.name,
    ...(go ? (go.json === '' ? { inline: true } : { json: go.json }) : {}),
    ...(go?.omitempty ? { omitempty: true } : {}),
    ...(go?.pointer ? { pointer: true } : {}),
  };
  if (entry?.mapEntry) {
    const key = entry.fields.find((x) => x.number === 1)!;
    const value = entry.fields.find((x) => x.number === 2)!;
    return { ...base, type: 'map', map: { key: key.type, value: value.type, ...(value.typeName ? { message: value.typeName } : {}) } };
  }
  return {
    ...base,
    type: f.type,
    ...(f.repeated ? { repeated: true } : {}),
    ...(f.packed ? { packed: true } : {}),
    ...(f.typeName ? { message: f.typeName } : {}),
  };
}

/**
 * The Go fields of a message: the struct named as the message (`k8s.io.api.core.v1.Pod` ->
 * `k8s.io/api/core/v1.Pod`) whose protobuf-tagged fields are exactly the message's (number and
 * name).
 */
function goFieldsOf(message: MessageDescriptor, structs: readonly GoStruct[]): Map<number, GoField> {
  const want = new Set(message.fields.map((f) => `${f.number} ${f.name}`));
  const protoNameOf = (g: GoField) => g.protoName ?? g.goName[0]!.toLowerCase() + g.goName.slice(1);
  const matches = structs.filter((s) => s.name.replaceAll('/', '.') === message.fullName && s.fields.length === want.size && s.fields.every((g) => want.has(`${g.number} ${protoNameOf(g)}`)));
  if (matches.length === 0) throw new Error(`${message.fullName}: no Go struct in the binary has its fields`);
  const out = new Map<number, GoField>();
  for (const s of matches) {
    for (const g of s.fields) {
      const seen = out.get(g.number);
      if (seen && (seen.json !== g.json || seen.omitempty !== g.omitempty || seen.pointer !== g.pointer)) {
        throw new Error(`${message.fullName}: Go structs disagree on field ${g.number} (${JSON.stringify(seen)} vs ${JSON.stringify(g)})`);
      }
      out.set(g.number, g);
    }
  }
  return out;
}

/** The table as checked in: stable key order, two-space indentation, a trailing newline. */
export function formatTable(table: FieldTable): string {
  return `${JSON.stringify(table, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const binary = args.find((a) => !a.startsWith('--')) ?? DEFAULT_KUBECTL;
  const text = formatTable(deriveFieldTable(readFileSync(binary)));
  if (check) {
    if (readFileSync(FIELDS_PATH, 'utf8') !== text) {
      console.error(`${FIELDS_PATH} is stale: run npx tsx scripts/derive-protobuf-fields.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(FIELDS_PATH, text);
    console.log(`wrote ${join('runtime', 'apiserver', 'http', 'protobuf', 'fields.json')} from ${binary}`);
  }
}

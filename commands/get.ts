/**
 * `kite get KIND [NAME]`: what `kubectl get` prints, for the local runtime or any cluster.
 * Tables come from the server (`meta.k8s.io/v1` Table) and are laid out by kubectl's printer;
 * `-o yaml|json|name` print the objects. Kinds resolve through the server's discovery, so
 * resource, singular and short names, kinds, `kind.group` and the `all` category work as in
 * kubectl.
 */
import type { ApiResource, KubeClient, KubeList, KubeObject, ResourceRef, Table } from '../lib/kube/index.ts';
import { KubeApiError } from '../lib/kube/index.ts';
import { goQuote } from '../lib/api/labels.ts';
import { humanDuration } from '../lib/api/pod-status.ts';
import { EXIT_OK } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';
import { goJson, goYaml, reportKubeError, TABLE_TABWRITER, tableLines, tabwrite } from './printers.ts';
import { connect, type TargetFlags } from './target.ts';

export interface GetOptions {
  kind: string;
  name?: string;
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  output?: string;
  target: TargetFlags;
}

const OUTPUTS = ['json', 'name', 'wide', 'yaml'] as const;
type Output = (typeof OUTPUTS)[number] | 'table';

export function parseOutput(output: string | undefined): Output {
  if (output === undefined || output === '') return 'table';
  if ((OUTPUTS as readonly string[]).includes(output)) return output as Output;
  throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS.join(',')}`);
}

/** The client's reference to a discovered resource (no second discovery round trip). */
export function refOf(r: ApiResource): ResourceRef {
  return { group: r.group, version: r.version, kind: r.kind, plural: r.plural, namespaced: r.namespaced };
}

/** kubectl's kind column / `-o name` prefix: `pod`, `replicaset.apps`. */
export function kindPrefix(r: ApiResource): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/**
 * The resources `arg` names, as kubectl resolves `get` arguments: comma-separated, each a
 * resource/singular/short name, a kind, `name.group`, or a category (`all`). Throws kubectl's
 * `the server doesn't have a resource type "x"`.
 */
export async function resolveKinds(client: KubeClient, arg: string): Promise<ApiResource[]> {
  const table = await client.discover();
  const out: ApiResource[] = [];
  for (const part of arg.split(',')) {
    if (part === '') throw new UserError(`the server doesn't have a resource type "${arg}"`);
    let found: ApiResource[] = [];
    const one = table.lookup(part);
    if (one) found = [one];
    else {
      const category = table.resources.filter((r) => r.preferred && r.categories.includes(part.toLowerCase()) && r.verbs.includes('list'));
      found = category;
    }
    if (found.length === 0) throw new UserError(`the server doesn't have a resource type "${part}"`);
    for (const r of found) if (!out.some((x) => x.group === r.group && x.plural === r.plural)) out.push(r);
  }
  return out;
}

/** Whether `arg` asks for several kinds (`all`, `pods,svc`): names then carry their kind. */
function multipleTypes(arg: string, resolved: readonly ApiResource[]): boolean {
  return arg.includes(',') || arg.toLowerCase() === 'all' || resolved.length > 1;
}

/** kubectl hides managedFields in `-o yaml|json` unless asked. */
function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata || !('managedFields' in o.metadata)) return o;
  const { managedFields: _drop, ...metadata } = o.metadata as Record<string, unknown>;
  return { ...o, metadata } as KubeObject;
}

/** A plain list's Table equivalent (NAME AGE), for a server that ignores `as=Table`. */
function fallbackTable(list: KubeList | KubeObject, now = Date.now()): Table {
  const items = 'items' in list && Array.isArray((list as KubeList).items) ? (list as KubeList).items : [list as KubeObject];
  return {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'Table',
    metadata: {},
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
    ],
    rows: items.map((o) => {
      const created = Date.parse(String(o.metadata?.creationTimestamp ?? ''));
      return { cells: [o.metadata?.name ?? '', Number.isNaN(created) ? '<unknown>' : humanDuration(now - created)], object: { metadata: o.metadata } };
    }),
  };
}

function asTable(v: unknown): Table {
  return (v as { kind?: string }).kind === 'Table' ? (v as Table) : fallbackTable(v as KubeList);
}

/** `kite get`: exit 0 (also when nothing matched), 1 for a user or cluster error. */
export async function getCommand(o: GetOptions, io: Io): Promise<number> {
  const output = parseOutput(o.output);
  let kindArg = o.kind;
  let name = o.name;
  if (name === undefined && kindArg.includes('/')) {
    const slash = kindArg.indexOf('/');
    name = kindArg.slice(slash + 1);
    kindArg = kindArg.slice(0, slash);
    if (name === '') throw new UserError(`arguments in resource/name form must have a single resource and name`);
  }
  if (name !== undefined && o.allNamespaces) throw new UserError('a resource cannot be retrieved by name across all namespaces');
  if (name !== undefined && o.selector !== undefined) throw new UserError('name cannot be provided when a selector is specified');

  const client = connect(o.target, o.namespace ? { namespace: o.namespace } : {});
  try {
    const namespace = client.target.namespace;
    const resources = await resolveKinds(client, kindArg);
    const several = multipleTypes(kindArg, resources);
    const allNamespaced = !o.allNamespaces && resources.every((r) => r.namespaced);

    if (output === 'table' || output === 'wide') {
      let text = '';
      for (const r of resources) {
        const ns = r.namespaced && !o.allNamespaces ? namespace : undefined;
        const raw = name !== undefined
          ? await client.get(refOf(r), ns, name, { table: true })
          : await listOf(r, o.selector, () => client.list(refOf(r), { table: true, ...(ns ? { namespace: ns } : {}), ...(o.selector ? { labelSelector: o.selector } : {}) }));
        const lines = tableLines(asTable(raw), {
          wide: output === 'wide',
          withNamespace: o.allNamespaces && r.namespaced,
          ...(several ? { kindPrefix: kindPrefix(r) } : {}),
        });
        if (lines === '') continue;
        if (text !== '') text += '\n';
        text += tabwrite(lines, TABLE_TABWRITER);
      }
      if (text === '') io.err(noResources(allNamespaced, namespace));
      else io.out(text);
      return EXIT_OK;
    }

    // -o name|yaml|json: the objects themselves
    const items: KubeObject[] = [];
    const prefixes: string[] = [];
    for (const r of resources) {
      const ns = r.namespaced && !o.allNamespaces ? namespace : undefined;
      if (name !== undefined) {
        items.push(await client.get(refOf(r), ns, name));
        prefixes.push(kindPrefix(r));
        continue;
      }
      const list = await listOf(r, o.selector, () => client.list(refOf(r), { ...(ns ? { namespace: ns } : {}), ...(o.selector ? { labelSelector: o.selector } : {}) }));
      for (const item of list.items ?? []) {
        items.push({ ...item, apiVersion: item.apiVersion ?? r.apiVersion, kind: item.kind ?? r.kind } as KubeObject);
        prefixes.push(kindPrefix(r));
      }
    }
    if (output === 'name') {
      // as kubectl's generic printers: nothing at all for no objects
      io.out(items.map((it, i) => `${prefixes[i]}/${it.metadata?.name ?? ''}\n`).join(''));
      return EXIT_OK;
    }
    const cleaned = items.map(withoutManagedFields);
    const single = name !== undefined && resources.length === 1;
    const doc = single ? cleaned[0] : { apiVersion: 'v1', items: cleaned, kind: 'List', metadata: { resourceVersion: '' } };
    io.out(output === 'json' ? goJson(doc) : goYaml(doc));
    return EXIT_OK;
  } catch (e) {
    return reportKubeError(io, e);
  } finally {
    client.close();
  }
}

/** GroupVersionResource.String(): `/v1, Resource=pods`, `apps/v1, Resource=replicasets`. */
function gvrString(r: ApiResource): string {
  return `${r.group}/${r.version}, Resource=${r.plural}`;
}

/** resource.EnhanceListError: a refused list says what was listed, and with which selectors. */
function enhanceListError(e: unknown, r: ApiResource, labelSelector = '', fieldSelector = ''): unknown {
  if (!(e instanceof KubeApiError) || (e.code !== 400 && e.code !== 404)) return e;
  const message =
    labelSelector === '' && fieldSelector === ''
      ? `Unable to list ${goQuote(gvrString(r))}: ${e.message}`
      : `Unable to find ${goQuote(gvrString(r))} that match label selector ${goQuote(labelSelector)}, field selector ${goQuote(fieldSelector)}: ${e.message}`;
  return new KubeApiError({ code: e.code, method: e.method, path: e.path, body: { ...(e.status ?? { kind: 'Status', apiVersion: 'v1' }), code: e.code, reason: e.reason, message } });
}

/** A list, its failure worded as kubectl's. */
async function listOf<T>(r: ApiResource, selector: string | undefined, list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (e) {
    throw enhanceListError(e, r, selector ?? '');
  }
}

function noResources(allNamespaced: boolean, namespace: string): string {
  return allNamespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n';
}

/**
 * What `kubectl get` prints for resolved resources: the server's Tables laid out by kubectl's
 * printer (`-o wide` too), or the objects themselves (`-o yaml|json|name`).
 */
import { goQuote } from '../api/labels.ts';
import { humanDuration } from '../api/pod-status.ts';
import type { ApiResource, KubeClient, KubeList, KubeObject, Table } from '../kube/index.ts';
import { KubeApiError } from '../kube/index.ts';
import type { EndpointSlice, Service } from '../api/model.ts';
import { goJson } from './json.ts';
import { serviceProblems, withEndpointsColumn } from './service-columns.ts';
import { kindPrefix, refOf } from './resources.ts';
import { tableLines } from './table.ts';
import { TABLE_TABWRITER, tabwrite } from './tabwriter.ts';
import { goYaml } from './yaml.ts';

export const GET_OUTPUTS = ['json', 'name', 'wide', 'yaml'] as const;
export type GetOutput = (typeof GET_OUTPUTS)[number] | 'table';

export interface GetRequest {
  resources: readonly ApiResource[];
  /** Several kinds asked for (`all`, `pods,svc`): names carry their kind. */
  several: boolean;
  name?: string | undefined;
  /** The namespace of namespaced resources unless allNamespaces. */
  namespace: string;
  allNamespaces: boolean;
  selector?: string | undefined;
  output: GetOutput;
  /** The clock of the LoadBalancer hint (default: Date.now). */
  now?: () => number;
}

/** What kubectl writes: stdout, and stderr's `No resources found` when a table is empty. */
export interface GetResult {
  out: string;
  err: string;
}

export async function kubectlGet(client: KubeClient, req: GetRequest): Promise<GetResult> {
  return req.output === 'table' || req.output === 'wide' ? getTables(client, req) : { out: await getObjects(client, req), err: '' };
}

async function getTables(client: KubeClient, req: GetRequest): Promise<GetResult> {
  let text = '';
  let problems = '';
  for (const r of req.resources) {
    const ns = namespaceFor(r, req);
    const raw =
      req.name !== undefined
        ? await client.get(refOf(r), ns, req.name, { table: true })
        : await listOf(r, req.selector, () => client.list(refOf(r), { table: true, ...(ns ? { namespace: ns } : {}), ...(req.selector ? { labelSelector: req.selector } : {}) }));
    let table = asTable(raw);
    if (isServices(r) && table.rows.length > 0) {
      const extra = await serviceExtras(client, r, ns, req);
      table = withEndpointsColumn(table, extra.services, extra.slices, ns);
      problems += serviceProblems(extra.services, (req.now ?? Date.now)()).map((l) => l + '\n').join('');
    }
    const lines = tableLines(table, {
      wide: req.output === 'wide',
      withNamespace: req.allNamespaces && r.namespaced,
      ...(req.several ? { kindPrefix: kindPrefix(r) } : {}),
    });
    if (lines === '') continue;
    if (text !== '') text += '\n';
    text += tabwrite(lines, TABLE_TABWRITER);
  }
  if (text !== '') return { out: text, err: problems };
  const allNamespaced = !req.allNamespaces && req.resources.every((r) => r.namespaced);
  return { out: '', err: allNamespaced ? `No resources found in ${req.namespace} namespace.\n` : 'No resources found\n' };
}

async function getObjects(client: KubeClient, req: GetRequest): Promise<string> {
  const items: KubeObject[] = [];
  const prefixes: string[] = [];
  for (const r of req.resources) {
    const ns = namespaceFor(r, req);
    if (req.name !== undefined) {
      items.push(await client.get(refOf(r), ns, req.name));
      prefixes.push(kindPrefix(r));
      continue;
    }
    const list = await listOf(r, req.selector, () => client.list(refOf(r), { ...(ns ? { namespace: ns } : {}), ...(req.selector ? { labelSelector: req.selector } : {}) }));
    for (const item of list.items ?? []) {
      items.push({ ...item, apiVersion: item.apiVersion ?? r.apiVersion, kind: item.kind ?? r.kind } as KubeObject);
      prefixes.push(kindPrefix(r));
    }
  }
  // as kubectl's generic printers: nothing at all for no objects
  if (req.output === 'name') return items.map((it, i) => `${prefixes[i]}/${it.metadata?.name ?? ''}\n`).join('');
  const cleaned = items.map(withoutManagedFields);
  const single = req.name !== undefined && req.resources.length === 1;
  const doc = single ? cleaned[0] : { apiVersion: 'v1', items: cleaned, kind: 'List', metadata: { resourceVersion: '' } };
  return req.output === 'json' ? goJson(doc) : goYaml(doc);
}

const ENDPOINT_SLICES = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true } as const;

function isServices(r: ApiResource): boolean {
  return r.group === '' && r.plural === 'services';
}

/** The Services of the table, whole, and the EndpointSlices of their namespace(s): what kite adds to kubectl's table. */
async function serviceExtras(client: KubeClient, r: ApiResource, ns: string | undefined, req: GetRequest): Promise<{ services: Service[]; slices: EndpointSlice[] | undefined }> {
  const services =
    req.name !== undefined
      ? [await client.get<Service>(refOf(r), ns, req.name)]
      : (await client.list<Service>(refOf(r), { ...(ns ? { namespace: ns } : {}), ...(req.selector ? { labelSelector: req.selector } : {}) })).items;
  const selector = req.name !== undefined ? { labelSelector: `kubernetes.io/service-name=${req.name}` } : {};
  let slices: EndpointSlice[] | undefined;
  try {
    slices = (await client.list<EndpointSlice>(ENDPOINT_SLICES, { ...(ns ? { namespace: ns } : {}), ...selector })).items;
  } catch (e) {
    // A user who may read Services but not EndpointSlices still gets the table.
    if (!(e instanceof KubeApiError) || (e.code !== 403 && e.code !== 404)) throw e;
  }
  return { services, slices };
}

function namespaceFor(r: ApiResource, req: GetRequest): string | undefined {
  return r.namespaced && !req.allNamespaces ? req.namespace : undefined;
}

/** kubectl hides managedFields in `-o yaml|json` unless asked. */
function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata || !('managedFields' in o.metadata)) return o;
  const { managedFields: _drop, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** A plain list's Table equivalent (NAME AGE), for a server that ignores `as=Table`. */
function fallbackTable(list: KubeList | KubeObject, now = Date.now()): Table {
  const items = 'items' in list && Array.isArray(list.items) ? (list as KubeList).items : [list as KubeObject];
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

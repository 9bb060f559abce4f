/**
 * What `kite get svc` adds to kubectl's Service table: an ENDPOINTS column (the number of ready
 * endpoints of each Service, from its EndpointSlices as kube-proxy merges them) and, after the
 * table, one line per Service with a problem:
 *
 *  - the proxy could not listen for it: the Service's `kite.dev/PortsBound` condition is False
 *    (a privileged or taken port), its message printed;
 *  - a LoadBalancer still without an address a while after its creation.
 *
 * kubectl prints neither; `-o json|yaml|name` stay kubectl's.
 */
import { SERVICE_PORTS_BOUND, type EndpointSlice, type Service } from '../api/model.ts';
import type { Table } from '../kube/index.ts';

/** A LoadBalancer without an address this long after its creation gets a hint line. */
export const PENDING_HINT_AFTER_MS = 10_000;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export const ENDPOINTS_COLUMN = { name: 'Endpoints', type: 'string', format: '', description: 'The number of ready endpoints (kite).', priority: 0 } as const;

/**
 * The ENDPOINTS cell: ready endpoints across the Service's slices, an address counted once
 * (kube-proxy uses addresses[0] and merges duplicates; `ready` nil means ready); `<none>` when
 * none is ready; `-` for ExternalName, which has no endpoints.
 */
export function endpointsCell(svc: Pick<Service, 'spec'>, slices: readonly EndpointSlice[]): string {
  if (svc.spec?.type === 'ExternalName') return '-';
  const ready = new Set<string>();
  for (const s of slices) {
    for (const ep of s.endpoints ?? []) {
      const addr = ep.addresses?.[0];
      if (addr !== undefined && ep.conditions?.ready !== false) ready.add(`${s.addressType}/${addr}`);
    }
  }
  return ready.size === 0 ? '<none>' : String(ready.size);
}

/** The slices of each Service, by `<namespace>/<name>`. */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svc) continue;
    const key = `${s.metadata.namespace ?? ''}/${svc}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

/**
 * The server's Service table with the ENDPOINTS column inserted before AGE. Rows are matched to
 * Services by namespace (the row object's, else `namespace`) and name; `slices` undefined (not
 * readable) shows `<unknown>`.
 */
export function withEndpointsColumn(table: Table, services: readonly Service[], slices: readonly EndpointSlice[] | undefined, namespace: string | undefined): Table {
  const at = table.columnDefinitions.findIndex((c) => c.name === 'Age');
  const index = at < 0 ? table.columnDefinitions.length : at;
  const nameColumn = table.columnDefinitions.findIndex((c) => c.format === 'name');
  const byKey = new Map(services.map((s) => [`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`, s]));
  const bySvc = slices && slicesByService(slices);
  const rows = table.rows.map((row) => {
    const meta = (row.object as { metadata?: { namespace?: string; name?: string } } | undefined)?.metadata;
    const name = meta?.name ?? String(row.cells[nameColumn < 0 ? 0 : nameColumn] ?? '');
    const key = `${meta?.namespace ?? namespace ?? ''}/${name}`;
    const svc = byKey.get(key);
    const cell = svc && bySvc ? endpointsCell(svc, bySvc.get(key) ?? []) : '<unknown>';
    const cells = [...row.cells];
    cells.splice(index, 0, cell);
    return { ...row, cells };
  });
  const columnDefinitions = [...table.columnDefinitions];
  columnDefinitions.splice(index, 0, { ...ENDPOINTS_COLUMN });
  return { ...table, columnDefinitions, rows };
}

/** One line per Service with a problem, in the order given. */
export function serviceProblems(services: readonly Service[], now: number): string[] {
  const lines: string[] = [];
  for (const svc of services) {
    const id = `service ${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    const bound = svc.status?.conditions?.find((c) => c.type === SERVICE_PORTS_BOUND);
    if (bound?.status === 'False') lines.push(`${id}: ${bound.message || bound.reason || 'the proxy cannot listen on its ports'}`);
    const hint = pendingHint(svc, now);
    if (hint) lines.push(`${id}: ${hint}`);
  }
  return lines;
}

function pendingHint(svc: Service, now: number): string | undefined {
  if (svc.spec?.type !== 'LoadBalancer' || svc.metadata.deletionTimestamp) return undefined;
  if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) return undefined;
  const created = Date.parse(svc.metadata.creationTimestamp ?? '');
  if (Number.isNaN(created) || now - created < PENDING_HINT_AFTER_MS) return undefined;
  const cls = svc.spec.loadBalancerClass;
  if (cls) return `EXTERNAL-IP is <pending>: its loadBalancerClass "${cls}" is served by another load balancer controller, which has not given it an address`;
  return `EXTERNAL-IP is <pending>: no load balancer address yet (see the events in 'kite describe svc ${svc.metadata.name ?? ''}')`;
}

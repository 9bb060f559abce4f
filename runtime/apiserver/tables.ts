/**
 * `meta.k8s.io/v1` Table responses (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`),
 * as the real API server builds them: the column definitions and row cells of k/k
 * pkg/printers/internalversion/printers.go for the resources kite serves, generated the
 * way the server always does (`GenerateOptions{Wide: true}`: every column, wide ones marked
 * `priority: 1`, and kubectl hides those unless `-o wide`), and the rows' `object` as
 * apiserver endpoints/handlers asTable sets it for `includeObject` (default Metadata:
 * a PartialObjectMetadata).
 *
 * Resources without a printer get the CustomResource-style default: Name and Age (type
 * `date`).
 */
import type { ObjectMeta } from '../../lib/api/meta.ts';
import { tablePrinterFor } from './kinds/index.ts';

// Type aliases (not interfaces) so that they are assignable to plain JSON record types.

export type TableColumnDefinition = {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
};

export type TableRowCondition = {
  type: 'Completed';
  status: 'True';
  reason: string;
  message: string;
};

export type PartialObjectMetadata = {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
};

/** Any stored object: a TableObject or its raw JSON. */
export type TableObject = Readonly<Record<string, unknown>>;

export type TableRow = {
  cells: unknown[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata (Metadata, the default), the object (Object), or null (None). */
  object: PartialObjectMetadata | TableObject | null;
};

export type TableListMeta = {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
};

export type Table = {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** The clock for AGE / LAST SEEN / RESTARTS columns. */
  now: Date;
  /** metav1.TableOptions includeObject; default Metadata (what kubectl gets). */
  includeObject?: IncludeObject;
  /** metav1.TableOptions noHeaders: columnDefinitions left empty (watch events after the first). */
  noHeaders?: boolean;
  /** The list's metadata (resourceVersion, continue, remainingItemCount). */
  listMeta?: TableListMeta;
}

/** The column definitions the server sends for a resource (REST plural name, e.g. `pods`). */
export function columnDefinitions(resource: string): TableColumnDefinition[] {
  return tablePrinterFor(resource).columns.map((c) => ({ ...c }));
}

/** meta.AsPartialObjectMetadata with the Table's group version. */
export function partialObjectMetadata(o: TableObject): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: (o.metadata ?? {}) as ObjectMeta };
}

/** One row, as asTable emits it for the object and includeObject. */
export function tableRow(resource: string, o: TableObject, options: TableOptions): TableRow {
  const printed = tablePrinterFor(resource).print(o, options.now);
  const row: TableRow = { cells: printed.cells, object: null };
  if (printed.conditions) row.conditions = printed.conditions;
  switch (options.includeObject ?? 'Metadata') {
    case 'Object':
      row.object = o;
      break;
    case 'None':
      row.object = null;
      break;
    default:
      row.object = partialObjectMetadata(o);
  }
  // key order as metav1.TableRow serializes: cells, conditions, object
  return row;
}

/** A `meta.k8s.io/v1` Table of `objects` of `resource` (REST plural, e.g. `pods`, `replicasets`). */
export function toTable(resource: string, objects: readonly TableObject[], options: TableOptions): Table {
  const metadata: TableListMeta = {};
  const lm = options.listMeta ?? {};
  if (lm.resourceVersion !== undefined && lm.resourceVersion !== '') metadata.resourceVersion = lm.resourceVersion;
  if (lm.continue !== undefined && lm.continue !== '') metadata.continue = lm.continue;
  if (lm.remainingItemCount !== undefined) metadata.remainingItemCount = lm.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? [] : columnDefinitions(resource),
    rows: objects.map((o) => tableRow(resource, o, options)),
  };
}

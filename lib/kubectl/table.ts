/**
 * kubectl's printer for server-side `meta.k8s.io/v1` Tables (cli-runtime printers/tableprinter.go:
 * uppercased headers, `-o wide` columns, the NAMESPACE column of `-A`, the `pod/` prefixes of
 * `get all`).
 */
import type { Table } from '../kube/index.ts';
import { escapeTerminal } from './escape.ts';
import { goSprint } from './go-sprint.ts';
import { TABLE_TABWRITER, tabwrite } from './tabwriter.ts';

export interface RenderTableOptions {
  /** `-o wide`: also the priority > 0 columns. */
  wide?: boolean;
  /** `-A` on a namespaced resource: a NAMESPACE column first, from each row's object. */
  withNamespace?: boolean;
  /** `get all` / several kinds: the name prefixed with `kind[.group]/`. */
  kindPrefix?: string;
  noHeaders?: boolean;
}

/**
 * The lines of one table as kubectl's printTable writes them into its tabwriter (tab-separated,
 * one per row, header first); empty when the table has no rows.
 */
export function tableLines(table: Table, o: RenderTableOptions = {}): string {
  if (table.rows.length === 0) return '';
  const columns = table.columnDefinitions.map((c, i) => ({ ...c, index: i })).filter((c) => o.wide || c.priority === 0);
  const nameColumn = table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string');
  let text = '';
  if (!o.noHeaders) {
    const header = columns.map((c) => c.name.toUpperCase());
    if (o.withNamespace) header.unshift('NAMESPACE');
    text += header.join('\t') + '\n';
  }
  for (const row of table.rows) {
    const cells: string[] = [];
    if (o.withNamespace) {
      const meta = (row.object as { metadata?: { namespace?: string } } | undefined)?.metadata;
      cells.push(escapeTerminal(meta?.namespace ?? ''));
    }
    for (const c of columns) {
      if (c.index >= row.cells.length) break;
      let cell = row.cells[c.index];
      if (c.index === nameColumn && o.kindPrefix) cell = `${o.kindPrefix}/${goSprint(cell)}`;
      cells.push(cellText(cell));
    }
    text += cells.join('\t') + '\n';
  }
  return text;
}

/** A cell as printTable writes it: strings cut at the first line break (`...` appended). */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const br = cell.search(/[\f\n\r]/);
    return br >= 0 ? `${escapeTerminal(cell.slice(0, br))}...` : escapeTerminal(cell);
  }
  return escapeTerminal(goSprint(cell));
}

/** One table, aligned as `kubectl get` prints it. */
export function renderTable(table: Table, o: RenderTableOptions = {}): string {
  return tabwrite(tableLines(table, o), TABLE_TABWRITER);
}

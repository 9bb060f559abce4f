/**
 * Go's text/tabwriter (the algorithm, column blocks included) as kubectl uses it: minwidth 6,
 * padding 3 for `get` tables, minwidth 0, padding 2 for describe.
 */

export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  minwidth: number;
  /** Added to the widest cell of a column. */
  padding: number;
}

/** kubectl get: printers.GetNewTabWriter. */
export const TABLE_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe: tabbedString's tabwriter.Init(buf, 0, 8, 2, ' ', 0). */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

interface Cell {
  text: string;
  width: number;
}

export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Aligns tab-separated cells exactly as Go's text/tabwriter does for `text` written and then
 * flushed: a column is a block of consecutive lines having a cell in it (the text after a line's
 * last tab is no cell), its width the widest cell plus padding, at least minwidth.
 */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const lines: Cell[][] = text.split('\n').map((l) => l.split('\t').map((t) => ({ text: t, width: runeCount(t) })));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        out.push(c.text);
        if (j < widths.length) out.push(' '.repeat(Math.max(0, widths[j]! - c.width)));
      });
      if (i + 1 < lines.length) out.push('\n');
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue;
      // a cell in this column: print the lines before the block, then size the block
      writeLines(line0, row);
      line0 = row;
      let width = opts.minwidth;
      for (; row < line1; row++) {
        const line = lines[row]!;
        if (column >= line.length - 1) break;
        const w = line[column]!.width + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, row);
      widths.pop();
      line0 = row;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('');
}

/** A tabwriter that is flushed at points (as kubectl's describe flushes before Events). */
export class TabBuffer {
  #done = '';
  #pending = '';
  constructor(private readonly opts: TabwriterOptions) {}
  write(text: string): void {
    this.#pending += text;
  }
  flush(): void {
    this.#done += tabwrite(this.#pending, this.opts);
    this.#pending = '';
  }
  toString(): string {
    this.flush();
    return this.#done;
  }
}

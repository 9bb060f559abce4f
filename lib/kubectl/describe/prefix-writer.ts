/** kubectl's describe PrefixWriter: two spaces per level, into a tabwriter aligned at the end. */
import { escapeTerminal } from '../escape.ts';
import { DESCRIBE_TABWRITER, TabBuffer } from '../tabwriter.ts';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

export class PrefixWriter {
  readonly #buf = new TabBuffer(DESCRIBE_TABWRITER);
  write(level: number, text: string): void {
    this.#buf.write(escapeTerminal('  '.repeat(level) + text));
  }
  /** fmt.Sprintln: the parts space-separated, then a newline. */
  writeLine(...parts: string[]): void {
    this.#buf.write(escapeTerminal(parts.join(' ') + '\n'));
  }
  /** Aligns what was written so far on its own (DescribeEvents flushes before the Events table). */
  flush(): void {
    this.#buf.flush();
  }
  toString(): string {
    return this.#buf.toString();
  }
}

/** printers.WriteEscaped: ESC shown as `^[` and CR as `\r`, so object contents cannot drive the terminal. */
export function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

/**
 * Go's base64.StdEncoding.DecodeString as encoding/json applies it to []byte fields (a Secret's
 * `data`, a ConfigMap's `binaryData`): padded standard alphabet, `\r` and `\n` skipped, and on
 * failure the offset Go reports in `illegal base64 data at input byte N`.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/** The offset of the first byte Go refuses, or undefined if `s` decodes (base64.CorruptInputError). */
export function base64ErrorOffset(s: string): number | undefined {
  let si = 0;
  while (si < s.length) {
    // One quantum of four characters (decodeQuantum).
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = s[si++]!;
      if (VALUE.has(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=') return si - 1;
      // Padding: only after two or three characters, `==` after two, then nothing but newlines.
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return s.length;
        if (s[si] !== '=') return si - 1;
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      return si < s.length ? si : undefined;
    }
  }
  return undefined;
}

/** Go's error text for a value that does not decode, or undefined. */
export function base64Error(s: string): string | undefined {
  const at = base64ErrorOffset(s);
  return at === undefined ? undefined : `illegal base64 data at input byte ${at}`;
}

/** Decoded length in bytes of a valid value (newlines ignored). */
export function base64DecodedLength(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return (clean.length / 4) * 3 - pad;
}

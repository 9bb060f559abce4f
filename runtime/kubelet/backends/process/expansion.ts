/**
 * `$(VAR)` references in a container's env values, command and args, as the kubelet expands
 * them (k/k third_party/forked/golang/expansion/expand.go): `$$` is a literal `$`, a reference
 * to an unknown variable is kept verbatim, and a `$` that begins neither stays as written.
 */

/** Looks `name` up in the first map that has it; an unknown name is kept as `$(name)`. */
export function mappingFor(...maps: Record<string, string>[]): (name: string) => string {
  return (name) => {
    for (const m of maps) if (Object.hasOwn(m, name)) return m[name]!;
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: (name: string) => string): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    if (next === '$') {
      out += '$';
      cursor += 1;
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) {
        // An unclosed reference is copied as written, a character at a time.
        out += '$(';
        cursor += 1;
      } else {
        out += mapping(input.slice(cursor + 2, close));
        cursor = close;
      }
    } else {
      out += `$${next}`;
      cursor += 1;
    }
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

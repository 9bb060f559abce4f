/**
 * An npm package name made from a directory name or `--name`: npm's rules (validate-npm-package-
 * name) are lowercase, at most 214 characters, URL-safe characters only, not starting with `.` or
 * `_`. A scoped name (`@team/infra`) keeps its scope. Returns undefined when nothing usable is left.
 */
export function npmPackageName(raw: string): string | undefined {
  const scoped = /^@([^/]+)\/(.+)$/.exec(raw.trim());
  if (scoped) {
    const scope = namePart(scoped[1]!);
    const name = namePart(scoped[2]!);
    return scope && name ? `@${scope}/${name}`.slice(0, 214) : undefined;
  }
  if (raw.trim().startsWith('@')) return undefined;
  const name = namePart(raw);
  return name ? name.slice(0, 214) : undefined;
}

function namePart(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '');
}

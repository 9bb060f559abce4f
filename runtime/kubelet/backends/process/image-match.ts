/**
 * Matching an image reference against catalog keys. Keys are normalised as Kubernetes parses
 * references (lib/api/defaults.ts parseImageReference: `busybox` is
 * `docker.io/library/busybox`), then the most specific key wins: an exact reference (same
 * repository and tag or digest) over a repository (any tag) over a glob; among globs, one with a
 * tag over one without, then the one with the most literal characters, then file order.
 */
import { parseImageReference, type ImageReference } from '../../../../lib/api/defaults.ts';

export type ImageKey =
  | { kind: 'exact'; name: string; tag: string; digest: string }
  | { kind: 'repository'; name: string }
  | { kind: 'glob'; pattern: RegExp; tag: string | undefined; literal: number };

const RANK = { exact: 0, repository: 1, glob: 2 } as const;

/** Parses a catalog key; a message when it is neither a reference nor a glob. */
export function parseImageKey(key: string): ImageKey | { error: string } {
  if (/[*?]/.test(key)) return parseGlob(key);
  const ref = parseImageReference(key);
  if (!ref) return { error: `invalid image reference "${key}"` };
  return hasTagOrDigest(key) ? { kind: 'exact', ...ref } : { kind: 'repository', name: ref.name };
}

export function keyMatches(key: ImageKey, ref: ImageReference): boolean {
  switch (key.kind) {
    case 'exact':
      return key.name === ref.name && (key.digest ? key.digest === ref.digest : key.tag === ref.tag);
    case 'repository':
      return key.name === ref.name;
    case 'glob':
      return key.pattern.test(ref.name) && (key.tag === undefined || key.tag === ref.tag);
  }
}

/** Negative when `a` is more specific than `b`; 0 keeps file order. */
export function compareSpecificity(a: ImageKey, b: ImageKey): number {
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  if (a.kind !== 'glob' || b.kind !== 'glob') return 0;
  if ((a.tag === undefined) !== (b.tag === undefined)) return a.tag === undefined ? 1 : -1;
  return b.literal - a.literal;
}

/** The repository as a user writes it, without tag or digest (`kuard-amd64:blue` → `kuard-amd64`). */
export function familiarRepository(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at === -1 ? image : image.slice(0, at);
  return hasTagOrDigest(noDigest) ? noDigest.slice(0, noDigest.lastIndexOf(':')) : noDigest;
}

/** Whether the written reference names a tag or digest (a `:` after the last `/` is a tag, not a port). */
function hasTagOrDigest(image: string): boolean {
  return image.includes('@') || image.lastIndexOf(':') > image.lastIndexOf('/');
}

/**
 * `*` matches within one path component, `**` across components, `?` one character. A glob
 * whose first component is literal is normalised like a reference (`myorg/*` is
 * `docker.io/myorg/*`); one that starts with a wildcard matches the normalised name as written
 * (`**` matches every image).
 */
function parseGlob(key: string): ImageKey | { error: string } {
  let name = key;
  let tag: string | undefined;
  if (hasTagOrDigest(key)) {
    if (key.includes('@')) return { error: `a glob cannot name a digest: "${key}"` };
    const colon = key.lastIndexOf(':');
    [name, tag] = [key.slice(0, colon), key.slice(colon + 1)];
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return { error: `invalid tag in "${key}"` };
  }
  if (!/^[a-z0-9._\-/:*?]+$/i.test(name)) return { error: `invalid image glob "${key}"` };
  const slash = name.indexOf('/');
  const first = slash === -1 ? name : name.slice(0, slash);
  if (!/[*?]/.test(first)) {
    const isDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost');
    if (!isDomain) name = slash === -1 ? `docker.io/library/${name}` : `docker.io/${name}`;
    else if (first === 'index.docker.io') name = `docker.io${name.slice(first.length)}`;
  }
  const source = name
    .split(/(\*\*|\*|\?)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.\\+^$|()[\]{}]/g, '\\$&')))
    .join('');
  return { kind: 'glob', pattern: new RegExp(`^${source}$`), tag, literal: name.replace(/[*?]/g, '').length };
}

/**
 * An image reference split as the container runtime reads it (distribution/reference's
 * normalization): the registry is the first component only if it looks like a host (has `.` or
 * `:`, or is `localhost`), else Docker Hub; single names are under `library/`.
 */
export interface ImageRef {
  /** `docker.io/library/nginx`, `registry.acme.dev/team/web`. */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  let rest = at >= 0 ? image.slice(0, at) : image;
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0]!;
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const name = hasHost ? rest : parts.length === 1 ? `docker.io/library/${rest}` : `docker.io/${rest}`;
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `registry.acme.dev` matches `registry.acme.dev/team/web`; `docker.io/library` matches `nginx`. */
export function imageFrom(image: string, prefix: string): boolean {
  const name = parseImageRef(image).name;
  const p = prefix.replace(/\/+$/, '');
  return name === p || name.startsWith(`${p}/`);
}

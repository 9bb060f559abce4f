/** Which handler a path is for: discovery, or a resource (collection, object, subresource). */
import { resourceAt, type ResourceDef } from '../resources.ts';
import { errors } from '../status.ts';

export type Route =
  | { discovery: string; group?: string }
  | { r: ResourceDef; ns: string | undefined; name: string | undefined; sub: string | undefined };

/**
 * `/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{sub}]]` and the same under `/apis/{g}/{v}`;
 * `/api/v1/namespaces/{name}[/status|/finalize]` is the namespace itself.
 */
export function parseRoute(path: string): Route | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeSegment);
  let apiVersion: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length < 2) return undefined;
    apiVersion = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 2) return { discovery: '', group: segs[1]! };
    if (segs.length < 3) return undefined;
    apiVersion = `${segs[1]}/${segs[2]}`;
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return { discovery: apiVersion };
  let ns: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    ns = rest[1];
    rest = rest.slice(2);
  }
  const r = resourceAt(apiVersion, rest[0]!);
  if (!r || rest.length > 3) return undefined;
  if (ns !== undefined && !r.namespaced) return undefined;
  const sub = rest[2];
  if (sub !== undefined && !r.subresources.some((s) => s === sub)) return undefined;
  return { r, ns, name: rest[1], sub };
}

/** A path segment unescaped; a bad escape is the client's mistake (Go's url.EscapeError wording). */
function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2})[^%]{0,2}/.exec(seg)?.[0] ?? seg;
    throw errors.badRequest(`invalid URL escape ${JSON.stringify(bad)}`);
  }
}

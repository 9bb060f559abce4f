/**
 * What a component needs of the API's errors beyond lib/api's reason checks (isNotFound,
 * isConflict, ...): the HTTP code of a failure, and a NotFound of its own making (client-go's
 * apierrors.NewNotFound) for an object found gone before a request was sent.
 */
import { StatusError, type StatusDetails } from '../../lib/api/status.ts';
import type { ApiResource } from './discovery.ts';

/** Whether `e` is an API failure with one of these HTTP codes (409 covers AlreadyExists too). */
export function hasStatusCode(e: unknown, ...codes: number[]): boolean {
  return e instanceof StatusError && codes.includes(e.code);
}

class ClientStatusError extends StatusError {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }
}

/** `<resource>.<group> "<name>" not found`, as the API server words it. */
export function notFoundError(r: Pick<ApiResource, 'resource' | 'group'>, name: string): StatusError {
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  return new ClientStatusError(404, 'NotFound', `${qualified} "${name}" not found`, { name, ...(r.group ? { group: r.group } : {}), kind: r.resource });
}

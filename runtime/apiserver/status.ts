import type { ResourceDef } from './resources.ts';

import type { Diagnostic } from '../../lib/api/diagnostics.ts';
import { aggregateMessages, causeReason, fieldErrorBody, formatFieldError } from '../../lib/api/field-error.ts';
import { truncateForMessage } from '../../lib/api/labels.ts';
import { StatusError } from '../../lib/api/status.ts';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** What a 422 is made of: lib/api Diagnostics, or field errors the server finds itself. */
export type FieldError = Pick<Diagnostic, 'code' | 'path' | 'message' | 'value'>;

/** A refused request as data; rendered as a Kubernetes `Status` with the matching HTTP code. */
export class ApiError extends StatusError {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function qualified(r: ResourceDef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

function details(r: ResourceDef, name: string) {
  return { name: truncateForMessage(name), ...(r.group ? { group: r.group } : {}), kind: r.resource };
}

export const errors = {
  notFound: (r: ResourceDef, name: string) => new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name)),
  alreadyExists: (r: ResourceDef, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name)),
  conflict: (r: ResourceDef, name: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      details(r, name),
    ),
  /**
   * 422, apierrors.NewInvalid: `ReplicaSet.apps "web" is invalid: [spec.selector: Required value, ...]`
   * (the field errors' aggregate), a cause per field error. `kind`: what the error names, the
   * resource where the generic store reports it (Store.Update passes its qualified resource).
   */
  invalid: (r: ResourceDef, name: string, fieldErrors: readonly FieldError[], kind = r.kind) => {
    const qualifiedKind = r.group ? `${kind}.${r.group}` : kind;
    const errs = fieldErrors.map((e) => ({ ...e, path: truncateForMessage(e.path) }));
    const aggregate = aggregateMessages(errs.map(formatFieldError));
    const causes = errs.map((e): StatusCause => ({ reason: causeReason(e), message: fieldErrorBody(e), field: e.path }));
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${truncateForMessage(name)}" is invalid${aggregate ? `: ${aggregate}` : ''}`, {
      ...details(r, name),
      kind,
      causes,
    });
  },
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  /** 403, apierrors.NewForbidden: `pods "web" is forbidden: <reason>`; without a resource `forbidden: <reason>`. */
  forbidden: (reason: string, r?: ResourceDef, name = '') =>
    new ApiError(
      403,
      'Forbidden',
      !r ? `forbidden: ${reason}` : name ? `${qualified(r)} "${truncateForMessage(name)}" is forbidden: ${reason}` : `${qualified(r)} is forbidden: ${reason}`,
      r ? details(r, name) : undefined,
    ),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  notFoundPath: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource'),
  methodNotAllowed: (method: string) => new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`),
  unsupportedMediaType: (type: string) => new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`),
  expired: (message: string) => new ApiError(410, 'Expired', message),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
};

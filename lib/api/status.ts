/**
 * meta/v1 Status, the body of every failed API request, and the one error type both sides of
 * the API share: the local API server throws it (runtime/apiserver ApiError) and the client
 * raises it from a response (lib/kube KubeApiError). The reason checks
 * (k8s.io/apimachinery/pkg/api/errors IsNotFound, IsConflict, ...) are written once, here.
 */

/** One entry of `Status.details.causes`: usually a field-level validation failure. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A `meta.k8s.io/v1` Status, as the API server sends it with every failure. */
export interface Status {
  kind: 'Status';
  apiVersion: string;
  metadata?: Record<string, unknown>;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** A failure the API answered (or will answer) with a Status: an HTTP code and a reason. */
export abstract class StatusError extends Error {
  /** HTTP status code. */
  abstract readonly code: number;
  /** `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`, `Expired`, ... */
  abstract readonly reason: string;
  abstract readonly details?: StatusDetails | undefined;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof StatusError && e.code === 404;
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof StatusError && e.reason === 'AlreadyExists';
}

/** 409 on a stale resourceVersion (not an AlreadyExists, which is a 409 too). */
export function isConflict(e: unknown): boolean {
  return e instanceof StatusError && e.code === 409 && e.reason !== 'AlreadyExists';
}

/** 410: the resourceVersion a watch or paged list started from is gone; re-list. */
export function isExpired(e: unknown): boolean {
  return e instanceof StatusError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
}

export function isInvalid(e: unknown): boolean {
  return e instanceof StatusError && e.code === 422;
}

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause) */
export function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

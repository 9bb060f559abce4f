/**
 * The one error type every patch engine throws. `status`/`reason` are what the API server
 * should answer with (metav1.Status code and reason); `message` is Kubernetes-worded where the
 * upstream wording is known (evanphx/json-patch, apimachinery mergepatch).
 *
 *   400 BadRequest            malformed patch document (bad JSON/YAML, wrong shape, bad directive)
 *   413 RequestEntityTooLarge more than 10000 JSON-patch operations (apiserver's limit)
 *   415 UnsupportedMediaType  unknown Content-Type, or SMP for a kind without a schema
 *   422 Invalid               a well-formed patch that does not apply to this object
 *   500 InternalError         stored managedFields that do not decode (apply cannot go on)
 */
export type PatchErrorStatus = 400 | 413 | 415 | 422 | 500;
export type PatchErrorReason = 'BadRequest' | 'RequestEntityTooLarge' | 'UnsupportedMediaType' | 'Invalid' | 'InternalError';

const REASONS: Record<PatchErrorStatus, PatchErrorReason> = {
  400: 'BadRequest',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  500: 'InternalError',
};

export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly status: PatchErrorStatus;
  readonly reason: PatchErrorReason;

  constructor(status: PatchErrorStatus, message: string) {
    super(message);
    this.status = status;
    this.reason = REASONS[status];
  }
}

export function badRequest(message: string): PatchError {
  return new PatchError(400, message);
}

export function invalid(message: string): PatchError {
  return new PatchError(422, message);
}

export function isPatchError(e: unknown): e is PatchError {
  return e instanceof PatchError;
}

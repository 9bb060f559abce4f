/**
 * What can go wrong talking to a Kubernetes API server, as typed errors: the server said no
 * (KubeApiError, from its Status body), the server could not be reached (KubeUnreachableError),
 * the kubeconfig is unusable (KubeconfigError), or the cluster does not serve a kind
 * (KubeNoMatchError).
 *
 * The last three are the user's situation (KiteError: exit 1). KubeApiError is a StatusError,
 * the type both sides of the API share (lib/api, which imports nothing of ours); the CLI treats
 * a StatusError that reaches it as the cluster's answer, a user error, too.
 */

import { KiteError } from '../errors.ts';
import { StatusError, type Status, type StatusCause, type StatusDetails } from '../api/status.ts';

export { isAlreadyExists, isConflict, isExpired, isNotFound, type Status, type StatusCause, type StatusDetails } from '../api/status.ts';

/** The reasons Kubernetes pairs with status codes, for bodies that are not a Status. */
const REASON_FOR_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The API server answered with a failure. */
export class KubeApiError extends StatusError {
  override readonly name = 'KubeApiError';
  /** HTTP status code (Status.code when the body is a Status). */
  readonly code: number;
  /** `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Unauthorized`, `Forbidden`, `Expired`, ... */
  readonly reason: string;
  readonly causes: StatusCause[];
  readonly details: StatusDetails | undefined;
  /** The Status body, if the server sent one. */
  readonly status: Status | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: { code: number; method: string; path: string; body: unknown; statusText?: string }) {
    const status = isStatus(init.body) ? init.body : undefined;
    const code = typeof status?.code === 'number' && status.code > 0 ? status.code : init.code;
    const reason = status?.reason || REASON_FOR_CODE[code] || (init.statusText ?? '').replace(/\s+/g, '') || 'Unknown';
    const text = typeof init.body === 'string' ? init.body.trim().slice(0, 300) : '';
    const message = status?.message || (text ? `${init.method} ${init.path}: ${code} ${reason}: ${text}` : `${init.method} ${init.path}: ${code} ${reason}`);
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = status?.details;
    this.causes = status?.details?.causes ?? [];
    this.status = status;
    this.method = init.method;
    this.path = init.path;
  }
}

function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** The server could not be talked to at all: refused, unresolvable, timed out, TLS failed. */
export class KubeUnreachableError extends KiteError {
  override readonly name = 'KubeUnreachableError';
  /** The system or TLS error code: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, CERT_HAS_EXPIRED, ... */
  declare readonly code: string;
  constructor(
    /** The server URL from the kubeconfig. */
    readonly server: string,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, { code, cause: options?.cause });
  }
}

const DESCRIBE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
};

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_|ERR_SSL_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

export function unreachable(server: string, local: boolean, err: unknown): KubeUnreachableError {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? 'UNKNOWN';
  let what: string;
  if (TLS_CODES.test(code)) {
    what = `TLS verification failed: ${e.message} (check the kubeconfig's certificate-authority for this cluster)`;
  } else {
    what = DESCRIBE[code] ?? e?.message ?? String(err);
  }
  let message = `cannot reach the Kubernetes API server at ${server}: ${what}`;
  if (local && (code === 'ECONNREFUSED' || code === 'ECONNRESET')) message += '; is kite running? start it with `kite up`';
  return new KubeUnreachableError(server, code, message, { cause: err });
}

/** The kubeconfig is missing, unparseable, or does not name a usable context. */
export class KubeconfigError extends KiteError {
  override readonly name = 'KubeconfigError';
  /** The file(s) involved, if any. */
  declare readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message, { code: 'kubeconfig', ...(path !== undefined ? { path } : {}) });
  }
}

/** The cluster serves no resource for this kind and version (e.g. a CRD not installed). */
export class KubeNoMatchError extends KiteError {
  override readonly name = 'KubeNoMatchError';
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    readonly server: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}" on ${server}`, { code: 'no-match' });
  }
}

/** Why an exec credential plugin gave no credential. */
export type ExecPluginFailure = 'not-found' | 'exit' | 'output' | 'interactive';

/**
 * An exec credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`) could
 * not be run, failed, or printed no usable ExecCredential. The message names the context, the
 * user and the command, and carries the plugin's installHint or its stderr.
 */
export class ExecPluginError extends KiteError {
  override readonly name = 'ExecPluginError';
  constructor(
    message: string,
    readonly reason: ExecPluginFailure,
    /** The plugin's command as the kubeconfig gives it. */
    readonly command: string,
    path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, { code: 'exec-plugin', ...(path !== undefined ? { path } : {}), cause: options?.cause });
  }
}

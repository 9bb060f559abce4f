/**
 * Errors a user can act on, as types. Every failure that is the user's input or situation (a
 * broken plan file, a held lock, an unreachable cluster) is a KiteError: the CLI prints its
 * message and exits 1, without a stack trace. Anything else that reaches the CLI is a bug in kite.
 *
 * A leaf module: it imports nothing of ours, so every layer may throw these.
 */

export interface KiteErrorInit {
  /** A stable machine-readable code: `plan-file`, `stale-plan`, `locked`, `ECONNREFUSED`, ... */
  code: string;
  /** The file (or files) the error is about. */
  path?: string;
  /** The object the error is about, `namespace/Kind/name`. */
  object?: string;
  cause?: unknown;
}

export class KiteError extends Error {
  readonly code: string;
  readonly path: string | undefined;
  readonly object: string | undefined;

  constructor(message: string, init: KiteErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.path = init.path;
    this.object = init.object;
  }
}

/** A file kite was asked to read or write cannot be: names the file and the system's reason. */
export class FileError extends KiteError {
  constructor(what: string, path: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
    super(`cannot ${what} ${path}: ${describeErrno(reason)}`, { code: 'file', path, cause });
  }
}

const ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  EEXIST: 'a file of that name exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

function describeErrno(code: string): string {
  return ERRNO[code] ? `${ERRNO[code]} (${code})` : code;
}

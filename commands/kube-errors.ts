/**
 * How `get`, `describe` and `node` report a failed cluster request, as kubectl does: an API
 * failure is `Error from server (NotFound): pods "x" not found` and exit 1; a client-side
 * failure (unreachable, bad kubeconfig, unknown resource) is a user error (`error: ...`);
 * anything else is rethrown (a bug).
 */
import { KubeApiError, KubeNoMatchError, KubeUnreachableError, KubeconfigError } from '../lib/kube/index.ts';
import { UnknownResourceError } from '../lib/kubectl/index.ts';
import { EXIT_USER_ERROR } from './exit-codes.ts';
import { UserError, type Io } from './output.ts';

export function reportKubeError(io: Io, e: unknown): number {
  if (e instanceof KubeApiError) {
    io.err(`Error from server (${e.reason}): ${e.message}\n`);
    return EXIT_USER_ERROR;
  }
  if (e instanceof KubeUnreachableError || e instanceof KubeconfigError || e instanceof KubeNoMatchError || e instanceof UnknownResourceError) throw new UserError(e.message);
  throw e;
}

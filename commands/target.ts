import { existsSync } from 'node:fs';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../lib/kube/index.ts';
import { UserError } from './output.ts';
import { kubeconfigPath, stateDirOf } from './state-dir.ts';

/** Which cluster a command talks to: `--kubeconfig`/`--context` if given, else the local runtime. */
export interface TargetFlags {
  stateDir?: string;
  kubeconfig?: string;
  context?: string;
}

/**
 * A client for the target. Without `--kubeconfig`/`--context` that is the local runtime of the
 * state dir; if it was never started, the error says how to start it.
 */
export function connect(t: TargetFlags, opts: { namespace?: string } = {}): KubeClient {
  let kubeconfig = t.kubeconfig;
  if (kubeconfig === undefined && t.context === undefined) {
    const dir = stateDirOf(t.stateDir);
    kubeconfig = kubeconfigPath(dir);
    if (!existsSync(kubeconfig)) {
      throw new UserError(`no kite control plane in ${dir} — start one with \`kite up\` (or pass --kubeconfig/--context for another cluster)`);
    }
  }
  const target = loadKubeconfig({ ...(kubeconfig ? { kubeconfig } : {}), ...(t.context ? { context: t.context } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  if (target instanceof KubeconfigError) throw target;
  return new KubeClient(target, { userAgent: 'kite' });
}

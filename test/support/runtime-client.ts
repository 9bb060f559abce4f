import { afterAll, beforeAll } from 'vitest';
import { KubeClient, KubeconfigError, loadKubeconfig } from '../../lib/kube/index.ts';
import { startTestRuntime, type TestRuntime } from '../runtime/harness.ts';

export interface RuntimeWithClient {
  readonly rt: TestRuntime;
  /** kite's own client (lib/kube), on the runtime's kubeconfig. */
  readonly client: KubeClient;
}

/** Starts a runtime and a client on it before the file's tests, and stops both after them. */
export function runtimeForFile(opts: Parameters<typeof startTestRuntime>[0] = {}): RuntimeWithClient {
  const env = {} as { rt: TestRuntime; client: KubeClient };
  beforeAll(async () => {
    env.rt = await startTestRuntime(opts);
    const target = loadKubeconfig({ kubeconfig: env.rt.kubeconfig });
    if (target instanceof KubeconfigError) throw target;
    env.client = new KubeClient(target);
  }, 60_000);
  afterAll(async () => {
    env.client?.close();
    await env.rt?.close();
  });
  return env;
}

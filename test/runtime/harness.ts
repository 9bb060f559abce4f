import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, type RegistryOptions } from '../../runtime/apiserver/registry.ts';
import { InProcessClient } from '../../runtime/client/client.ts';
import { openStore } from '../../runtime/store/sqlite-store.ts';

export interface TestControlPlane {
  dir: string;
  registry: Registry;
  client: InProcessClient;
  close(): Promise<void>;
}

/**
 * A real store (SQLite in a temp dir) and the real registry, with the `default` namespace, for
 * tests of one controller at a time; the test starts the components it needs.
 */
export async function startControlPlane(opts: RegistryOptions = {}): Promise<TestControlPlane> {
  const dir = await mkdtemp(join(tmpdir(), 'kite-test-'));
  const store = openStore(dir);
  const registry = new Registry(store, opts);
  const client = new InProcessClient(registry);
  for (const name of ['default', 'kube-system']) {
    if (!client.get('namespaces', undefined, name)) await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return {
    dir,
    registry,
    client,
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Waits until `check` returns a truthy value (polled on each turn of a short interval), or throws after the deadline. */
export async function eventually<T>(check: () => T | Promise<T>, { timeoutMs = 10_000, what = 'condition' } = {}): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Truthy<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface TestRuntime {
  dir: string;
  kubeconfig: string;
  url: string;
  runtime: import('../../runtime/runtime.ts').Runtime;
  /** Runs the real kubectl against this runtime. */
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** The whole runtime (store, API server on loopback, controllers, scheduler, simulated nodes) in a temp state dir. */
export async function startTestRuntime(opts: Partial<import('../../runtime/runtime.ts').RuntimeOptions> = {}): Promise<TestRuntime> {
  const { startRuntime } = await import('../../runtime/runtime.ts');
  const { execFile } = await import('node:child_process');
  const dir = await mkdtemp(join(tmpdir(), 'kite-rt-'));
  const runtime = await startRuntime({ stateDir: dir, nodes: 3, nodeCpu: '2', nodeMemory: '4Gi', simulate: true, ...opts });
  const cacheDir = join(dir, 'kubectl-cache');
  return {
    dir,
    kubeconfig: runtime.kubeconfig,
    url: runtime.url,
    runtime,
    kubectl: (args, o = {}) =>
      new Promise((done) => {
        const child = execFile(
          'kubectl',
          ['--kubeconfig', runtime.kubeconfig, '--cache-dir', cacheDir, ...args],
          { timeout: o.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
        if (o.input !== undefined) child.stdin!.end(o.input);
      }),
    close: async () => {
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

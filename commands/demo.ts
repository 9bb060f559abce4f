import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/synth/package-root.ts';
import { applyCommand } from './apply.ts';
import { EXIT_OK } from './exit-codes.ts';
import { getCommand } from './get.ts';
import type { Io } from './output.ts';
import { reachLines } from './demo-reach.ts';
import { connect } from './target.ts';
import { liveRuntime, removeRecord, stateDirOf, writeRecord } from './state-dir.ts';

/**
 * `kite demo` (`npm start`): the whole loop on a fresh clone — start the local runtime (unless
 * one is running), plan and apply examples/shop, wait until it is ready, show what runs where,
 * and keep the control plane up until Ctrl-C.
 */
export async function demoCommand(o: { stateDir?: string }, io: Io): Promise<number> {
  const stateDir = stateDirOf(o.stateDir);
  const target = { stateDir };
  let close: (() => Promise<void>) | undefined;
  const running = await liveRuntime(stateDir);
  if (running) io.err(`Using the kite control plane already running (pid ${running.pid}) — ${running.url}\n`);
  else {
    const { startRuntime } = await import('../runtime/runtime.ts');
    // The shop's images run as the stand-in programs the repository's kite.images.yaml maps them to.
    const images = join(packageRoot(), 'kite.images.yaml');
    const runtime = await startRuntime({ stateDir, nodes: 3, nodeCpu: '2', nodeMemory: '4Gi', simulate: false, ...(existsSync(images) ? { images } : {}) });
    await writeRecord(stateDir, {
      pid: process.pid,
      url: runtime.url,
      port: runtime.port,
      kubeconfig: runtime.kubeconfig,
      startedAt: new Date().toISOString(),
      nodes: 3,
      simulate: false,
      ...(runtime.kubelet.catalogFile ? { images: runtime.kubelet.catalogFile } : {}),
    });
    close = async () => {
      await runtime.close();
      await removeRecord(stateDir, process.pid);
    };
    io.err(`kite control plane ready in ${(performance.now() / 1000).toFixed(1)}s — API on ${runtime.url}\n`);
    io.err(`Pods run as local processes (image catalog: ${runtime.kubelet.catalogFile ?? 'built-in base images only'}).\n\n`);
  }
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  try {
    const color = !!process.stderr.isTTY && !process.env.NO_COLOR;
    const code = await applyCommand(
      { input: join(packageRoot(), 'examples/shop/stack.ts'), typecheck: true, yes: true, allowReplace: false, forceUnlock: false, wait: true, timeoutMs: 120_000, color, target },
      io,
    );
    io.out('\n');
    await getCommand({ kind: 'all', allNamespaces: true, output: 'wide', target }, io);
    if (code !== EXIT_OK || !close) return code;
    const lines = await reach(target);
    io.err(`\nThe shop runs on the local control plane, as processes. Reach it:\n${lines}Try, in another terminal:\n  kubectl --kubeconfig ${join(stateDir, 'kubeconfig')} get pods -n prod -o wide\n  kubectl --kubeconfig ${join(stateDir, 'kubeconfig')} logs -n prod -l app=api\n  npx kite plan examples/shop/stack.ts\nCtrl-C stops the control plane and its processes (its state stays in ${stateDir}).\n`);
    await stopped;
    return EXIT_OK;
  } finally {
    if (close) {
      await close();
      io.err(`kite control plane stopped; its state stays in ${stateDir} (kite up resumes it).\n`);
    }
  }
}

async function reach(target: { stateDir: string }): Promise<string> {
  const client = connect(target);
  try {
    // The load balancer controller hands out addresses at once; the wait only bounds a slow start.
    return await reachLines(client, { timeoutMs: 15_000 });
  } finally {
    client.close();
  }
}

/**
 * A kubelet backend for tests of the streams only: exec runs the command as a host process
 * (the process backend runs it in the pod's sandbox and env), logs come from a real container
 * log store whose runs the test writes. Pods themselves are not run.
 */
import { spawn } from 'node:child_process';
import type { Pod } from '../../lib/api/model.ts';
import { StreamRefused, type KubeletBackend } from '../../runtime/kubelet/backend.ts';
import type { ContainerLogStore } from '../../runtime/kubelet/backends/process/logs.ts';

export interface HostProcessBackendOptions {
  /** Where logs are read from; absent: the backend has no logs. */
  logs?: ContainerLogStore;
  /** The current run of a container (its restartCount). */
  run?: (pod: Pod, container: string) => number;
}

export function hostProcessBackend(o: HostProcessBackendOptions = {}): KubeletBackend {
  const { logs, run = () => 0 } = o;
  return {
    start: async () => {},
    stop: async () => {},
    syncPod: () => Promise.reject(new Error('this test backend runs no pods')),
    killPod: async () => {},
    ...(logs ? { logs: (pod, opts) => logs.read(pod, opts.container ?? pod.spec.containers[0]!.name, run(pod, opts.container ?? ''), opts) } : {}),
    exec: (pod, container, command, streams) => {
      if (!pod.spec.containers.some((c) => c.name === container)) return Promise.reject(new StreamRefused(`container ${container} is not running`));
      return new Promise((resolve, reject) => {
        const child = spawn(command[0]!, command.slice(1), { stdio: 'pipe' });
        child.on('error', reject);
        if (streams.stdin) streams.stdin.pipe(child.stdin);
        else child.stdin.end();
        if (streams.stdout) child.stdout.pipe(streams.stdout);
        else child.stdout.resume();
        if (streams.stderr) child.stderr.pipe(streams.stderr);
        else child.stderr.resume();
        streams.onResize?.((size) => streams.stdout?.write(`resized ${size.width}x${size.height}\n`));
        child.on('close', (code) => resolve({ exitCode: code ?? 1 }));
      });
    },
  };
}
